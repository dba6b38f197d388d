package dev.sluice.relay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.ToolChoice;
import dev.sluice.relay.RelayEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayWriterTest {
    private static final String HEAD =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"a/m\",\"system_fingerprint\":null,";

    private static String chunk(String delta, String finish) {
        return "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}\n\n";
    }

    @Test
    void streaming_textAndToolCallPieces_chunksAsOpenAiSendsThemThenDone() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter c = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, false, null);
        long id = 0;
        for (RelayEvent e : List.of(
                new RelayEvent.Start("a", "m"),
                new RelayEvent.Thinking("hmm"),
                new RelayEvent.Delta("Hi"),
                new RelayEvent.ToolCall("call_9", "get_weather", "{\"ci"),
                new RelayEvent.ToolCall("call_9", "get_weather", "ty\":1}"),
                new RelayEvent.Done("tool_calls", 3, 4, 5L, 1.0))) {
            c.send(++id, e);
        }
        c.flush();
        assertEquals(
                chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null)
                        + chunk("{\"reasoning_content\":\"hmm\"}", null) + chunk("{\"content\":\"Hi\"}", null)
                        + chunk(
                                "{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}",
                                null)
                        + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":1}\"}}]}", null)
                        + chunk("{}", "tool_calls") + "data: [DONE]\n\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streaming_errorBeforeContentKeptForAStatus_afterContentWrittenInOpenAisShape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter before = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, true, null);
        before.send(1, new RelayEvent.Start("a", "m"));
        before.send(2, new RelayEvent.Error("rate_limit_error", "slow down"));
        before.flush();
        assertFalse(before.written());
        assertEquals("rate_limit_error", before.failure().orElseThrow().errorType());
        assertEquals(0, out.size());

        GatewayWriter after = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, true, null);
        after.send(1, new RelayEvent.Delta("Hel"));
        after.send(2, new RelayEvent.Error("overloaded_error", "busy"));
        after.flush();
        assertTrue(after.failure().isEmpty());
        assertTrue(
                out.toString(StandardCharsets.UTF_8)
                        .endsWith(",\"usage\":null}\n\ndata: {\"error\":{\"message\":\"busy\","
                                + "\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void collecting_restartDiscardsTheAnswerSoFar_completionWithUsageAndItsLength() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096, null);
        c.send(1, new RelayEvent.Thinking("lost thought"));
        c.send(1, new RelayEvent.Delta("lost"));
        c.send(2, new RelayEvent.Switch("a:m", "b:n", "overloaded", "restart", ""));
        c.send(3, new RelayEvent.Thinking("Kept \"thought\"."));
        c.send(3, new RelayEvent.Delta("kept"));
        c.heartbeat();
        c.flush();
        assertTrue(c.completionLength().isEmpty());
        assertThrows(IllegalStateException.class, () -> c.writeCompletion(new ByteArrayOutputStream()));
        c.send(4, new RelayEvent.Done("stop", 2, 3, 1L, 1.0));
        c.flush();
        assertFalse(c.written());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.writeCompletion(out);
        assertEquals(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"a/m\",\"system_fingerprint\":null,"
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"kept\",\"refusal\":null,"
                        + "\"reasoning_content\":\"Kept \\\"thought\\\".\",\"annotations\":[]},"
                        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(out.size(), c.completionLength().orElseThrow());
    }

    @Test
    void collecting_piecesEscapedOneByOne_sameTextAndArgumentsOnceParsed() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 1 << 20, null);
        String smile = "\uD83D\uDE00";
        String text = "Say \"hi\"\n\\ to " + smile + " and \u0001 é " + "z".repeat(40_000);
        // a surrogate pair split across two pieces, as a provider's deltas may split it
        int split = text.indexOf(smile) + 1;
        c.send(1, new RelayEvent.Delta(text.substring(0, split)));
        c.send(2, new RelayEvent.Delta(text.substring(split)));
        c.send(3, new RelayEvent.ToolCall("call_1", "f", "{\"q\":\"a\\\"b"));
        c.send(4, new RelayEvent.ToolCall("call_1", "f", "\"}"));
        c.send(5, new RelayEvent.Done(null, 1, 1, 1L, 1.0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.writeCompletion(out);
        assertEquals(out.size(), c.completionLength().orElseThrow());
        java.util.Map<?, ?> message = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((List<?>) ((java.util.Map<?, ?>)
                                        dev.sluice.chat.PartialJson.parse(out.toString(StandardCharsets.UTF_8))
                                                .value())
                                .get("choices"))
                        .getFirst())
                .get("message");
        assertEquals(text, message.get("content"));
        java.util.Map<?, ?> call = (java.util.Map<?, ?>) ((List<?>) message.get("tool_calls")).getFirst();
        assertEquals(java.util.Map.of("name", "f", "arguments", "{\"q\":\"a\\\"b\"}"), call.get("function"));
        assertEquals("call_1", call.get("id"));
    }

    @Test
    void collecting_answerOutgrowsItsBound_sendThrowsFailureAnswerTooLargeNoCompletion() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 64 * 1024, null);
        for (int i = 0; i < 12; i++) c.send(i + 1, new RelayEvent.Delta("x".repeat(4000)));
        c.send(16, new RelayEvent.ToolCall("call_1", "f", "{}"));
        assertTrue(c.failure().isEmpty());
        assertThrows(java.io.IOException.class, () -> c.send(17, new RelayEvent.Delta("y".repeat(20_000))));
        RelayEvent.Error failure = c.failure().orElseThrow();
        assertEquals("answer_too_large", failure.errorType());
        assertTrue(
                failure.message().contains("65536 bytes") && failure.message().contains("\"stream\": true"),
                failure.message());
        assertEquals(507, dev.sluice.relay.http.GatewayHttp.status(failure));
        assertFalse(c.written());
        assertTrue(c.completionLength().isEmpty());
    }

    @Test
    void request_toolsAndResultsJoinedIntoTheNeutralConversation() {
        GatewayRequest r =
                GatewayRequest.parse("{\"model\":\"a/m\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Q\"}]},{\"role\":\"assistant\",\"content\":null,"
                        + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                        + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"r1\"},{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"r2\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"frequency_penalty\":1}");
        assertEquals("S", r.system());
        assertEquals(3, r.messages().size());
        assertEquals(
                List.of("c1", "c2"),
                r.messages().get(1).toolCalls().stream()
                        .map(dev.sluice.chat.ToolCall::id)
                        .toList());
        assertEquals(ChatMessage.Role.USER, r.messages().get(2).role());
        assertEquals(
                List.of("r1", "r2"),
                r.messages().get(2).toolResults().stream()
                        .map(dev.sluice.chat.ToolResult::content)
                        .toList());
        assertTrue(r.stream() && r.includeUsage());
        assertEquals(12, r.toStartRequest("a", "m").chars()); // S, Q, each call's name and arguments, each result
    }

    @Test
    void request_whatTheGatewayCannotKeep_invalidRequestNamingTheMember() {
        for (String bad : List.of(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":3}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"required\"}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}")) {
            RelayException e = assertThrows(RelayException.class, () -> GatewayRequest.parse(bad), bad);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
        }
    }

    @Test
    void streaming_callsOfTheFormatsToolAreContent_otherCallsStayToolCalls_finishStop() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter c = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, false, "recipe");
        long id = 0;
        for (RelayEvent e : List.of(
                new RelayEvent.ToolCall("toolu_1", "recipe", ""),
                new RelayEvent.ToolCall("toolu_1", "recipe", "{\"title\":"),
                new RelayEvent.ToolCall("toolu_1", "recipe", "\"Soup\"}"),
                new RelayEvent.Done("tool_calls", 3, 4, 5L, 1.0))) {
            c.send(++id, e);
        }
        c.flush();
        assertEquals(
                chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null)
                        + chunk("{\"content\":\"{\\\"title\\\":\"}", null)
                        + chunk("{\"content\":\"\\\"Soup\\\"}\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n",
                out.toString(StandardCharsets.UTF_8));

        GatewayWriter collected = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096, "recipe");
        collected.send(1, new RelayEvent.ToolCall("call_1", "get_weather", "{}"));
        collected.send(2, new RelayEvent.ToolCall("call_2", "recipe", "{\"title\":\"Soup\"}"));
        collected.send(3, new RelayEvent.Done("tool_calls", 1, 1, 1L, 1.0));
        java.util.Map<?, ?> choice = choice(collected);
        java.util.Map<?, ?> message = (java.util.Map<?, ?>) choice.get("message");
        assertEquals("{\"title\":\"Soup\"}", message.get("content"));
        assertEquals(1, ((List<?>) message.get("tool_calls")).size(), message.toString());
        assertEquals("tool_calls", choice.get("finish_reason"), "a call of the caller's own tool stays a call");
    }

    @Test
    void refusal_streamedAsARefusalPiece_collectedAsMessageRefusal_finishStop() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter c = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, false, "recipe");
        c.send(1, new RelayEvent.Done("refusal", 3, 4, 5L, 1.0, null, "I can't help with that."));
        c.flush();
        assertEquals(
                chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null)
                        + chunk("{\"refusal\":\"I can't help with that.\"}", null) + chunk("{}", "stop")
                        + "data: [DONE]\n\n",
                out.toString(StandardCharsets.UTF_8));

        GatewayWriter collected = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096, "recipe");
        collected.send(1, new RelayEvent.Done("refusal", 3, 4, 5L, 1.0));
        java.util.Map<?, ?> choice = choice(collected);
        java.util.Map<?, ?> message = (java.util.Map<?, ?>) choice.get("message");
        assertEquals("stop", choice.get("finish_reason"));
        assertTrue(message.containsKey("content") && message.get("content") == null, message.toString());
        assertEquals(
                "The model declined to answer.",
                message.get("refusal"),
                "a refusal without words still says it is one");

        GatewayWriter cut = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096, "recipe");
        cut.send(1, new RelayEvent.Delta("{\"title\":\"So"));
        cut.send(2, new RelayEvent.Done("length", 3, 4, 5L, 1.0));
        assertEquals("length", choice(cut).get("finish_reason"));
    }

    @Test
    void request_jsonSchema_theFormatWithItsDescriptionAndStrictnessReachesTheChatRequest() {
        GatewayRequest r =
                GatewayRequest.parse("{\"model\":\"a/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Soup?\"}],"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"recipe\",\"description\":\"A recipe\","
                        + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"}},"
                        + "\"required\":[\"title\"],\"additionalProperties\":false}}}}");
        ChatRequest chat = r.toChatRequest(r.toStartRequest("a", "m").resolved("a", "m"));
        assertEquals(
                new ResponseFormat(
                        "recipe",
                        java.util.Map.of(
                                "type",
                                "object",
                                "properties",
                                java.util.Map.of("title", java.util.Map.of("type", "string")),
                                "required",
                                List.of("title"),
                                "additionalProperties",
                                false,
                                "description",
                                "A recipe"),
                        true),
                chat.responseFormat());
        assertEquals(null, chat.toolChoice());

        GatewayRequest loose = GatewayRequest.parse(
                "{\"model\":\"a/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Soup?\"}],"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":{\"type\":\"object\"}}}}");
        assertFalse(loose.responseFormat().strict());
        assertEquals(
                null,
                GatewayRequest.parse("{\"model\":\"a/m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                                + "\"response_format\":{\"type\":\"text\"}}")
                        .responseFormat());
    }

    @Test
    void request_jsonObject_anyObjectAsAForcedCallOfItsTool_besideTheCallersToolsNotForced() {
        String user = "{\"model\":\"a/m\",\"messages\":[{\"role\":\"user\",\"content\":\"JSON please\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}";
        GatewayRequest alone = GatewayRequest.parse(user + "}");
        assertEquals(
                new ResponseFormat(
                        "json_object", java.util.Map.of("type", "object", "additionalProperties", true), false),
                alone.responseFormat());
        assertEquals(ToolChoice.named("json_object"), alone.toolChoice());
        GatewayRequest withTools =
                GatewayRequest.parse(user + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
        assertEquals("json_object", withTools.responseFormat().name());
        assertEquals(null, withTools.toolChoice());
    }

    @Test
    void request_toolChoice_mappedToTheNeutralChoice() {
        String body = "{\"model\":\"a/m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":";
        assertEquals(
                ToolChoice.required(),
                GatewayRequest.parse(body + "\"required\"}").toolChoice());
        assertEquals(ToolChoice.auto(), GatewayRequest.parse(body + "\"auto\"}").toolChoice());
        assertEquals(
                ToolChoice.named("f"),
                GatewayRequest.parse(body + "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}")
                        .toolChoice());
        GatewayRequest none = GatewayRequest.parse(body + "\"none\"}");
        assertTrue(none.tools().isEmpty() && none.toolChoice() == null);
    }

    @Test
    void request_badResponseFormatOrToolChoice_invalidRequestNamingTheParam() {
        String user = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],";
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"recipe\"}}],";
        String[][] cases = {
            {"\"response_format\":\"json\"}", "response_format", "must be an object"},
            {"\"response_format\":{\"type\":\"xml\"}}", "response_format", "json_schema, json_object or text"},
            {
                "\"response_format\":{\"type\":\"json_schema\"}}",
                "response_format",
                "'response_format.json_schema' must be an object"
            },
            {
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"object\"}}}}",
                "response_format",
                "json_schema.name' is required"
            },
            {
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a b\",\"schema\":{\"type\":\"object\"}}}}",
                "response_format",
                "letters, digits"
            },
            {
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\"}}}",
                "response_format",
                "schema' is required"
            },
            {
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":{\"type\":\"array\"}}}}",
                "response_format",
                "must be an object schema"
            },
            {
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"strict\":\"yes\",\"schema\":{\"type\":\"object\"}}}}",
                "response_format",
                "strict' must be true or false"
            },
            {
                tools
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"recipe\",\"schema\":{\"type\":\"object\"}}}}",
                "response_format",
                "as one of the tools is"
            },
            {"\"tool_choice\":\"required\"}", "tool_choice", "needs 'tools'"},
            {
                tools + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"other\"}}}",
                "tool_choice",
                "not one of 'tools'"
            },
            {tools + "\"tool_choice\":{\"type\":\"allowed_tools\"}}", "tool_choice", "must be \"auto\""}
        };
        for (String[] c : cases) {
            RelayException e = assertThrows(RelayException.class, () -> GatewayRequest.parse(user + c[0]), c[0]);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
            assertEquals(c[1], e.param(), c[0]);
            assertTrue(e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
        }
    }

    /** {@return the one choice of a collecting writer's completion, once done} */
    private static java.util.Map<?, ?> choice(GatewayWriter collected) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        collected.writeCompletion(out);
        java.util.Map<?, ?> completion =
                (java.util.Map<?, ?>) dev.sluice.chat.PartialJson.parse(out.toString(StandardCharsets.UTF_8))
                        .value();
        return (java.util.Map<?, ?>) ((List<?>) completion.get("choices")).getFirst();
    }

    @Test
    void hedge_streamingAComment_collectingNothing() throws Exception {
        RelayEvent.Hedge h = new RelayEvent.Hedge("a:m", "b:n", "b:n", 800, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter c = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, false, null);
        c.send(1, h);
        c.send(2, new RelayEvent.Delta("Hi"));
        c.send(3, new RelayEvent.Done("stop", 3, 4, 5L, 1.0));
        c.flush();
        assertEquals(
                ": hedge {\"from\":\"a:m\",\"to\":\"b:n\",\"winner\":\"b:n\",\"afterMs\":800,\"loserInputTokens\":0,"
                        + "\"loserOutputTokens\":0}\n\n"
                        + chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null)
                        + chunk("{\"content\":\"Hi\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n",
                out.toString(StandardCharsets.UTF_8));

        GatewayWriter collecting = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096, null);
        collecting.send(1, h);
        collecting.send(2, new RelayEvent.Delta("Hi"));
        collecting.send(3, new RelayEvent.Done("stop", 3, 4, 5L, 1.0));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        collecting.writeCompletion(whole);
        assertFalse(whole.toString(StandardCharsets.UTF_8).contains("hedge"));
    }
}
