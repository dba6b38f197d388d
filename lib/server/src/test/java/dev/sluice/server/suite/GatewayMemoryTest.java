package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a stream through the gateway holds, on each path, when its answer is far larger than the
 * relay's replay bound (64 KiB here): issue 95's M3 (a passed-through Responses stream kept every
 * finished output item, and a failure past the heap left the exchange unended) and L1 (a translated
 * stream held its whole answer for a failure's partial).
 */
class GatewayMemoryTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final long BOUND = 64 * 1024;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /**
     * 16 MiB of text in 1,000-character deltas, each the same string (the script itself holds 1 KB):
     * 256 times the bound, and twice the heap the test allows the stream, even held as Latin-1 bytes,
     * so a stream that keeps its answer fails.
     */
    private static final int DELTAS = 16 * 1024;

    private static final String PIECE = "y".repeat(999) + " ";
    private static final Map<String, CountDownLatch[]> LATCHES = new java.util.concurrent.ConcurrentHashMap<>();
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static RelayServer server;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().recordRequests(false).start();
        fake.setDispatcher(GatewayMemoryTest::answer);
        String url = fake.baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        openai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini")
                .limits(RelayLimits.defaults().withReplay(1024, BOUND))
                .build();
        RelayAdmission http = RelayAdmission.builder(relay).maxTokens(8192).build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        anthropic.close();
        openai.close();
        fake.close();
    }

    private static FakeResponse answer(dev.sluice.testkit.RecordedRequest r) {
        String body = r.body();
        if (body.contains("images")) return images();
        for (Map.Entry<String, CountDownLatch[]> e : LATCHES.entrySet()) {
            if (body.contains(e.getKey())) {
                return FakeResponse.answer()
                        .text(Collections.nCopies(DELTAS, PIECE).toArray(String[]::new))
                        .signalAfter(DELTAS, e.getValue()[0])
                        .pauseAfter(DELTAS, e.getValue()[1]);
            }
        }
        return FakeResponse.answer().text("Hello");
    }

    /** A Responses stream of 40 image results of 8 KiB, far past the bound together, cut after the last. */
    private static FakeResponse images() {
        StringBuilder sse = new StringBuilder("event: response.created\ndata: {\"type\":\"response.created\","
                + "\"sequence_number\":0,\"response\":{\"id\":\"resp_up\",\"object\":\"response\",\"status\":"
                + "\"in_progress\",\"model\":\"gpt-5-mini\",\"output\":[]}}\n\n");
        String result = "QUJD".repeat(2048);
        for (int i = 0; i < 40; i++) {
            sse.append("event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",")
                    .append("\"sequence_number\":")
                    .append(i + 1)
                    .append(",\"output_index\":")
                    .append(i)
                    .append(",\"item\":{\"type\":\"image_generation_call\",\"id\":\"ig_")
                    .append(i)
                    .append("\",\"status\":\"completed\",\"result\":\"")
                    .append(result)
                    .append("\"}}\n\n");
        }
        sse.append("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":41,"
                + "\"response\":{\"id\":\"resp_up\",\"status\":\"completed\",\"output\":[]}}\n\n");
        return FakeResponse.sse(sse.toString()).cutAfter(41);
    }

    private static HttpRequest post(String door, String json) {
        return HttpRequest.newBuilder(server.uri().resolve(door))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    @Test
    void responsesPassthrough_itemsFarPastTheBoundThenADrop_failedEventHoldsWhatFitsAndTheExchangeEnds()
            throws Exception {
        HttpResponse<String> r = HTTP.send(
                post(
                        "/v1/responses",
                        "{\"model\":\"openai-responses/gpt-5-mini\",\"stream\":true,\"input\":\"Draw 40 images\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String head = "event: response.failed\ndata: ";
        int at = r.body().lastIndexOf(head);
        assertTrue(at > 0, "the stream ends with response.failed: " + tail(r.body()));
        String last = r.body().substring(at + head.length()).strip();
        assertTrue(
                last.length() < BOUND, "the failure event holds at most the bound: " + last.length() + " characters");
        Map<?, ?> response = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(last).value()).get("response");
        assertEquals("failed", response.get("status"));
        assertEquals("resp_up", response.get("id"), "the upstream's own response");
        List<?> output = (List<?>) response.get("output");
        // each item is some 8.3 K characters, 16.6 KB as UTF-16: the first three fit in 64 KiB, not the 40
        assertEquals(3, output.size(), "the first items that fit in the bound, in order");
        for (int i = 0; i < output.size(); i++) assertEquals("ig_" + i, ((Map<?, ?>) output.get(i)).get("id"));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"/v1/chat/completions, anthropic/claude-sonnet-4-5", "/v1/messages, openai/gpt-4o-mini"})
    void translatedStream_answerFarPastTheBound_streamHoldsNoMoreThanTheBound(String door, String model)
            throws Exception {
        String marker = "long answer " + door;
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        LATCHES.put(marker, new CountDownLatch[] {reached, resume});
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":8000,\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + marker + "\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                        + marker + "\"}]}";
        long before = Heap.usedAfterGc();
        HttpResponse<InputStream> r = HTTP.send(post(door, json), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        AtomicLong read = new AtomicLong();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                for (int n; (n = in.read(buffer)) >= 0; ) read.addAndGet(n);
            } catch (java.io.IOException e) {
                // the test ends it
            }
        });
        try {
            assertTrue(reached.await(120, TimeUnit.SECONDS), "the upstream sent its 16 MiB");
            long answer = (long) DELTAS * PIECE.length();
            await().atMost(Duration.ofSeconds(60)).until(() -> read.get() >= answer); // the caller read it all
            // the stream is still open, the upstream paused before its end: what it holds now is what it keeps
            Heap.awaitFlat(before, 8 * 1024 * 1024, "a translated stream of 16 MiB, paused before its end");
        } finally {
            resume.countDown();
            reader.join(Duration.ofSeconds(60));
            LATCHES.remove(marker);
        }
        assertTrue(read.get() > (long) DELTAS * PIECE.length(), "the whole answer reached the caller");
    }

    private static String tail(String body) {
        return body.length() < 2000 ? body : "..." + body.substring(body.length() - 2000);
    }
}
