package dev.sluice.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.server.suite.RawHttp;
import dev.sluice.server.suite.TextFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application as it ships, started for real on a free port (offline: no key, so the
 * fake model answers) with a token: the page, the relay's API, WebSocket and the frontends'
 * protocols under {@code /sluice/} on Boot's Tomcat, and serve's Host, Origin and token rules set
 * from {@code sluice.server.*}. (The relay's whole suite runs on the same application through
 * {@link BootTomcatHost}.)
 */
class BootChatApplicationTest {
    private static final String TOKEN = "example-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ConfigurableApplicationContext app;
    private static int port;
    private static URI base;

    @BeforeAll
    static void start() {
        app = BootChatApplication.start(
                Map.of(),
                application -> {},
                "--server.port=0",
                "--sluice.server.token=" + TOKEN,
                "--spring.main.banner-mode=off");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        base = URI.create("http://127.0.0.1:" + port + "/sluice/");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void page_openedOnceWithTheToken_thenServedUnderThePath() throws Exception {
        HttpResponse<String> opened = send(HttpRequest.newBuilder(base.resolve("?token=" + TOKEN)));
        assertEquals(303, opened.statusCode());
        String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("Path=/sluice/;"), cookie);
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(base).header("Cookie", cookie.substring(0, cookie.indexOf(';'))));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("src=\"assets/app.js\""), page.body());
        assertEquals(
                308,
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sluice")))
                        .statusCode());
    }

    @Test
    void stream_startedAndRead_fromTheFakeModel() throws Exception {
        HttpResponse<String> created = send(post("api/streams", "{\"prompt\":\"hello\"}"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(
                "application/json",
                created.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
        assertTrue(events.startsWith("/sluice/api/streams/"), events);
        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + events))
                .header("Authorization", "Bearer " + TOKEN));
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains("event: delta") && read.body().contains("event: done"), read.body());
    }

    @Test
    void webSocket_underThePath_streams() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/sluice/api/ws"), frames)
                .join();
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\"}", true).join();
        String frame;
        do {
            frame = frames.next(10);
        } while (!frame.contains("\"type\":\"done\""));
        ws.abort();
    }

    @Test
    void uiMessageStream_agUi_andTheGateway_answerUnderThePath() throws Exception {
        HttpResponse<String> chat = send(post(
                "api/chat",
                "{\"id\":\"example-chat\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\","
                        + "\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"));
        assertEquals(200, chat.statusCode(), chat.body());
        assertEquals(
                "v1", chat.headers().firstValue("x-vercel-ai-ui-message-stream").orElseThrow());
        assertTrue(chat.body().contains("\"type\":\"text-delta\""), chat.body());
        HttpResponse<String> agUi = send(
                post(
                        "api/ag-ui",
                        "{\"threadId\":\"thread-1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\","
                                + "\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}}"));
        assertEquals(200, agUi.statusCode(), agUi.body());
        assertTrue(agUi.body().contains("RUN_FINISHED"), agUi.body());
        HttpResponse<String> completion = send(post(
                "v1/chat/completions",
                "{\"model\":\"anthropic/claude-sonnet-5-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(200, completion.statusCode(), completion.body());
        assertTrue(completion.body().contains("\"object\":\"chat.completion\""), completion.body());
    }

    @Test
    void applicationCode_streamsThroughTheStartersProvider() {
        assertTrue(!app.getBean(Answers.class).answer("hello").isBlank());
    }

    @Test
    void noToken_401() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/streams"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hello\"}")));
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"error\""), r.body());
    }

    @Test
    void foreignOrigin_403_evenWithTheToken() throws Exception {
        HttpResponse<String> r =
                send(post("api/streams", "{\"prompt\":\"hello\"}").header("Origin", "https://evil.example"));
        assertEquals(403, r.statusCode(), r.body());
    }

    @Test
    void foreignHost_403_evenWithTheToken() throws Exception {
        RawHttp.Response r = RawHttp.send(
                port,
                "POST",
                "/sluice/api/streams",
                Map.of(
                        "Host",
                        "rebound.example:" + port,
                        "Authorization",
                        "Bearer " + TOKEN,
                        "Content-Type",
                        "application/json"),
                "{\"prompt\":\"hello\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.status(), r.body());
    }

    @Test
    void foreignOriginUpgrade_403() throws Exception {
        RawHttp.Response r = RawHttp.send(
                port,
                "GET",
                "/sluice/api/ws",
                Map.of(
                        "Host",
                        "127.0.0.1:" + port,
                        "Upgrade",
                        "websocket",
                        "Sec-WebSocket-Version",
                        "13",
                        "Sec-WebSocket-Key",
                        "dGhlIHNhbXBsZSBub25jZQ==",
                        "Origin",
                        "https://evil.example",
                        "Authorization",
                        "Bearer " + TOKEN),
                null);
        assertEquals(403, r.status(), r.body());
    }
}
