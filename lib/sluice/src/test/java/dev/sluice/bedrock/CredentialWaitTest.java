package dev.sluice.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.LoopbackWireMock;
import dev.sluice.StreamTimeoutException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream waits for its credentials no longer than its own deadline and its cancel allow: the
 * container credentials endpoint answers with headers and then trickles its body (a degraded ECS or
 * EKS Pod Identity agent), and each stream, however many share the one fetch of the credential cache,
 * ends when its own first-event or total timeout passes, or when it is cancelled — not when the
 * fetch's own deadline (5 s) does, and never only when the endpoint finishes (60 s here).
 */
class CredentialWaitTest {
    @RegisterExtension
    static final WireMockExtension CONTAINER = LoopbackWireMock.server();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    /** Well under the container fetch's own deadline of 5 s. */
    private static final Duration ENDED_WITHIN = Duration.ofMillis(3500);

    @TempDir
    Path home;

    @BeforeEach
    void trickle() {
        CONTAINER.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
                                + "\"Expiration\":\"2030-01-01T00:00:00Z\",\"padding\":\"" + "p".repeat(200) + "\"}")
                        .withChunkedDribbleDelay(120, 60_000)));
    }

    private BedrockClient client() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", FAKE.server().baseUrl().toString());
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + CONTAINER.getPort() + "/creds");
        return BedrockClient.builder().access(AwsAccess.fromEnv(env)).build();
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model("amazon.nova-lite-v1:0")
                .addMessage(ChatMessage.user("Hi"))
                .maxTokens(20)
                .build();
    }

    /** {@return how long the stream took to fail with this timeout} */
    private static Duration timesOut(
            BedrockClient client, StreamOptions options, StreamTimeoutException.Timeout which) {
        long start = System.nanoTime();
        try (EventStream<MessageChunk> s = client.stream(request(), options)) {
            s.forEach(c -> {});
            throw new AssertionError("the stream opened without credentials");
        } catch (StreamTimeoutException e) {
            assertEquals(which, e.timeout(), e.getMessage());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void stream_credentialsTrickle_totalTimeoutIncludesGettingThem() {
        try (BedrockClient client = client()) {
            Duration took = timesOut(
                    client,
                    StreamOptions.builder().totalTimeout(Duration.ofSeconds(1)).build(),
                    StreamTimeoutException.Timeout.TOTAL);

            assertTrue(took.compareTo(ENDED_WITHIN) < 0, "ended after " + took);
        }
        assertEquals(0, FAKE.server().requestCount());
    }

    @Test
    void stream_credentialsTrickle_firstEventTimeoutIncludesGettingThem() {
        try (BedrockClient client = client()) {
            Duration took = timesOut(
                    client,
                    StreamOptions.builder()
                            .firstEventTimeout(Duration.ofSeconds(1))
                            .build(),
                    StreamTimeoutException.Timeout.FIRST_EVENT);

            assertTrue(took.compareTo(ENDED_WITHIN) < 0, "ended after " + took);
        }
    }

    @Test
    void stream_fourStreamsShareOneStuckFetch_eachEndsAtItsOwnDeadline() throws Exception {
        try (BedrockClient client = client()) {
            List<CompletableFuture<Duration>> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                StreamOptions options = StreamOptions.builder()
                        .totalTimeout(Duration.ofMillis(600 + 300L * i))
                        .build();
                streams.add(CompletableFuture.supplyAsync(
                        () -> timesOut(client, options, StreamTimeoutException.Timeout.TOTAL),
                        r -> Thread.ofVirtual().start(r)));
            }
            for (CompletableFuture<Duration> s : streams) {
                Duration took = s.get(30, TimeUnit.SECONDS);
                assertTrue(took.compareTo(ENDED_WITHIN) < 0, "ended after " + took);
            }
        }
        assertEquals(0, FAKE.server().requestCount());
    }

    @Test
    void stream_cancelledWhileWaitingForCredentials_endsCancelledAtOnce() throws Exception {
        try (BedrockClient client = client()) {
            StreamController controller = StreamController.create();
            CompletableFuture<EndReason> ended = CompletableFuture.supplyAsync(
                    () -> {
                        try (EventStream<MessageChunk> s = client.stream(request(), controller)) {
                            s.forEach(c -> {});
                            return s.endReason().orElseThrow();
                        }
                    },
                    r -> Thread.ofVirtual().start(r));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> CONTAINER.getAllServeEvents().size() == 1); // waiting on the trickle
            long start = System.nanoTime();
            controller.cancel("the caller left");

            assertEquals(EndReason.CANCELLED, ended.get(10, TimeUnit.SECONDS));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "ended " + took + " after the cancel");
        }
        assertEquals(0, FAKE.server().requestCount());
    }
}
