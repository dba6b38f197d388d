package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chat of the Vercel AI SDK's transport belongs to the client that started its running stream,
 * by the {@code sluice-chat} cookie the server sets: another client can neither read the chat
 * ({@code GET /api/chat/ID/stream} answers as for a chat that runs nothing) nor replace its stream
 * ({@code 409}); chat ids are 8 to 128 safe characters; resumes that find nothing are throttled per
 * client address. An AG-UI thread is held by the same rules, so that another client's run cannot
 * replace one that waits for its owner's approval. Stock {@code HttpClient}, real sockets.
 */
class ChatOwnershipTest {
    private static final List<String> STORY =
            IntStream.range(0, 100).mapToObj(i -> "word" + i + " ").toList();
    private static final AtomicInteger CHATS = new AtomicInteger();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        server = RelayServer.start(
                Relay.builder()
                        .provider("anthropic", anthropic, "claude-sonnet-4-5")
                        .build(),
                "127.0.0.1",
                0);
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
    }

    /** {@return the text of the answer the model gives next: a word every 20 ms, two seconds} */
    private static String slowAnswer() {
        fake.enqueue(
                FakeResponse.answer().text(STORY.toArray(String[]::new)).paced(Duration.ZERO, Duration.ofMillis(20)));
        return String.join("", STORY);
    }

    private static String newChatId() {
        return "chat-" + ProcessHandle.current().pid() + "-" + CHATS.incrementAndGet();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, String cookie)
            throws Exception {
        if (cookie != null) request.header("Cookie", cookie);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> resume(HttpClient client, String chatId, String cookie) throws Exception {
        return send(client, HttpRequest.newBuilder(server.uri().resolve("/api/chat/" + chatId + "/stream")), cookie);
    }

    private static HttpRequest.Builder chatRequest(String chatId) {
        String body = "{\"id\":\"" + chatId
                + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"mine now\"}]}]}";
        return HttpRequest.newBuilder(server.uri().resolve("/api/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> post(String chatId, String cookie) throws Exception {
        return send(SseTestClient.HTTP, chatRequest(chatId), cookie);
    }

    private static void assertError(int status, String type, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":{\"type\":\"" + type + "\",\"message\":\""), r.body());
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                r.headers().toString());
    }

    @Test
    void runningChat_anotherClientCanNeitherReadNorReplaceIt_theOwnersResumeHasItsOwnText() throws Exception {
        String text = slowAnswer();
        String chatId = newChatId();
        try (SseTestClient owner = SseTestClient.chat(server.uri(), chatId, "Tell me a story", null)) {
            assertEquals(200, owner.response.statusCode());
            owner.readUntil(e -> !SseTestClient.uiText(e).isEmpty(), Long.MAX_VALUE);
            int modelRequests = fake.requestCount();

            for (String stranger : new String[] {null, "sluice-chat=" + "a".repeat(43), "sluice-chat=short"}) {
                HttpResponse<String> read = resume(SseTestClient.HTTP, chatId, stranger);
                assertEquals(204, read.statusCode(), "as for a chat that runs nothing: " + read.body());
                assertEquals("", read.body());
                HttpResponse<String> replace = post(chatId, stranger);
                assertError(409, "chat_in_use", replace);
                assertTrue(
                        replace.headers().firstValue("Set-Cookie").isEmpty(),
                        replace.headers().toString());
            }
            assertEquals(modelRequests, fake.requestCount(), "no refused post reached the model");

            String cookie = owner.cookie();
            try (SseTestClient resumed = SseTestClient.resumeChat(server.uri(), chatId, cookie)) { // the owner's reload
                assertEquals(200, resumed.response.statusCode());
                resumed.readAll();
                assertEquals(text, SseTestClient.uiText(resumed.events), "the owner's own answer, whole");
            }
            // ended: the chat runs nothing, and is free for whoever posts next
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> resume(SseTestClient.HTTP, chatId, cookie).statusCode() == 204);
            fake.enqueue(FakeResponse.answer().text("Yours ", "now."));
            HttpResponse<String> next = post(chatId, null);
            assertEquals(200, next.statusCode(), next.body());
            assertTrue(next.body().contains("Yours "), next.body());
        }
    }

    @Test
    void post_sameClientWhileItsStreamRuns_startsTheChatsNextStream() throws Exception {
        slowAnswer();
        String chatId = newChatId();
        try (SseTestClient first = SseTestClient.chat(server.uri(), chatId, "Tell me a story", null)) {
            String cookie = first.cookie();
            first.readUntil(e -> !SseTestClient.uiText(e).isEmpty(), Long.MAX_VALUE);
            fake.enqueue(FakeResponse.answer().text("Second ", "answer."));
            try (SseTestClient second = SseTestClient.chat(server.uri(), chatId, "Regenerate", cookie)) {
                assertEquals(200, second.response.statusCode());
                assertNull(second.cookie(), "the client has its cookie already");
                second.readAll();
                assertEquals("Second answer.", SseTestClient.uiText(second.events));
            }
        }
    }

    @Test
    void post_withoutTheCookie_setsAnHttpOnlyStrictSessionCookieOnTheChatRoutesOnly() throws Exception {
        fake.enqueue(FakeResponse.answer().text("Hi."));
        try (SseTestClient chat = SseTestClient.chat(server.uri(), newChatId(), "hi", null)) {
            String set = chat.response.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(set.matches("sluice-chat=[A-Za-z0-9_-]{43}; Path=/api/chat; HttpOnly; SameSite=Strict"), set);
            chat.readAll();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "c1", "chat-12", "chat id 1", "chat.1234", "ünicode-id"})
    void chatId_notEightTo128LettersDigitsDashOrUnderscore_400(String id) throws Exception {
        int modelRequests = fake.requestCount();
        HttpResponse<String> post = post(id, null);
        assertError(400, "invalid_request", post);
        assertTrue(post.body().contains("8 to 128 letters, digits"), post.body());
        assertError(
                400,
                "invalid_request",
                resume(
                        SseTestClient.HTTP,
                        URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"),
                        null));
        assertEquals(modelRequests, fake.requestCount());
    }

    @Test
    void chatId_129Characters_400_128Accepted() throws Exception {
        assertError(400, "invalid_request", post("x".repeat(129), null));
        assertError(400, "invalid_request", resume(SseTestClient.HTTP, "x".repeat(129), null));
        String id = newChatId();
        fake.enqueue(FakeResponse.answer().text("Hi."));
        assertEquals(200, post("x".repeat(128 - id.length()) + id, null).statusCode());
    }

    @Test
    void resume_300FailedFromOneAddress_429WithRetryAfterPastTheBudget_theOwnersResumesNeverCounted() throws Exception {
        HttpClient probe = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0.3"))
                .build();
        // the answer holds after its fifth word until the 300 refusals are done: on a busy machine they
        // can take longer than a paced answer runs, and a chat whose stream has ended is free to post to
        CountDownLatch refused = new CountDownLatch(1);
        try {
            fake.enqueue(FakeResponse.answer()
                    .text(STORY.toArray(String[]::new))
                    .paced(Duration.ZERO, Duration.ofMillis(20))
                    .pauseAfter(5, refused));
            String text = String.join("", STORY);
            String chatId = newChatId();
            HttpResponse<InputStream> started =
                    probe.send(chatRequest(chatId).build(), HttpResponse.BodyHandlers.ofInputStream());
            String cookie = started.headers()
                    .firstValue("Set-Cookie")
                    .map(c -> c.split(";")[0])
                    .orElse(null);
            started.body().close(); // cut: the stream runs on for the resume window
            for (int i = 0; i < 3; i++)
                SseTestClient.resumeChat(probe, server.uri(), chatId, cookie).close();
            int budget = RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE;
            for (int i = 1; i <= 300; i++) {
                HttpResponse<String> r = resume(probe, "probe-" + i + "-of-300", null);
                if (i <= budget) {
                    assertEquals(204, r.statusCode(), "failed resume " + i + ": " + r.body());
                } else {
                    assertError(429, "too_many_failed_resumes", r);
                    long retryAfter =
                            Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
                }
            }
            assertError(
                    429,
                    "too_many_failed_resumes",
                    send(probe, chatRequest(chatId), null)); // a foreign post counts too
            assertEquals(
                    204,
                    resume(SseTestClient.HTTP, "probe-from-another-address", null)
                            .statusCode(),
                    "counted per address");
            refused.countDown();
            try (SseTestClient own = SseTestClient.resumeChat(probe, server.uri(), chatId, cookie)) {
                assertEquals(200, own.response.statusCode(), "the owner's resume is never refused");
                own.readAll();
                assertEquals(text, SseTestClient.uiText(own.events));
            }
        } finally {
            refused.countDown();
            probe.shutdownNow(); // close() would wait for the bodies left open by a failure
        }
    }

    // ---- AG-UI threads: the same rules as chats (issue 68, L6)

    private static HttpRequest.Builder agUiRequest(String threadId, String resume) {
        String body =
                "{\"threadId\":\"" + threadId + "\",\"runId\":\"run-1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\","
                        + "\"content\":\"Tell me a story\"}],\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}"
                        + (resume == null
                                ? ""
                                : ",\"resume\":[{\"interruptId\":\"" + resume
                                        + "\",\"status\":\"resolved\",\"payload\":{\"approved\":true}}]")
                        + "}";
        return HttpRequest.newBuilder(server.uri().resolve("/api/ag-ui"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void runningAgUiThread_anotherClientCanNeitherReplaceNorResumeIt_theOwnersNextRunStarts() throws Exception {
        slowAnswer();
        String threadId = "thread-" + newChatId();
        HttpResponse<InputStream> owner =
                SseTestClient.HTTP.send(agUiRequest(threadId, null).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = owner.body()) {
            assertEquals(200, owner.statusCode());
            String set = owner.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(set.matches("sluice-chat=[A-Za-z0-9_-]{43}; Path=/api/ag-ui; HttpOnly; SameSite=Strict"), set);
            String cookie = set.split(";")[0];
            java.io.BufferedReader events =
                    new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = events.readLine();
                    line != null && !line.contains("TEXT_MESSAGE_CONTENT");
                    line = events.readLine()) {
                // the run streams: its request has reached the model
            }
            int modelRequests = fake.requestCount();

            for (String stranger : new String[] {null, "sluice-chat=" + "a".repeat(43), "sluice-chat=short"}) {
                HttpResponse<String> replace = send(SseTestClient.HTTP, agUiRequest(threadId, null), stranger);
                assertError(409, "thread_in_use", replace);
                assertTrue(
                        replace.headers().firstValue("Set-Cookie").isEmpty(),
                        replace.headers().toString());
                // as for a thread that runs nothing: the stranger learns nothing, and decides nothing
                assertError(404, "not_found", send(SseTestClient.HTTP, agUiRequest(threadId, "call-1"), stranger));
            }
            assertEquals(modelRequests, fake.requestCount(), "no refused run reached the model");

            fake.enqueue(FakeResponse.answer().text("Second ", "answer."));
            HttpResponse<String> next = send(SseTestClient.HTTP, agUiRequest(threadId, null), cookie);
            assertEquals(200, next.statusCode(), next.body());
            assertTrue(next.body().contains("Second "), next.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"t", "t1", "thread1", "thread 12345", "thread.12345", "ünicode-thread"})
    void agUiThreadId_notEightTo128LettersDigitsDashOrUnderscore_400(String id) throws Exception {
        int modelRequests = fake.requestCount();
        for (String resume : new String[] {null, "call-1"}) {
            HttpResponse<String> post = send(SseTestClient.HTTP, agUiRequest(id, resume), null);
            assertError(400, "invalid_request", post);
            assertTrue(post.body().contains("8 to 128 letters, digits"), post.body());
        }
        assertError(400, "invalid_request", send(SseTestClient.HTTP, agUiRequest("x".repeat(129), null), null));
        assertEquals(modelRequests, fake.requestCount());
    }
}
