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
    void collecting_restartDiscardsTheAnswerSoFar_completionWithUsage() throws Exception {
        GatewayWriter c = GatewayWriter.collecting("chatcmpl-1", "a/m", 7);
        c.send(1, new RelayEvent.Delta("lost"));
        c.send(2, new RelayEvent.Switch("a:m", "b:n", "overloaded", "restart", ""));
        c.send(3, new RelayEvent.Delta("kept"));
        c.send(4, new RelayEvent.Done("stop", 2, 3, 1L, 1.0));
        assertEquals("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"a/m\",\"system_fingerprint\":null,"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"kept\",\"refusal\":null,\"annotations\":[]},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3,\"total_tokens\":5}}",
                c.completion().orElseThrow());
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
