package dev.sluice.server.suite;

import dev.sluice.server.ChatPage;
import dev.sluice.server.RelayServlet;

import dev.sluice.relay.http.RelayHttp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream that repeats the request's headers, the API key among them, in an HTTP error body
 * and in an error event mid-stream ({@code fake-echo-headers}, {@code fake-echo-headers-mid-stream})
 * on every provider (Anthropic, OpenAI Chat Completions and Responses, Gemini), relayed over SSE
 * and the WebSocket: the key appears in no relayed event, no log line (the server's log, its
 * stderr, the access log) and no JDK Flight Recorder event; each {@code error} event carries a
 * type, a short message and the request id.
 */
class EchoedKeyRelayTest {
    private static final String KEY = "sk-live-9f8e7d6c5b4a3210SECRET";
    private static final List<String> PROVIDERS = List.of("anthropic", "openai", "openai-responses", "gemini");
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static GeminiClient gemini;
    private static RelayServer server;
    private static final List<String> accessLog = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
        String base = fake.baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey(KEY).baseUrl(base).build();
        openai = OpenAiClient.builder().apiKey(KEY).baseUrl(base).build();
        gemini = GeminiClient.builder().apiKey(KEY).baseUrl(base).build();
        Relay relay = Relay.builder().provider("anthropic", anthropic, "claude-sonnet-4-5").provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini").provider("gemini", gemini, "gemini-2.5-flash").build();
        server = RelayServer.start(RelayHttp.builder(relay).maxStreamsPerClient(50).accessLog(accessLog::add).build(), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
        openai.close();
        gemini.close();
        fake.close();
    }

    @Test
    void echoingUpstream_everyProviderBothFaultsBothTransports_theKeyNowhere() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + r.getThrown());
            }

            @Override public void flush() { }

            @Override public void close() { }
        };
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        PrintStream stderr = System.err;
        ByteArrayOutputStream stderrCopy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(stderr, stderrCopy), true, StandardCharsets.UTF_8));
        Path jfr = Files.createTempFile("echoed-key-relay", ".jfr");
        List<String> relayed = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.enable("jdk.JavaErrorThrow");
            recording.enable("dev.sluice.RelayConnection");
            recording.enable("dev.sluice.Stream");
            recording.start();
            for (String provider : PROVIDERS) {
                for (String model : List.of("fake-echo-headers", "fake-echo-headers-mid-stream")) {
                    String json = "{\"prompt\":\"hi\",\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"}";
                    String what = provider + " " + model;
                    assertError(what + " over SSE", (Map<?, ?>) PartialJson.parse(overSse(json, relayed).data()).value());
                    assertError(what + " over the WebSocket", overWebSocket(json, relayed));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.relay().activeStreams() == 0);
            recording.stop();
            recording.dump(jfr);
            List<String> values = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
                // the fake upstream runs in this JVM: its own exceptions (the echo it answers with) are not the relay's
                if (event.hasField("thrownClass") && event.getClass("thrownClass").getName().startsWith("dev.sluice.testkit.")) continue;
                for (ValueDescriptor field : event.getFields()) {
                    Object value = event.getValue(field.getName());
                    if (value != null) values.add(event.getEventType().getName() + " " + value);
                }
            }
            assertTrue(values.stream().anyMatch(v -> v.contains("[redacted]")), "the echoes' exceptions were recorded");
            for (String v : values) assertFalse(v.contains(KEY), "a JFR event holds the key: " + v);
        } finally {
            System.setErr(stderr);
            root.removeHandler(capture);
            root.setLevel(level);
            Files.deleteIfExists(jfr);
        }
        assertEquals(PROVIDERS.size() * 4, relayed.stream().filter(e -> e.contains("\"type\":\"error\"") || e.startsWith("error ")).count(),
                String.join("\n", relayed));
        for (String e : relayed) assertFalse(e.contains(KEY), "a relayed event holds the key: " + e);
        assertTrue(logged.stream().anyMatch(l -> l.contains("[redacted]")), "the failures were logged: " + logged);
        for (String l : logged) assertFalse(l.contains(KEY), "a log line holds the key: " + l);
        String err = stderrCopy.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains(KEY), "stderr holds the key: " + err);
        await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.size() >= PROVIDERS.size() * 4);
        for (String l : accessLog) {
            assertFalse(l.contains(KEY), l);
            assertTrue(l.contains(" end=\"error:"), l);
        }
    }

    /** An error event's data: a type, a message of at most 201 characters, and the provider's request id. */
    private static void assertError(String what, Map<?, ?> error) {
        assertFalse(error.toString().contains(KEY), what + ": " + error);
        assertTrue(error.get("type") instanceof String t && !t.isBlank(), what + ": " + error);
        assertTrue(error.get("message") instanceof String m && !m.isBlank() && m.length() <= 201, what + ": " + error);
        assertTrue(error.get("requestId") instanceof String r && !r.isBlank(), what + ": no request id in " + error);
    }

    /** Streams over SSE; {@return its error event} and adds every event's type and data to {@code relayed}. */
    private static SseEvent overSse(String json, List<String> relayed) throws Exception {
        String id = SseTestClient.create(server.uri(), json);
        try (SseTestClient c = SseTestClient.open(server.uri(), id, null)) {
            c.readAll();
            for (SseEvent e : c.events) relayed.add(e.type() + " " + e.data());
            assertEquals("error", c.types().getLast(), c.types().toString());
            return c.events.getLast();
        }
    }

    /** Streams over the WebSocket; {@return its error object} and adds every frame to {@code relayed}. */
    private static Map<?, ?> overWebSocket(String json, List<String> relayed) throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = SseTestClient.HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws"),
                frames).join();
        try {
            ws.sendText("{\"type\":\"start\"," + json.substring(1), true).join();
            String frame;
            do {
                frame = frames.next(20);
                relayed.add(frame);
            } while (!frame.contains("\"type\":\"error\"") && !frame.contains("\"type\":\"done\""));
            assertTrue(frame.contains("\"type\":\"error\""), frame);
            return (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(frame).value()).get("error");
        } finally {
            ws.abort();
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
