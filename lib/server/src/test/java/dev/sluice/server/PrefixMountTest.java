package dev.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.TextFrames;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The servlet mounted under a prefix of an application ({@code /app/chat/*} in the context
 * {@code /app}): every address it answers with begins with the prefix, the page's own addresses
 * are relative to it, and the mount without its slash is redirected to the page.
 */
class PrefixMountTest {
    private static final String TOKEN = "a-token-of-sixteen-chars";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static Server jetty;
    private static URI base;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .build();
        RelayHttpApi routes = RelayHttpApi.builder(new RelayAdmission(relay))
                .page(ChatPage.assets())
                .token(TOKEN)
                .build();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServlet(new ServletHolder(new RelayServlet(routes)), "/chat/*");
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        anthropic.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mountWithoutItsSlash_redirectedToThePage() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/app/chat")));
        assertEquals(308, r.statusCode());
        assertEquals("/app/chat/", r.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> page = send(HttpRequest.newBuilder(base.resolve("/app/chat/")));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("src=\"assets/app.js\""), "the page's addresses are relative to it");
        assertEquals(
                200,
                send(HttpRequest.newBuilder(base.resolve("/app/chat/assets/app.js")))
                        .statusCode());
    }

    @Test
    void token_pageOpenedWithIt_cookieAndRedirectUnderThePrefix() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/app/chat/?token=" + TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, r.statusCode());
        assertEquals("/app/chat/", r.headers().firstValue("Location").orElseThrow());
        assertTrue(
                r.headers().firstValue("Set-Cookie").orElseThrow().contains("; Path=/app/chat/;"),
                r.headers().toString());
    }

    @Test
    void post_created_locationAndEventsUnderThePrefix_andTheStreamReadThere() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/app/chat/api/streams"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")));
        assertEquals(201, created.statusCode(), created.body());
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        assertEquals(
                "/app/chat/api/streams/" + id,
                created.headers().firstValue("Location").orElseThrow());
        assertTrue(created.body().contains("\"events\":\"/app/chat/api/streams/" + id + "/events\""), created.body());
        HttpResponse<String> events =
                send(HttpRequest.newBuilder(base.resolve("/app/chat/api/streams/" + id + "/events")));
        assertEquals(200, events.statusCode());
        assertTrue(events.body().contains("event: done"), events.body());
    }

    @Test
    void chat_itsCookieOnTheChatRoutesUnderThePrefix() throws Exception {
        HttpResponse<String> chat = send(HttpRequest.newBuilder(base.resolve("/app/chat/api/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"chat-under-prefix\",\"messages\":[{\"role\":\"user\","
                                + "\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}")));
        assertEquals(200, chat.statusCode(), chat.body());
        String set = chat.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(
                set.matches("sluice-chat=[A-Za-z0-9_-]{43}; Path=/app/chat/api/chat; HttpOnly; SameSite=Strict"), set);
    }

    @Test
    void webSocket_underThePrefix_streams() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + base.getPort() + "/app/chat/api/ws"), frames)
                .join();
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\"}", true).join();
        String frame;
        do {
            frame = frames.next();
        } while (!frame.contains("\"type\":\"done\"") && !frame.contains("\"type\":\"error\""));
        assertTrue(frame.contains("\"type\":\"done\""), frame);
        ws.abort();
    }
}
