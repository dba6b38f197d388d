package dev.sluice.gemini;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.internal.low.json.Json;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import dev.sluice.vertex.VertexTesting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Gemini on Vertex AI ({@code vertex}), end to end against the test kit's fake Vertex AI over loopback sockets. */
class GeminiVertexTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    @TempDir
    Path dir;

    private static final String MODEL = "gemini-2.5-flash";

    private static ChatRequest ask(String prompt) {
        return ChatRequest.builder()
                .model(MODEL)
                .addMessage(ChatMessage.user(prompt))
                .build();
    }

    private VertexAccess withToken(String token, AtomicInteger asked) {
        return VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .location("us-central1")
                .endpoint(server.baseUrl().toString())
                .tokenProvider(() -> {
                    asked.incrementAndGet();
                    return new AccessTokenProvider.Token(token, Instant.now().plusSeconds(3600));
                })
                .build();
    }

    @Test
    void stream_serviceAccountKey_tokenThenStreamGenerateContentWithBearer() {
        String text;
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(VertexTesting.serviceAccount(server, dir, "us-central1"))
                .build()) {
            text = gemini.chat(ask("How do tides work?")).text();
            assertTrue(gemini.toString().contains("location=us-central1"), gemini.toString());
            assertFalse(gemini.toString().contains(FakeVertex.ACCESS_TOKEN), gemini.toString());
        }
        assertFalse(text.isBlank());
        assertEquals(FakeVertex.TOKEN_PATH, server.takeRequest().path());
        RecordedRequest sent = server.takeRequest();
        assertEquals(
                "/v1/projects/" + FakeVertex.PROJECT + "/locations/us-central1/publishers/google/models/" + MODEL
                        + ":streamGenerateContent?alt=sse",
                sent.target());
        assertEquals("Bearer " + FakeVertex.ACCESS_TOKEN, sent.header("authorization"));
        assertNull(sent.header("x-goog-api-key"));
        assertEquals("How do tides work?", sent.json("/contents/0/parts/0/text"));
    }

    @Test
    void stream_locationGlobal_globalInThePath() {
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(VertexTesting.serviceAccount(server, dir, "global"))
                .build()) {
            gemini.chat(ask("Hello"));
        }
        server.takeRequest();
        assertTrue(server.takeRequest()
                .path()
                .startsWith("/v1/projects/" + FakeVertex.PROJECT + "/locations/global/publishers/google/"));
    }

    @Test
    void stream_tools_functionCallFromTheFake() {
        ChatResponse r;
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(withToken(FakeVertex.ACCESS_TOKEN, new AtomicInteger()))
                .build()) {
            r = gemini.chat(ChatRequest.builder()
                    .model(MODEL)
                    .addTool(WEATHER)
                    .addMessage(ChatMessage.user("What is the weather in Paris? Use the get_weather tool."))
                    .build());
        }
        assertEquals("get_weather", r.toolCalls().getFirst().name());
        assertEquals("get_weather", server.takeRequest().json("/tools/0/functionDeclarations/0/name"));
    }

    @Test
    void stream_structuredOutput_jsonOfTheSchema() throws Exception {
        ChatResponse r;
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(withToken(FakeVertex.ACCESS_TOKEN, new AtomicInteger()))
                .build()) {
            r = gemini.chat(ChatRequest.builder()
                    .model(MODEL)
                    .responseFormat(RECIPE)
                    .addMessage(ChatMessage.user("A soup recipe, please"))
                    .build());
        }
        assertEquals("application/json", server.takeRequest().json("/generationConfig/responseMimeType"));
        Object parsed = Json.readValue(r.text());
        assertTrue(parsed instanceof Map<?, ?> m && m.get("title") instanceof String, r.text());
    }

    @Test
    void stream_tokenTheFakeDidNotIssue_401UnauthenticatedWithTheRequestId() {
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(withToken("ya29.revoked", new AtomicInteger()))
                .build()) {
            ApiException e = assertThrows(ApiException.class, () -> gemini.chat(ask("Hello")));
            assertEquals(401, e.statusCode());
            assertEquals("UNAUTHENTICATED", e.errorType());
            assertTrue(e.requestId().isPresent(), e.toString());
            assertTrue(e.requestId().get().startsWith("req_"), e.requestId().get());
            assertFalse(e.getMessage().contains("ya29.revoked"), e.getMessage());
        }
        assertEquals(1, server.requestCount()); // a 401 is not retried
    }

    @Test
    void stream_projectUnknownToTheCredentials_credentialsErrorBeforeAnyRequest() throws Exception {
        Path file = Files.writeString(
                dir.resolve("adc.json"),
                FakeVertex.authorizedUserJson(server.baseUrl())
                        .replace("\"quota_project_id\":\"" + FakeVertex.PROJECT + "\",", ""));
        VertexAccess access = VertexTesting.fromEnv(
                Map.of(
                        "GOOGLE_APPLICATION_CREDENTIALS",
                        file.toString(),
                        "GOOGLE_VERTEX_BASE_URL",
                        server.baseUrl().toString()),
                dir);
        try (GeminiClient gemini = GeminiClient.builder().vertex(access).build()) {
            CredentialsException e = assertThrows(CredentialsException.class, () -> gemini.chat(ask("Hello")));
            assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT"), e.getMessage());
        }
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_concurrentStreamsOfANewClient_oneTokenRequest() throws Exception {
        int streams = 8;
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(VertexTesting.serviceAccount(server, dir, "us-central1"))
                .build()) {
            List<Thread> threads = new ArrayList<>();
            List<String> texts = new CopyOnWriteArrayList<>();
            for (int i = 0; i < streams; i++)
                threads.add(Thread.ofVirtual()
                        .start(() -> texts.add(gemini.chat(ask("Hello")).text())));
            for (Thread t : threads) assertTrue(t.join(Duration.ofSeconds(20)));
            assertEquals(streams, texts.size());
        }
        assertEquals(
                1,
                server.requests().stream()
                        .filter(r -> r.path().equals(FakeVertex.TOKEN_PATH))
                        .count());
        assertEquals(streams + 1, server.requestCount());
    }

    @Test
    void stream_tokenAboutToExpire_refreshedOnceWhileConcurrentStreamsGoOn() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        VertexAccess access = VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .endpoint(server.baseUrl().toString())
                .tokenProvider(() -> {
                    if (asked.incrementAndGet() > 1) {
                        try {
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    // 3.5 min left: google-auth's margins refresh it, but it may still be used meanwhile
                    return new AccessTokenProvider.Token(
                            FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(asked.get() == 1 ? 210 : 3600));
                })
                .build();
        try (GeminiClient gemini = GeminiClient.builder().vertex(access).build()) {
            gemini.chat(ask("Hello")); // the first token
            List<Thread> threads = new ArrayList<>();
            List<String> texts = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 6; i++)
                threads.add(Thread.ofVirtual()
                        .start(() -> texts.add(gemini.chat(ask("Hello")).text())));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> texts.size() == 5); // five streamed on the token about to expire
            assertEquals(2, asked.get()); // while one refresh, and one only, was asked for
            release.countDown();
            for (Thread t : threads) assertTrue(t.join(Duration.ofSeconds(20)));
            assertEquals(6, texts.size());
            gemini.chat(ask("Hello"));
        }
        assertEquals(2, asked.get());
        assertEquals(8, server.requestCount());
    }

    @Test
    void stream_observers_seeTheProviderVertex() {
        List<StreamStart> starts = new CopyOnWriteArrayList<>();
        StreamObserver recorder = start -> {
            starts.add(start);
            return StreamObserver.Observation.NONE;
        };
        try (GeminiClient gemini = GeminiClient.builder()
                .vertex(withToken(FakeVertex.ACCESS_TOKEN, new AtomicInteger()))
                .observer(recorder)
                .build()) {
            gemini.chat(ask("Hello"));
        }
        assertEquals("vertex", starts.getFirst().provider());
        assertEquals(
                "gcp.vertex_ai",
                dev.sluice.providers.ProviderCatalog.genAiProviderName(
                        starts.getFirst().provider()));
        assertEquals("generate_content", starts.getFirst().operation());
    }
}
