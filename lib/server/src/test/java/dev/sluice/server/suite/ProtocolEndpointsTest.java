package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frontend protocols' endpoints obey every endpoint's rules (host, origin, token, media type,
 * size, limits) and answer bad input with a 4xx JSON error, checked with the JDK's
 * {@code HttpClient} (and raw sockets for a forged {@code Host}). Nothing refused reaches the model.
 */
class ProtocolEndpointsTest {
    private static final String TOKEN = "s3cret-token-of-the-tests";
    private static final String CHAT =
            "{\"id\":\"chat-0001\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                    + "\"trigger\":\"submit-message\"}";
    private static final String RUN =
            "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}}";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .build();
        server = RelayServer.builder(RelayAdmission.builder(relay)
                        .maxTokens(1000)
                        .maxRequestBytes(4096)
                        .build())
                .token(TOKEN)
                .start();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        anthropic.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
    }

    private static void assertRefused(int status, String type, int actualStatus, String body) {
        assertEquals(status, actualStatus, body);
        assertTrue(body.startsWith("{\"error\":{\"type\":\"" + type + "\",\"message\":\""), body);
    }

    private static void nothingStarted(ThrowingRunnable check) throws Exception {
        long before = fake.requestCount();
        check.run();
        assertEquals(0, server.relay().activeStreams(), "no stream started");
        assertEquals(before, fake.requestCount(), "the model saw no request");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @ParameterizedTest
    @CsvSource({
        "POST,/api/chat",
        "POST,/api/object",
        "POST,/api/ag-ui",
        "GET,/api/chat/chat-0001/stream",
        "POST,/api/streams/stream-0001/approvals/call_1"
    })
    void request_foreignOrigin_403(String method, String path) throws Exception {
        nothingStarted(() -> {
            HttpResponse<String> r = send(
                    method,
                    path,
                    method.equals("POST") ? (path.contains("chat") ? CHAT : RUN) : null,
                    Map.of(
                            "Authorization",
                            "Bearer " + TOKEN,
                            "Content-Type",
                            "application/json",
                            "Origin",
                            "http://evil.example"));
            assertRefused(403, "origin_not_allowed", r.statusCode(), r.body());
        });
    }

    @ParameterizedTest
    @CsvSource({
        "POST,/api/chat",
        "POST,/api/object",
        "POST,/api/ag-ui",
        "GET,/api/chat/chat-0001/stream",
        "POST,/api/streams/stream-0001/approvals/call_1"
    })
    void request_noOrWrongToken_401(String method, String path) throws Exception {
        String body = method.equals("POST") ? (path.contains("chat") ? CHAT : RUN) : null;
        nothingStarted(() -> {
            HttpResponse<String> none = send(method, path, body, Map.of("Content-Type", "application/json"));
            assertRefused(401, "unauthorized", none.statusCode(), none.body());
            HttpResponse<String> wrong = send(
                    method, path, body, Map.of("Content-Type", "application/json", "Authorization", "Bearer nope"));
            assertRefused(401, "unauthorized", wrong.statusCode(), wrong.body());
        });
    }

    /**
     * Two {@code Authorization} lines, the right token in either: a proxy, the container and the guard
     * may each read another line, so the request is refused whatever the order (serve read the first only).
     */
    @ParameterizedTest
    @CsvSource({
        "POST,/api/chat,true",
        "POST,/api/chat,false",
        "POST,/v1/chat/completions,true",
        "POST,/v1/messages,false",
        "POST,/v1/responses,true",
        "GET,/api/chat/chat-0001/stream,true",
        "GET,/,true"
    })
    void request_twoAuthorizationHeaders_400AndNothingStarted(String method, String path, boolean rightFirst)
            throws Exception {
        String body = method.equals("POST")
                ? (path.startsWith("/v1/")
                        ? "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        : CHAT)
                : "";
        String right = "Authorization: Bearer " + TOKEN + "\r\n";
        String wrong = "Authorization: Bearer not-the-token-at-all\r\n";
        nothingStarted(() -> {
            RawHttp.Response r = RawHttp.sendRaw(
                    server.port(),
                    method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                            + (rightFirst ? right + wrong : wrong + right)
                            + "Content-Type: application/json\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("more than one Authorization header"), r.body());
        });
    }

    @ParameterizedTest
    @CsvSource({
        "POST,/api/chat",
        "POST,/api/object",
        "POST,/api/ag-ui",
        "GET,/api/chat/chat-0001/stream",
        "POST,/api/streams/stream-0001/approvals/call_1"
    })
    void request_foreignHost_403(String method, String path) throws Exception {
        nothingStarted(() -> {
            byte[] body = method.equals("POST")
                    ? (path.contains("chat") ? CHAT : RUN).getBytes(StandardCharsets.UTF_8)
                    : null;
            RawHttp.Response r = RawHttp.send(
                    server.port(),
                    method,
                    path,
                    Map.of(
                            "Host",
                            "evil.example",
                            "Authorization",
                            "Bearer " + TOKEN,
                            "Content-Type",
                            "application/json"),
                    body);
            assertRefused(403, "host_not_allowed", r.status(), r.body());
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[1,2]",
                "{\"messages\":[]}",
                "{\"id\":\"chat-0001\"}",
                "{\"id\":\"chat 0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
                "{\"id\":\"chat-0001\",\"messages\":{}}",
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"tool\",\"parts\":[]}]}",
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":\"hi\"}]}",
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":7}]}]}",
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"file\",\"url\":\"x\"}]}]}",
                "{\"id\":\"chat-0001\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"text\":\"hello\"}]}]}",
                "{\"id\":\"chat-0001\",\"maxTokens\":\"many\",\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"
            })
    void chat_badBody_400InvalidRequest(String body) throws Exception {
        nothingStarted(() -> {
            HttpResponse<String> r = post("/api/chat", body);
            assertRefused(400, "invalid_request", r.statusCode(), r.body());
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"threadId\":\"thread-1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\"}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"robot\",\"content\":\"hi\"}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":{}}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],\"forwardedProps\":[]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"tool\",\"content\":\"x\",\"toolCallId\":\"c\"}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],\"tools\":{}}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"name\":\"a\",\"parameters\":\"x\"}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"name\":\"a\"},{\"name\":\"a\"}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"tools\":[{\"name\":\"a\"}],\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"id\":\"m2\",\"role\":\"assistant\",\"toolCalls\":[{\"id\":\"c1\",\"function\":\"a\"}]}]}",
                "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"tools\":[{\"name\":\"a\"}],\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"id\":\"m2\",\"role\":\"tool\",\"content\":\"x\"}]}"
            })
    void agUi_badBody_400InvalidRequest(String body) throws Exception {
        nothingStarted(() -> {
            HttpResponse<String> r = post("/api/ag-ui", body);
            assertRefused(400, "invalid_request", r.statusCode(), r.body());
        });
    }

    @Test
    void agUi_frontendToolsWithoutTheProvidersClient_400NamingTheWayOut() throws Exception {
        nothingStarted(() -> {
            HttpResponse<String> r =
                    post("/api/ag-ui", RUN.replace("\"tools\":[]", "\"tools\":[{\"name\":\"confirm\"}]"));
            assertRefused(400, "invalid_request", r.statusCode(), r.body());
            assertTrue(r.body().contains("no frontend tools for anthropic"), r.body());
            HttpResponse<String> unknown = post(
                    "/api/ag-ui",
                    RUN.replace("\"tools\":[]", "\"tools\":[{\"name\":\"confirm\"}]")
                            .replace("\"forwardedProps\":{}", "\"forwardedProps\":{\"provider\":\"nope\"}"));
            assertRefused(400, "unknown_provider", unknown.statusCode(), unknown.body());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/chat", "/api/ag-ui"})
    void post_limitsOfEveryEndpoint_refused(String path) throws Exception {
        boolean chat = path.equals("/api/chat");
        nothingStarted(() -> {
            HttpResponse<String> text = send(
                    "POST",
                    path,
                    chat ? CHAT : RUN,
                    Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "text/plain"));
            assertRefused(415, "unsupported_media_type", text.statusCode(), text.body());
            String big = (chat ? CHAT : RUN).replace("\"hi\"", "\"" + "x".repeat(5000) + "\"");
            HttpResponse<String> large = post(path, big);
            assertRefused(413, "request_too_large", large.statusCode(), large.body());
            String options = "\"maxTokens\":5000";
            HttpResponse<String> tokens = post(
                    path,
                    chat
                            ? CHAT.replace("{\"id\"", "{" + options + ",\"id\"")
                            : RUN.replace("\"forwardedProps\":{}", "\"forwardedProps\":{" + options + "}"));
            assertRefused(400, "max_tokens_too_large", tokens.statusCode(), tokens.body());
            String unknown = "\"provider\":\"nope\"";
            HttpResponse<String> provider = post(
                    path,
                    chat
                            ? CHAT.replace("{\"id\"", "{" + unknown + ",\"id\"")
                            : RUN.replace("\"forwardedProps\":{}", "\"forwardedProps\":{" + unknown + "}"));
            assertRefused(400, "unknown_provider", provider.statusCode(), provider.body());
            HttpResponse<String> get = send("GET", path, null, Map.of("Authorization", "Bearer " + TOKEN));
            assertRefused(405, "method_not_allowed", get.statusCode(), get.body());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/chat/unknown-chat/stream", "/api/chat/chat-0001/stream"})
    void resume_nothingRunning_204(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, Map.of("Authorization", "Bearer " + TOKEN));
        assertEquals(204, r.statusCode(), r.body());
        HttpResponse<String> post = send(
                "POST", path, "{}", Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
        assertRefused(405, "method_not_allowed", post.statusCode(), post.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/chat/chat%200001/stream", "/api/chat/chat.0001/stream", "/api/chat/c1/stream"})
    void resume_malformedChatId_400(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, Map.of("Authorization", "Bearer " + TOKEN));
        assertRefused(400, "invalid_request", r.statusCode(), r.body());
    }

    @Test
    void resume_pathBeyondTheStream_404() throws Exception {
        HttpResponse<String> r =
                send("GET", "/api/chat/chat-0001/stream/more", null, Map.of("Authorization", "Bearer " + TOKEN));
        assertRefused(404, "not_found", r.statusCode(), r.body());
    }
}
