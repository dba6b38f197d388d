package dev.sluice.relay.protocol;

import dev.sluice.relay.RelayEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayWriterTest {
    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"a/m\",\"system_fingerprint\":null,";

    private static String chunk(String delta, String finish) {
        return "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    @Test
    void streaming_textAndToolCallPieces_chunksAsOpenAiSendsThemThenDone() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter c = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, false);
        long id = 0;
        for (RelayEvent e : List.of(new RelayEvent.Start("a", "m"), new RelayEvent.Thinking("hmm"), new RelayEvent.Delta("Hi"),
                new RelayEvent.ToolCall("call_9", "get_weather", "{\"ci"), new RelayEvent.ToolCall("call_9", "get_weather", "ty\":1}"),
                new RelayEvent.Done("tool_calls", 3, 4, 5L, 1.0))) {
            c.send(++id, e);
        }
        c.flush();
        assertEquals(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null) + chunk("{\"content\":\"Hi\"}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}", null)
                + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":1}\"}}]}", null)
                + chunk("{}", "tool_calls") + "data: [DONE]\n\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streaming_errorBeforeContentKeptForAStatus_afterContentWrittenInOpenAisShape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatewayWriter before = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, true);
        before.send(1, new RelayEvent.Start("a", "m"));
        before.send(2, new RelayEvent.Error("rate_limit_error", "slow down"));
        before.flush();
        assertFalse(before.written());
        assertEquals("rate_limit_error", before.failure().orElseThrow().errorType());
        assertEquals(0, out.size());

        GatewayWriter after = GatewayWriter.streaming(out, "chatcmpl-1", "a/m", 7, true);
        after.send(1, new RelayEvent.Delta("Hel"));
        after.send(2, new RelayEvent.Error("overloaded_error", "busy"));
        after.flush();
        assertTrue(after.failure().isEmpty());
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(",\"usage\":null}\n\ndata: {\"error\":{\"message\":\"busy\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\n"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void collecting_restartDiscardsTheAnswerSoFar_completionWithUsageAndItsLength() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 4096);
        c.send(1, new RelayEvent.Delta("lost"));
        c.send(2, new RelayEvent.Switch("a:m", "b:n", "overloaded", "restart", ""));
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
        assertEquals("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"a/m\",\"system_fingerprint\":null,"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"kept\",\"refusal\":null,\"annotations\":[]},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(out.size(), c.completionLength().orElseThrow());
    }

    @Test
    void collecting_piecesEscapedOneByOne_sameTextAndArgumentsOnceParsed() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 1 << 20);
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
        java.util.Map<?, ?> message = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((List<?>) ((java.util.Map<?, ?>) dev.sluice.chat.PartialJson
                .parse(out.toString(StandardCharsets.UTF_8)).value()).get("choices")).getFirst()).get("message");
        assertEquals(text, message.get("content"));
        java.util.Map<?, ?> call = (java.util.Map<?, ?>) ((List<?>) message.get("tool_calls")).getFirst();
        assertEquals(java.util.Map.of("name", "f", "arguments", "{\"q\":\"a\\\"b\"}"), call.get("function"));
        assertEquals("call_1", call.get("id"));
    }

    @Test
    void collecting_answerOutgrowsItsBound_sendThrowsFailureAnswerTooLargeNoCompletion() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7, 64 * 1024);
        for (int i = 0; i < 12; i++) c.send(i + 1, new RelayEvent.Delta("x".repeat(4000)));
        c.send(16, new RelayEvent.ToolCall("call_1", "f", "{}"));
        assertTrue(c.failure().isEmpty());
        assertThrows(java.io.IOException.class, () -> c.send(17, new RelayEvent.Delta("y".repeat(20_000))));
        RelayEvent.Error failure = c.failure().orElseThrow();
        assertEquals("answer_too_large", failure.errorType());
        assertTrue(failure.message().contains("65536 bytes") && failure.message().contains("\"stream\": true"), failure.message());
        assertEquals(507, dev.sluice.relay.http.GatewayHttp.status(failure));
        assertFalse(c.written());
        assertTrue(c.completionLength().isEmpty());
    }

    @Test
    void request_toolsAndResultsJoinedIntoTheNeutralConversation() {
        GatewayRequest r = GatewayRequest.parse("{\"model\":\"a/m\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Q\"}]},{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"r1\"},{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"r2\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"frequency_penalty\":1}");
        assertEquals("S", r.system());
        assertEquals(3, r.messages().size());
        assertEquals(List.of("c1", "c2"), r.messages().get(1).toolCalls().stream().map(dev.sluice.chat.ToolCall::id).toList());
        assertEquals(ChatMessage.Role.USER, r.messages().get(2).role());
        assertEquals(List.of("r1", "r2"), r.messages().get(2).toolResults().stream().map(dev.sluice.chat.ToolResult::content).toList());
        assertTrue(r.stream() && r.includeUsage());
        assertEquals(12, r.toStartRequest("a", "m").chars()); // S, Q, each call's name and arguments, each result
    }

    @Test
    void request_whatTheGatewayCannotKeep_invalidRequestNamingTheMember() {
        for (String bad : List.of("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":3}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"required\"}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}")) {
            RelayException e = assertThrows(RelayException.class, () -> GatewayRequest.parse(bad), bad);
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
        }
    }
}
