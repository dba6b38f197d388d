package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageAccumulator;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStart;
import dev.sluice.anthropic.MessageStop;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextBlock;
import dev.sluice.anthropic.TextDelta;
import dev.sluice.anthropic.ToolUseBlock;
import dev.sluice.client.RetryPolicy;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BenchServerTest {
    private static HttpClient http;

    @BeforeAll
    static void client() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void close() {
        http.close();
    }

    @Test
    void textStream_postMessages_servesEveryPromisedEventThatSluiceParsesAndAccumulates() throws Exception {
        BenchStream stream = BenchStream.text();
        try (BenchServer server = BenchServer.start(stream)) {
            Received r = post(server.baseUrl() + "/v1/messages");

            assertEquals(200, r.status);
            assertEquals("text/event-stream; charset=utf-8", r.contentType);
            assertEquals(BenchStream.LARGE_EVENTS, r.events.size());
            assertInstanceOf(MessageStart.class, r.events.getFirst());
            assertInstanceOf(MessageStop.class, r.events.getLast());
            long textDeltas = r.events.stream()
                    .filter(e -> e instanceof ContentBlockDelta d
                            && d.delta() instanceof TextDelta t
                            && t.text().length() >= 4
                            && t.text().length() <= 12)
                    .count();
            assertEquals(BenchStream.DELTAS, textDeltas);
            Message message = r.message;
            assertEquals(stream.expectedText(), ((TextBlock) message.content().getFirst()).text());
            assertEquals("end_turn", message.stopReason());
            assertTrue(
                    stream.body().length > 11_000_000 && stream.body().length < 13_500_000,
                    "about 12 MB: " + stream.body().length);
        }
    }

    @Test
    void toolStream_postMessages_servesInputAsFragmentsThatAccumulateToTheExpectedJson() throws Exception {
        BenchStream stream = BenchStream.tool();
        try (BenchServer server = BenchServer.start(stream)) {
            Received r = post(server.baseUrl() + "/v1/messages");

            assertEquals(BenchStream.LARGE_EVENTS, r.events.size());
            long fragments = r.events.stream()
                    .filter(e -> e instanceof ContentBlockDelta d && d.delta() instanceof InputJsonDelta)
                    .count();
            assertEquals(BenchStream.DELTAS, fragments);
            ToolUseBlock tool = (ToolUseBlock) r.message.content().getFirst();
            assertEquals(stream.expectedToolInput(), tool.inputJson());
            assertEquals("notes/rivers.md", tool.input().get("path"));
            assertEquals("tool_use", r.message.stopReason());
        }
    }

    @Test
    void pacedStream_postMessages_writesOneEventPerIntervalWithDistinctRequestIds() throws Exception {
        BenchStream stream = BenchStream.text(BenchServer.PACED_DELTAS);
        try (BenchServer server = BenchServer.startPaced(stream, Duration.ofMillis(2))) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                Received r = post(server.baseUrl() + "/v1/messages");
                long elapsed = System.nanoTime() - start;

                assertEquals(50, r.events.size());
                assertEquals(stream.expectedText(), r.message.text());
                assertTrue(elapsed >= Duration.ofMillis(49 * 2).toNanos(), "paced: " + elapsed + " ns");
                assertTrue(r.requestId.matches("req_bench_\\d{12}"), r.requestId);
                ids.add(r.requestId);
            }
            assertEquals(2, ids.size());
            assertEquals(2, server.requests());
        }
    }

    @Test
    void pacedStream_clientClosesMidAnswer_theWatchSeesItAtOnceWithTheEventsWrittenSoFar() throws Exception {
        // one event a second: the writer alone would see the close a write or two later, seconds on
        try (BenchServer server = BenchServer.startPaced(BenchStream.text(20), Duration.ofSeconds(1))) {
            long closedAt;
            try (Socket socket = new Socket(
                    InetAddress.getLoopbackAddress(),
                    URI.create(server.baseUrl()).getPort())) {
                socket.getOutputStream()
                        .write(("POST /v1/messages HTTP/1.1\r\nhost: bench\r\ncontent-length: 2\r\n\r\n{}")
                                .getBytes(StandardCharsets.US_ASCII));
                assertTrue(socket.getInputStream().read(new byte[8192]) > 0); // the head and the first event
                closedAt = BenchServer.epochMicros();
            }
            BenchServer.Watch watch = server.latestWatch(Duration.ofSeconds(5));

            assertTrue(watch.closedMicros() >= closedAt, watch.toString());
            assertTrue(
                    watch.closedMicros() - closedAt < 500_000,
                    "seen " + (watch.closedMicros() - closedAt) + " us after");
            assertEquals(-1, watch.endedMicros());
            assertEquals(1, watch.events());
            assertEquals("closed " + watch.closedMicros() + " 1", getLatest(server));
        }
    }

    @Test
    void pacedStream_readToTheEndAfterTheFirstByteDelay_isEndedAndKeepsTheConnection() throws Exception {
        BenchStream stream = BenchStream.text(BenchServer.PACED_DELTAS);
        try (BenchServer server = BenchServer.startPaced(stream, Duration.ofMillis(1), Duration.ofMillis(300))) {
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                Received r = post(server.baseUrl() + "/v1/messages");
                long elapsed = System.nanoTime() - start;

                assertEquals(stream.expectedText(), r.message.text());
                assertTrue(elapsed >= Duration.ofMillis(300 + 49).toNanos(), "held back: " + elapsed + " ns");
                String latest = getLatest(server);
                assertTrue(latest.matches("ended \\d+ 50"), latest);
            }
        }
    }

    @Test
    void pacedStream_requestAskingToClose_getsTheWholeAnswerAndTheConnectionClosed() throws Exception {
        BenchStream stream = BenchStream.text(3);
        try (BenchServer server = BenchServer.startPaced(stream, Duration.ofMillis(1));
                Socket socket = new Socket(
                        InetAddress.getLoopbackAddress(),
                        URI.create(server.baseUrl()).getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(
                            ("POST /v1/messages HTTP/1.1\r\nhost: bench\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}")
                                    .getBytes(StandardCharsets.US_ASCII));
            String answer =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // to the server's close

            assertTrue(answer.endsWith("0\r\n\r\n"), answer);
            assertTrue(answer.contains("message_stop"), answer);
            assertTrue(getLatest(server).startsWith("ended "));
        }
    }

    private static String getLatest(BenchServer server) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/closes/latest?wait-ms=5000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void otherPath_post_answers404WithAnErrorBodyAndKeepsServing() throws Exception {
        try (BenchServer server = BenchServer.start(BenchStream.text(3))) {
            HttpResponse<String> missing = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/other"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("not_found_error"), missing.body());
            assertEquals(8, post(server.baseUrl() + "/v1/messages").events.size());
        }
    }

    @Test
    void rawClient_textStream_readsTheWholeBodyAndTimesTheFirstEvent() throws Exception {
        BenchStream stream = BenchStream.text(3);
        try (BenchServer server = BenchServer.start(stream);
                BenchClient raw = BenchClient.create("raw", server.baseUrl(), false)) {
            BenchClient.Result r = raw.stream();

            assertEquals(stream.body().length, r.length());
            assertTrue(r.firstEventNanos() != 0);
        }
    }

    @Test
    void sdkClient_textStream_accumulatesTheWholeText() throws Exception {
        BenchStream stream = BenchStream.text(200);
        try (BenchServer server = BenchServer.start(stream);
                BenchClient sdk = BenchClient.create("sdk", server.baseUrl(), false)) {
            for (int i = 0; i < 2; i++) {
                BenchClient.Result r = sdk.stream();

                assertEquals(stream.events().size(), r.events());
                assertEquals(stream.expectedLength(), r.length());
            }
        }
    }

    @Test
    void sluiceClient_textAndToolStreams_accumulateTheWholeContent() throws Exception {
        for (BenchStream stream : List.of(BenchStream.text(200), BenchStream.tool())) {
            boolean tool = stream.expectedToolInput() != null;
            try (BenchServer server = BenchServer.start(stream);
                    BenchClient sluice = BenchClient.create("sluice", server.baseUrl(), tool)) {
                for (int i = 0; i < 2; i++) {
                    BenchClient.Result r = sluice.stream();

                    assertEquals(stream.events().size(), r.events(), stream.name());
                    assertEquals(stream.expectedLength(), r.length(), stream.name());
                }
            }
        }
    }

    @Test
    void realStreams_sluiceClientAccumulatesExactlyTheExpectedTextAndToolInput() throws Exception {
        for (BenchStream stream : List.of(BenchStream.realText(), BenchStream.realTool())) {
            boolean tool = stream.expectedToolInput() != null;
            try (BenchServer server = BenchServer.start(stream);
                    AnthropicClient client = AnthropicClient.builder()
                            .baseUrl(server.baseUrl())
                            .apiKey("bench")
                            .retryPolicy(RetryPolicy.none())
                            .build();
                    BenchClient bench = BenchClient.create("sluice", server.baseUrl(), tool)) {
                MessageRequest request = MessageRequest.builder()
                        .model(BenchClient.MODEL)
                        .maxTokens(BenchClient.MAX_TOKENS)
                        .addUserMessage(BenchClient.PROMPT)
                        .build();
                Message message;
                long events = 0;
                try (MessageStream s = client.messages().stream(request)) {
                    for (StreamEvent ignored : s) events++;
                    message = s.result();
                }

                assertEquals(BenchStream.LARGE_EVENTS, events, stream.name());
                if (tool) {
                    assertEquals(
                            stream.expectedToolInput(),
                            ((ToolUseBlock) message.content().getFirst()).inputJson());
                } else {
                    assertEquals(
                            stream.expectedText(),
                            ((TextBlock) message.content().getFirst()).text());
                }
                // the benchmark client's own check, as the benchmarks and RealContentRun make it
                BenchClient.Result r = bench.stream();
                assertEquals(stream.events().size(), r.events(), stream.name());
                assertEquals(stream.expectedLength(), r.length(), stream.name());
            }
        }
    }

    @Test
    void lowerBoundClients_everyStream_giveTheExpectedContentLength() throws Exception {
        for (String name : BenchStream.NAMES) {
            BenchStream stream = BenchStream.named(name);
            boolean tool = stream.expectedToolInput() != null;
            try (BenchServer server = BenchServer.start(stream)) {
                for (String kind : List.of("floor2", "acc2", "call2")) {
                    try (BenchClient client = BenchClient.create(kind, server.baseUrl(), tool)) {
                        BenchClient.Result r = client.stream();

                        assertEquals(stream.expectedLength(), r.length(), kind + " on " + name);
                        assertTrue(r.firstEventNanos() != 0, kind + " on " + name);
                    }
                }
            }
        }
    }

    @Test
    void call2_frameEventOrDeltaNotWhatAClientMustAccept_failsWhereAcc2DoesNot() throws Exception {
        BenchStream good = BenchStream.text(5);
        List<byte[]> truncatedStart = new ArrayList<>(good.events());
        truncatedStart.set(0, sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\""));
        List<byte[]> startNamedStop = new ArrayList<>(good.events());
        startNamedStop.set(0, sse("message_stop", "{\"type\":\"message_start\",\"message\":{}}"));
        List<byte[]> deltaUnclosed = new ArrayList<>(good.events());
        String delta = new String(good.events().get(2), StandardCharsets.UTF_8);
        deltaUnclosed.set(2, delta.replace("\"}}\n", "\"]}\n").getBytes(StandardCharsets.UTF_8));
        for (List<byte[]> events : List.of(truncatedStart, startNamedStop, deltaUnclosed)) {
            BenchStream bad = new BenchStream("bad", events, good.expectedText(), null);
            try (BenchServer server = BenchServer.start(bad);
                    BenchClient acc2 = BenchClient.create("acc2", server.baseUrl(), false);
                    BenchClient call2 = BenchClient.create("call2", server.baseUrl(), false)) {
                assertEquals(good.expectedLength(), acc2.stream().length());
                assertThrows(IllegalStateException.class, call2::stream);
            }
        }
    }

    private static byte[] sse(String type, String data) {
        return ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void realToolStream_sdkClientAccumulatesTheInputItsJacksonWritesBack() throws Exception {
        BenchStream stream = BenchStream.realTool();
        try (BenchServer server = BenchServer.start(stream);
                BenchClient sdk = BenchClient.create("sdk", server.baseUrl(), true)) {
            BenchClient.Result r = sdk.stream();

            assertEquals(stream.events().size(), r.events());
            assertEquals(stream.expectedSdkLength(), r.length());
        }
    }

    private record Received(
            int status, String contentType, String requestId, List<StreamEvent> events, Message message) {}

    private static Received post(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-bench\",\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<StreamEvent> events = new ArrayList<>();
        MessageAccumulator accumulator = new MessageAccumulator();
        SseParser parser = new SseParser(SseLimits.defaults(), e -> {
            StreamEvent event = MessageStream.decode(e);
            events.add(event);
            accumulator.accept(event);
        });
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) >= 0) parser.feed(buffer, 0, n);
        }
        parser.finish();
        return new Received(
                response.statusCode(),
                response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("request-id").orElse(""),
                events,
                accumulator.result());
    }
}
