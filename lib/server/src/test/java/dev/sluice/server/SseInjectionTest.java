package dev.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.SseRelayWriter;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import dev.sluice.server.suite.NodeClients;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Server-Sent Events injection — the class of h3's CVE-2026-33128 and NestJS's CVE-2026-35515: a value
 * with CR, LF or CR LF written into an SSE field ends the field, and what follows forges fields, events,
 * ids or retry times. Every writer of an event stream a browser or a client reads — the relay's own,
 * the AI SDK's UI message stream, AG-UI, the OpenAI-compatible gateway, each through one
 * {@link SseWriter} — writes the advisories' payloads in every string a model, a tool or a server
 * controls (text, thinking, a tool's name, arguments, progress and result, an error's message and
 * request id, the model's name), and the npm {@code eventsource-parser} (what the AI SDK's and
 * OpenAI's clients read SSE with), fed whole and a code point at a time, reads back exactly the events
 * of the same stream written with a harmless word in their place: the same events, names, ids,
 * comments and retry times, and each payload whole in its JSON. {@link SseWriter} itself refuses an
 * event type or id with a line end, and splits data and comments into lines of their own.
 */
class SseInjectionTest {
    /** What the writers are given where a payload goes, in the harmless run. */
    private static final String WORD = "PAYLOAD";

    /** The advisories' payloads, and their neighbours: every line end, separators, a broken quote. */
    private static final List<String> PAYLOADS = List.of(
            "x\nevent: spoofed\ndata: {\"injected\":true}\n\n", // an event type or data with LF (h3, NestJS)
            "abc\ndata: injected-event\n\nid: next", // a forged event and id (express-sse)
            "\rdata: injected\r\r", // a lone CR ends a line too (fastify-sse-v2)
            "\r\nevent: spoofed\r\nid: 666\r\nretry: 1\r\n\r\n", // CR LF, an id and a retry time
            ":comment\n\n: ping\n\n", // a forged comment
            "\n\n\n\n",
            "nul\u0000 line\u2028separator paragraph\u2029separator next\u0085line",
            "\"},\"type\":\"finish\"}\n\ndata: {\"type\":\"error\",\"errorText\":\"forged\"}");

    /** The writers, by name: each makes a client of a response body. */
    private static final Map<String, Function<OutputStream, RelayWriter>> WRITERS = writers();

    private static Map<String, Function<OutputStream, RelayWriter>> writers() {
        Map<String, Function<OutputStream, RelayWriter>> w = new LinkedHashMap<>();
        w.put("relay", SseRelayWriter::new);
        w.put("ui-message-stream", out -> new UiMessageStreamWriter(out, "msg-1"));
        w.put("ag-ui", out -> new AgUiWriter(out, "thread-1", "run-1"));
        w.put(
                "openai-gateway",
                out -> GatewayWriter.streaming(out, "chatcmpl-1", "anthropic/m", 1_700_000_000L, true, null));
        return w;
    }

    /** {@return a stream with {@code p} in every string a model, a tool or a server controls} */
    private static RelayEvent[] events(String p) {
        String arguments = "{\"q\":\"" + jsonEscaped(p) + "\"}";
        return new RelayEvent[] {
            new RelayEvent.Start("anthropic", "m" + p),
            new RelayEvent.Thinking(p),
            new RelayEvent.Delta(p),
            new RelayEvent.ToolCall("call_1", "tool" + p, arguments),
            new RelayEvent.ToolStarted("call_1", "tool" + p),
            new RelayEvent.ToolProgress("call_1", p, 50.0),
            new RelayEvent.ToolDone("call_1", p),
            new RelayEvent.Delta(p),
            new RelayEvent.Error("api_error", p, "req_" + p)
        };
    }

    private static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    @Test
    void everyWriter_theAdvisoriesPayloadsInEveryString_eventSourceParserReadsExactlyTheEventsWritten()
            throws Exception {
        List<String> files = new ArrayList<>();
        for (String writer : WRITERS.keySet()) {
            files.add(NodeClients.written(writer + "-word.sse", WRITERS.get(writer), events(WORD))
                    .toString());
            for (int i = 0; i < PAYLOADS.size(); i++) {
                files.add(NodeClients.written(writer + "-" + i + ".sse", WRITERS.get(writer), events(PAYLOADS.get(i)))
                        .toString());
            }
        }
        Map<String, Map<?, ?>> parsed = NodeClients.run("sse-parse.mjs", 60, files.toArray(String[]::new))
                .cases();
        int compared = 0;
        for (String writer : WRITERS.keySet()) {
            Map<?, ?> word = parsed.get(writer + "-word.sse");
            assertTrue(((List<?>) word.get("events")).size() >= 5, writer + ": " + word);
            for (int i = 0; i < PAYLOADS.size(); i++) {
                String p = PAYLOADS.get(i);
                Map<?, ?> got = parsed.get(writer + "-" + i + ".sse");
                String where = writer + ", payload " + i + " " + show(p);
                assertEquals(true, got.get("same"), where + ": fed at once or a code point at a time, the same");
                assertEquals(List.of(), got.get("errors"), where);
                assertEquals(word.get("comments"), got.get("comments"), where + ": no comment forged");
                assertEquals(word.get("retries"), got.get("retries"), where + ": no retry time forged");
                List<?> expected = (List<?>) word.get("events");
                List<?> actual = (List<?>) got.get("events");
                assertEquals(expected.size(), actual.size(), where + ": no event forged or lost: " + actual);
                for (int e = 0; e < expected.size(); e++) {
                    Map<?, ?> x = (Map<?, ?>) expected.get(e);
                    Map<?, ?> a = (Map<?, ?>) actual.get(e);
                    assertEquals(x.get("event"), a.get("event"), where + ", event " + e + ": its name");
                    assertEquals(x.get("id"), a.get("id"), where + ", event " + e + ": its id");
                    assertEquals(
                            replaced(json((String) x.get("data")), p),
                            json((String) a.get("data")),
                            where + ", event " + e + ": the payload whole in its data");
                    compared++;
                }
            }
        }
        assertTrue(compared >= WRITERS.size() * PAYLOADS.size() * 5, "events compared: " + compared);
    }

    /**
     * {@return an event's data as a JSON value, or the text itself when it is none ({@code [DONE]});
     * a string in it that is JSON text itself (a tool call's arguments) as its value too}
     */
    private static Object json(String data) {
        Object value;
        try {
            value = PartialJson.parse(data).value();
        } catch (RuntimeException notJson) {
            return data;
        }
        return nested(value);
    }

    private static Object nested(Object value) {
        return switch (value) {
            case String s when s.startsWith("{") || s.startsWith("[") -> json(s);
            case Map<?, ?> m -> {
                Map<Object, Object> r = new LinkedHashMap<>();
                m.forEach((k, v) -> r.put(k, v == null ? null : nested(v)));
                yield r;
            }
            case List<?> l -> l.stream().map(v -> v == null ? null : nested(v)).toList();
            default -> value;
        };
    }

    /** {@return the value with {@link #WORD} replaced by {@code payload} in every string of it} */
    private static Object replaced(Object value, String payload) {
        return switch (value) {
            case String s -> s.replace(WORD, payload);
            case Map<?, ?> m -> {
                Map<Object, Object> r = new LinkedHashMap<>();
                m.forEach((k, v) -> r.put(k, v == null ? null : replaced(v, payload)));
                yield r;
            }
            case List<?> l ->
                l.stream().map(v -> v == null ? null : replaced(v, payload)).toList();
            default -> value;
        };
    }

    private static String show(String p) {
        return p.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** SseWriter, the one writer under them all: a type or id with a line end is refused; data and comments become lines. */
    @Test
    void sseWriter_typeOrIdWithALineEndRefused_dataAndCommentsSplitIntoLines() throws Exception {
        for (String p : PAYLOADS) {
            if (p.indexOf('\n') >= 0 || p.indexOf('\r') >= 0) {
                assertThrows(IllegalArgumentException.class, () -> SseWriter.encode(new SseEvent(p, "x", null)));
                assertThrows(IllegalArgumentException.class, () -> SseWriter.encode(new SseEvent("t", "x", p)));
            }
        }
        List<String> files = new ArrayList<>();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SseWriter w = new SseWriter(out)) {
                w.comment(PAYLOADS.get(i));
                w.write(new SseEvent("delta", PAYLOADS.get(i), "1"));
            }
            Path file = Files.createTempDirectory("sluice-sse-").resolve("writer-" + i + ".sse");
            Files.write(file, out.toByteArray());
            files.add(file.toString());
        }
        Map<String, Map<?, ?>> parsed = NodeClients.run("sse-parse.mjs", 60, files.toArray(String[]::new))
                .cases();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String p = PAYLOADS.get(i);
            Map<?, ?> got = parsed.get("writer-" + i + ".sse");
            String lines = p.replace("\r\n", "\n").replace('\r', '\n'); // SSE's line ends, as a reader gives data
            assertEquals(
                    List.of(Map.of("event", "delta", "id", "1", "data", lines)),
                    got.get("events"),
                    "payload " + i + " " + show(p));
            assertEquals(List.of(), got.get("retries"), show(p));
            assertEquals(true, got.get("same"));
            assertEquals(lines.split("\n", -1).length, ((List<?>) got.get("comments")).size(), show(p));
        }
    }
}
