package dev.sluice.server.suite;

import static dev.sluice.server.suite.SseTestClient.HTTP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay's HTTP and WebSocket API on Jetty, checked from outside with the JDK's stock clients over loopback. */
class RelayServerTest {
    private static final String OCEAN = "{\"prompt\":\"Tell me about the ocean\"}";
    private static final String CODE = "{\"prompt\":\"Show me some Python code\"}";
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static EndlessProvider endless;
    private static RelayServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder()
                .tokensPerSecond(400)
                .firstTokenDelay(Duration.ofMillis(20))
                .start();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        endless = new EndlessProvider();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("endless", endless, "endless")
                .heartbeat(Duration.ofMillis(300))
                .resumeWindow(Duration.ofSeconds(3))
                .limits(RelayLimits.defaults().withReplay(64, 1 << 20))
                .build();
        server = RelayServer.start(
                RelayAdmission.builder(relay).maxStreamsPerClient(50).build(), "127.0.0.1", 0);
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
        fake.close();
    }

    private static String expected(String prompt) {
        return anthropic
                .chat(ChatRequest.builder()
                        .model("claude-sonnet-4-5")
                        .maxTokens(4096)
                        .addMessage(ChatMessage.user(prompt))
                        .build())
                .text();
    }

    @Test
    void post_thenEvents_201ThenTheAnswerWithIdsFromOneEndingWithDone() throws Exception {
        HttpResponse<String> created = SseTestClient.post(base, "application/json", OCEAN);
        assertEquals(201, created.statusCode());
        assertEquals(
                "application/json", created.headers().firstValue("Content-Type").orElseThrow());
        Matcher m = Pattern.compile("\\{\"id\":\"([A-Za-z0-9_-]{22})\",\"events\":\"(/api/streams/\\1/events)\"}")
                .matcher(created.body());
        assertTrue(m.matches(), created.body());

        try (SseTestClient c = SseTestClient.open(base, m.group(1), null)) {
            assertEquals(200, c.response.statusCode());
            assertTrue(c.response
                    .headers()
                    .firstValue("Content-Type")
                    .orElseThrow()
                    .startsWith("text/event-stream"));
            c.readAll();
            assertEquals(LongStream.rangeClosed(1, c.events.size()).boxed().toList(), c.ids());
            assertEquals("start", c.types().getFirst());
            assertEquals(
                    "{\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\"}",
                    c.events.getFirst().data());
            assertEquals("done", c.types().getLast());
            assertTrue(
                    c.events
                            .getLast()
                            .data()
                            .matches(
                                    "\\{\"finishReason\":\"stop\",\"usage\":\\{\"inputTokens\":\\d+,"
                                            + "\"outputTokens\":\\d+},\"ttftMs\":\\d+,\"tokensPerSecond\":[0-9.]+,\"text\":\".+\"}"),
                    c.events.getLast().data());
            assertEquals(expected("Tell me about the ocean"), SseTestClient.text(c.events));
        }
    }

    private static final String CONVERSATION = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi, my name is Ada.\"},"
            + "{\"role\":\"assistant\",\"content\":\"Nice to meet you, Ada!\"},{\"role\":\"user\",\"content\":\"What is my name?\"}]}";

    @Test
    void post_conversation_upstreamGetsTheHistoryAndDoneCarriesTheAnswer() throws Exception {
        int before = fake.requestCount();
        String id = SseTestClient.create(base, CONVERSATION);
        try (SseTestClient c = SseTestClient.open(base, id, null)) {
            c.readAll();
            String text = SseTestClient.text(c.events);
            assertEquals("Your name is Ada — you told me earlier in this conversation.", text);
            assertTrue(
                    c.events.getLast().data().endsWith(",\"text\":\"" + text + "\"}"),
                    c.events.getLast().data());
        }
        String upstream = fake.requests().get(before).body();
        assertTrue(upstream.contains("\"messages\":[{\"role\":\"user\",\"content\":"), upstream);
        assertTrue(
                upstream.contains("Nice to meet you, Ada!")
                        && upstream.indexOf("Hi, my name is Ada.") < upstream.indexOf("What is my name?"),
                upstream);
    }

    @Test
    void post_badConversation_400NamingTheMessage() throws Exception {
        HttpResponse<String> r = SseTestClient.post(
                base,
                "application/json",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}");
        assertError(r, 400, "invalid_request");
        assertTrue(r.body().contains("messages[1] must be from the assistant"), r.body());
        r = SseTestClient.post(
                base,
                "application/json",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                        + "{\"role\":\"assistant\",\"content\":\"b\"}]}");
        assertTrue(r.body().contains("the last of \\\"messages\\\" must be the user's"), r.body());
        r = SseTestClient.post(base, "application/json", "{\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}");
        assertTrue(r.body().contains("messages[0].content must be a string, not blank"), r.body());
    }

    @Test
    void webSocket_startWithAConversation_answersTheLastMessage() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = connect(frames);
        ws.sendText("{\"type\":\"start\"," + CONVERSATION.substring(1), true).join();
        String frame;
        do {
            frame = frames.next();
        } while (!frame.contains("\"type\":\"done\""));
        assertTrue(
                frame.endsWith(",\"text\":\"Your name is Ada — you told me earlier in this conversation.\"}"), frame);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void events_cutAtRandomPointsAndResumedWithLastEventId_textEqualsTheUninterruptedText() throws Exception {
        String id = SseTestClient.create(base, CODE);
        Random random = new Random(7);
        List<SseEvent> received = new ArrayList<>();
        String last = null;
        int connections = 0;
        while (received.isEmpty() || !received.getLast().type().equals("done")) {
            assertTrue(++connections < 200, "too many connections");
            try (SseTestClient c = SseTestClient.open(base, id, last)) {
                assertEquals(200, c.response.statusCode());
                c.readUntil(e -> false, 50 + random.nextInt(1500)); // then cut, wherever that is
                received.addAll(c.events);
                if (!c.events.isEmpty()) last = c.events.getLast().lastEventId();
            }
        }
        assertTrue(connections >= 4, "cut several times: " + connections);
        List<Long> ids =
                received.stream().map(e -> Long.parseLong(e.lastEventId())).toList();
        assertEquals(LongStream.rangeClosed(1, ids.size()).boxed().toList(), ids, "nothing lost, nothing twice");
        String text = SseTestClient.text(received);
        assertTrue(text.contains("```python"), text);
        assertEquals(expected("Show me some Python code"), text);
    }

    @Test
    void events_modelStalls_pingCommentsWhileItIsSilent() throws Exception {
        String id = SseTestClient.create(base, "{\"prompt\":\"Tell me about the ocean\",\"model\":\"fake-stall\"}");
        try (SseTestClient c = SseTestClient.open(base, id, null)) {
            c.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
            long before = c.comments.size();
            long t0 = System.nanoTime();
            while (c.comments.size() < before + 3) c.readUntil(e -> false, c.bytesRead + 1);
            assertTrue(
                    System.nanoTime() - t0 >= Duration.ofMillis(600).toNanos(), "one ping per heartbeat, not a flood");
            assertTrue(c.comments.stream().allMatch(" ping"::equals), c.comments.toString());
            assertEquals(List.of("start", "delta", "delta", "delta"), c.types());
            assertEquals(204, SseTestClient.delete(base, id).statusCode());
            c.readAll();
            assertEquals("cancelled", c.types().getLast());
        }
    }

    @Test
    void clientVanishes_upstreamCancelledAfterTheResumeWindow_fakeServerSeesItsConnectionClosed() throws Exception {
        try (FakeLlmServer slow = FakeLlmServer.builder().tokensPerSecond(20).start();
                AnthropicClient client = AnthropicClient.builder()
                        .apiKey("test")
                        .baseUrl(slow.baseUrl().toString())
                        .build();
                RelayServer relayServer = RelayServer.start(
                        Relay.builder()
                                .provider("anthropic", client, "claude")
                                .resumeWindow(Duration.ofMillis(800))
                                .heartbeat(Duration.ofMillis(100))
                                .build(),
                        "127.0.0.1",
                        0)) {
            URI b = relayServer.uri();
            String id = SseTestClient.create(b, CODE);
            String last;
            try (SseTestClient c = SseTestClient.open(b, id, null)) {
                c.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
                last = c.events.getLast().lastEventId();
            } // the page is gone
            assertEquals(1, slow.activeRequests());
            // the upstream keeps running through the window, waiting for a resume ...
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> slow.activeRequests() == 1);
            // ... then is cancelled, and the fake server's stream finds its connection closed
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.activeRequests() == 0);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> relayServer.relay().activeStreams() == 0);
            try (SseTestClient late = SseTestClient.open(b, id, last)) {
                late.readAll();
                assertEquals(
                        "cancelled",
                        late.types().isEmpty()
                                ? "no event in " + late.bytesRead + " bytes"
                                : late.types().getLast());
                assertTrue(
                        late.events.getLast().data().contains("resume window"),
                        late.events.getLast().data());
            }
        }
    }

    /**
     * A response whose client vanished leaves nothing behind in the responses after it. On Tomcat it
     * did: the heartbeat that found the client gone recorded its failure on the response after Tomcat
     * had ended the request and recycled the response, and the next request that response served
     * ended after its first flush, with no events.
     */
    @Test
    void clientsVanish_theResponseAfterEachIsWhole() throws Exception {
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .heartbeat(Duration.ofMillis(50))
                .resumeWindow(Duration.ZERO)
                .build();
        try (RelayServer vanishing = RelayServer.start(relay, "127.0.0.1", 0)) {
            URI b = vanishing.uri();
            for (int i = 0; i < 8; i++) {
                String id = SseTestClient.create(b, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}");
                String last;
                try (SseTestClient c = SseTestClient.open(b, id, null)) {
                    c.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
                    last = c.events.getLast().lastEventId();
                } // gone: a heartbeat finds it so and, with no resume window, the stream is cancelled
                await().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
                try (SseTestClient late = SseTestClient.open(b, id, last)) { // the next request the server serves
                    late.readAll();
                    assertEquals(List.of("cancelled"), late.types(), "client " + i + ": " + late.bytesRead + " bytes");
                }
            }
        }
    }

    /** A client waiting through a model's silence holds no thread: its SSE response and its WebSocket alike. */
    @Test
    void idleClients_modelSilent_noDeliveryThreadWhileTheyWaitThenTheRestReachesThem() throws Exception {
        String sse = SseTestClient.create(base, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}");
        TextFrames frames = new TextFrames();
        WebSocket ws = connect(frames);
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\",\"model\":\"fake-stall\"}", true)
                .join();
        String socketStream = null;
        for (int i = 0; i < 4; i++) {
            Matcher m = FRAME.matcher(frames.next());
            assertTrue(m.matches());
            if (m.group(3) != null) socketStream = m.group(3);
        }
        try (SseTestClient c = SseTestClient.open(base, sse, null)) {
            c.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
            // a delivery keeps its thread for a few seconds after its last write, in case the next event follows
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(
                            null,
                            ThreadCensus.take().relay().get("sluice-relay-deliver-*"),
                            ThreadCensus.take().toString()));
            assertEquals(204, SseTestClient.delete(base, sse).statusCode());
            assertEquals(204, SseTestClient.delete(base, socketStream).statusCode());
            c.readAll();
            assertEquals("cancelled", c.types().getLast());
            String last;
            do {
                last = frames.next();
            } while (!last.contains("\"type\":\"cancelled\""));
        } finally {
            ws.abort();
        }
    }

    @Test
    void delete_runningStream_204AndTheConnectedClientGetsCancelledThenTheResponseEnds() throws Exception {
        String id = SseTestClient.create(base, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}");
        try (SseTestClient c = SseTestClient.open(base, id, null)) {
            c.readUntil(e -> e.size() == 4, Long.MAX_VALUE);
            HttpResponse<String> deleted = SseTestClient.delete(base, id);
            assertEquals(204, deleted.statusCode());
            assertEquals("", deleted.body());
            c.readAll(); // ends: the response is over
            assertEquals(List.of("start", "delta", "delta", "delta", "cancelled"), c.types());
            assertEquals(
                    "{\"reason\":\"cancelled by the client\"}",
                    c.events.getLast().data());
        }
        assertEquals(204, SseTestClient.delete(base, id).statusCode(), "cancelling an ended stream is fine");
    }

    @Test
    void backpressure_clientStopsReading_itsUpstreamWaitsWithBoundedMemoryAndOthersAreUnaffected() throws Exception {
        long t0 = System.nanoTime();
        String stuck = SseTestClient.create(base, "{\"prompt\":\"hi\",\"provider\":\"endless\"}");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            OutputStream request = socket.getOutputStream();
            request.write(("GET /api/streams/" + stuck + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            // it reads nothing: the relay's writes block, its buffer fills, its upstream stops
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(new java.util.concurrent.Callable<>() {
                        long previous = -1;

                        @Override
                        public Boolean call() {
                            long now = endless.produced.get();
                            boolean still = now > 0 && now == previous;
                            previous = now;
                            return still;
                        }
                    });
            long produced = endless.produced.get();
            // socket buffers (a few MB on loopback) + the replay buffer (64) + the stream's queue (256), in 1 KB events
            assertTrue(produced < 12_000, "bounded: " + produced + " events of 1 KB");

            long t1 = System.nanoTime();
            try (SseTestClient other = SseTestClient.open(base, SseTestClient.create(base, OCEAN), null)) {
                other.readAll();
                assertEquals(expected("Tell me about the ocean"), SseTestClient.text(other.events));
            }
            assertTrue(System.nanoTime() - t1 < Duration.ofSeconds(10).toNanos(), "the other stream was not held up");
            assertEquals(produced, endless.produced.get(), "the stuck stream is still waiting on its client");

            InputStream in = socket.getInputStream(); // the client reads again: its stream moves on
            byte[] buf = new byte[65536];
            long read = 0;
            while (endless.produced.get() < produced + 1000
                    && System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
                int n = in.read(buf);
                if (n < 0) break;
                read += n;
            }
            assertTrue(endless.produced.get() >= produced + 1000, "resumed after reading " + read + " bytes");
        }
        assertEquals(204, SseTestClient.delete(base, stuck).statusCode());
    }

    // ---- every 4xx

    private static void assertError(HttpResponse<String> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.body().matches("\\{\"error\":\\{\"type\":\"" + type + "\",\"message\":\"[^\"]+.*\"}}"), r.body());
    }

    private static HttpResponse<String> get(URI b, String path, String lastEventId) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(b.resolve(path));
        if (lastEventId != null) r.header("Last-Event-ID", lastEventId);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requests_badOrOverLimits_each4xxWithAJsonError() throws Exception {
        try (RelayServer small = RelayServer.start(
                RelayAdmission.builder(Relay.builder()
                                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                                .limits(RelayLimits.defaults()
                                        .withMaxStreams(3)
                                        .withMaxPromptChars(500)
                                        .withReplay(16, 1 << 20))
                                .build())
                        .maxStreamsPerClient(2)
                        .maxRequestBytes(2000)
                        .build(),
                "127.0.0.1",
                0)) {
            URI b = small.uri();
            assertError(SseTestClient.post(b, "application/json", "{\"prompt\":"), 400, "invalid_request");
            assertError(SseTestClient.post(b, "application/json", "{\"system\":\"x\"}"), 400, "invalid_request");
            assertError(
                    SseTestClient.post(b, "application/json", "{\"prompt\":\"hi\",\"maxTokens\":-3}"),
                    400,
                    "invalid_request");
            assertError(
                    SseTestClient.post(b, "application/json", "{\"prompt\":\"hi\",\"provider\":\"nope\"}"),
                    400,
                    "unknown_provider");
            assertError(
                    SseTestClient.post(b, "application/json", "{\"prompt\":\"" + "a".repeat(3000) + "\"}"),
                    413,
                    "request_too_large");
            assertError(
                    SseTestClient.post(b, "application/json", "{\"prompt\":\"" + "a".repeat(600) + "\"}"),
                    413,
                    "prompt_too_long");
            assertError(SseTestClient.post(b, "text/plain", OCEAN), 415, "unsupported_media_type");
            assertError(get(b, "/api/streams", null), 405, "method_not_allowed");
            assertError(get(b, "/api/streams/nope/events", null), 404, "not_found");
            assertError(
                    SseTestClient.delete(b, "nope").statusCode() == 404 ? SseTestClient.delete(b, "nope") : null,
                    404,
                    "not_found");
            assertError(get(b, "/nothing-here", null), 404, "not_found");

            // a finished stream of more than 16 events: resumes only within its buffer
            String done = SseTestClient.create(b, CODE);
            try (SseTestClient c = SseTestClient.open(b, done, null)) {
                c.readAll();
            }
            assertError(get(b, "/api/streams/" + done + "/events", "abc"), 400, "invalid_request");
            assertError(get(b, "/api/streams/" + done + "/events", "99999"), 400, "invalid_request");
            assertError(get(b, "/api/streams/" + done + "/events", "1"), 410, "replay_unavailable");

            // two running streams per client address, three in all
            String stall = "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}";
            HttpClient second = HttpClient.newBuilder()
                    .localAddress(InetAddress.getByName("127.0.0.2"))
                    .build();
            HttpClient third = HttpClient.newBuilder()
                    .localAddress(InetAddress.getByName("127.0.0.3"))
                    .build();
            List<String> running = new ArrayList<>();
            running.add(SseTestClient.create(b, stall));
            running.add(SseTestClient.create(b, stall));
            HttpResponse<String> mine = SseTestClient.post(b, "application/json", stall);
            assertError(mine, 429, "too_many_streams");
            assertTrue(mine.body().contains("per client"), mine.body());
            HttpRequest post = HttpRequest.newBuilder(b.resolve("/api/streams"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(stall))
                    .build();
            assertEquals(
                    201, second.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> total = third.send(post, HttpResponse.BodyHandlers.ofString());
            assertError(total, 429, "too_many_streams");
            assertTrue(total.body().contains("3 streams"), total.body());
            for (String id : running)
                assertEquals(204, SseTestClient.delete(b, id).statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> small.relay().activeStreams() == 1);
            assertEquals(201, SseTestClient.post(b, "application/json", stall).statusCode());
            second.close();
            third.close();
        }
    }

    // ---- WebSocket

    private static WebSocket connect(TextFrames frames) {
        return HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws"), frames)
                .join();
    }

    private static final Pattern FRAME =
            Pattern.compile("\\{\"id\":(\\d+),\"type\":\"([a-z_]+)\"(?:,\"stream\":\"([^\"]+)\")?(.*)");

    @Test
    void webSocket_start_oneFramePerEventWithIdTypeAndTheStreamInTheFirst() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = connect(frames);
        ws.sendText("{\"type\":\"start\",\"prompt\":\"Tell me about the ocean\"}", true)
                .join();
        List<String> got = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String frame;
        do {
            frame = frames.next();
            got.add(frame);
            Matcher m = FRAME.matcher(frame);
            assertTrue(m.matches(), frame);
            assertEquals(got.size(), Integer.parseInt(m.group(1)));
            assertEquals(got.size() == 1, m.group(3) != null, "the stream id in the first frame only: " + frame);
            if (m.group(2).equals("delta"))
                text.append((String) ((java.util.Map<?, ?>)
                                dev.sluice.chat.PartialJson.parse(frame).value())
                        .get("text"));
        } while (!frame.contains("\"type\":\"done\""));
        assertTrue(
                got.getFirst().endsWith(",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\"}"),
                got.getFirst());
        assertTrue(frame.contains("\"usage\":{\"inputTokens\":"), frame);
        assertEquals(expected("Tell me about the ocean"), text.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void webSocket_cancelFrame_cancelledFrameEndsTheStream() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = connect(frames);
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\",\"model\":\"fake-stall\"}", true)
                .join();
        for (int i = 0; i < 4; i++) frames.next();
        ws.sendText("{\"type\":\"cancel\"}", true).join();
        String last = frames.next();
        assertTrue(last.matches("\\{\"id\":5,\"type\":\"cancelled\",\"reason\":\"cancelled by the client\"}"), last);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void webSocket_cutThenResumeOnANewSocket_theRestWithoutAGap() throws Exception {
        TextFrames first = new TextFrames();
        WebSocket ws = connect(first);
        ws.sendText("{\"type\":\"start\",\"prompt\":\"Show me some Python code\"}", true)
                .join();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) got.add(first.next());
        ws.abort(); // cut
        Matcher m = FRAME.matcher(got.getFirst());
        assertTrue(m.matches());
        String stream = m.group(3);
        got.addAll(first.frames); // frames that arrived before the cut

        TextFrames second = new TextFrames();
        WebSocket again = connect(second);
        again.sendText("{\"type\":\"resume\",\"stream\":\"" + stream + "\",\"lastEventId\":" + got.size() + "}", true)
                .join();
        String frame;
        do {
            frame = second.next();
            got.add(frame);
        } while (!frame.contains("\"type\":\"done\""));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < got.size(); i++) {
            Matcher f = FRAME.matcher(got.get(i));
            assertTrue(f.matches(), got.get(i));
            assertEquals(i + 1, Integer.parseInt(f.group(1)), "ids 1, 2, 3 ... across both sockets");
            if (f.group(2).equals("delta"))
                text.append((String) ((java.util.Map<?, ?>)
                                dev.sluice.chat.PartialJson.parse(got.get(i)).value())
                        .get("text"));
        }
        assertEquals(expected("Show me some Python code"), text.toString());
        again.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void webSocket_badFrames_errorFramesWithTheStatus() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = connect(frames);
        ws.sendText("not json", true).join();
        assertTrue(frames.next()
                .matches("\\{\"type\":\"error\",\"status\":400,\"error\":\\{\"type\":\"invalid_request\",.*"));
        ws.sendText("{\"type\":\"start\"}", true).join();
        assertTrue(frames.next()
                .matches("\\{\"type\":\"error\",\"status\":400,\"error\":\\{\"type\":\"invalid_request\",.*prompt.*"));
        ws.sendText("{\"type\":\"resume\",\"stream\":\"nope\",\"lastEventId\":3}", true)
                .join();
        assertTrue(
                frames.next().matches("\\{\"type\":\"error\",\"status\":404,\"error\":\\{\"type\":\"not_found\",.*"));
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\",\"provider\":\"x\"}", true)
                .join();
        assertTrue(frames.next()
                .matches("\\{\"type\":\"error\",\"status\":400,\"error\":\\{\"type\":\"unknown_provider\",.*"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        CompletableFuture.completedFuture(null);
    }
}
