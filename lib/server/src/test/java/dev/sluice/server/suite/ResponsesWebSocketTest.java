package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.PartialJson;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Responses API over a WebSocket ({@code GET /v1/responses} upgraded) of a real {@link RelayServer},
 * translated to the testkit's server speaking OpenAI Chat Completions, driven by the JDK's WebSocket
 * client as Codex drives it: warm-up, {@code previous_response_id} with only the new input, one
 * response after another.
 */
class ResponsesWebSocketTest {
    private static final String TOKEN = "responses-ws-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final CountDownLatch HELD = new CountDownLatch(1);
    private static FakeLlmServer fake;
    private static OpenAiClient openai;
    private static RelayServer server;
    private static RelayServer switchedOff;
    /** Bodies of at most 4 KiB, the kept conversation included. */
    private static RelayServer small;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().start();
        fake.setDispatcher(ResponsesWebSocketTest::answer);
        openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini")
                .build();
        RelayAdmission http =
                RelayAdmission.builder(relay).maxStreamsPerClient(20).build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
        switchedOff = RelayServer.builder(http)
                .gateway(gateway)
                .token(TOKEN)
                .responsesWebSocket(false)
                .start();
        RelayAdmission smallHttp =
                RelayAdmission.builder(relay).maxRequestBytes(4096).build();
        small = RelayServer.builder(smallHttp)
                .gateway(GatewayHttp.builder(smallHttp)
                        .provider("openai", openai)
                        .build())
                .token(TOKEN)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        switchedOff.close();
        small.close();
        openai.close();
        fake.close();
    }

    private static FakeResponse answer(RecordedRequest request) {
        String body = request.body();
        if (body.contains("upstream refuses"))
            return FakeResponse.apiError(400, "invalid_request_error", "the upstream refused it");
        if (body.contains("hold the answer"))
            return FakeResponse.answer().text("First words, ", "then the rest.").pauseAfter(1, HELD);
        if (body.contains("drops mid-answer"))
            return FakeResponse.answer().text("Sent ", "before ", "the drop.").cutAfter(1);
        if (body.contains("second question"))
            return FakeResponse.answer().text("Second answer.").usage(9, 2);
        return FakeResponse.answer().text("Hello", " there.").usage(5, 2);
    }

    private static URI ws(RelayServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/v1/responses");
    }

    private static WebSocket connect(RelayServer s, TextFrames frames) {
        return HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(ws(s), frames)
                .join();
    }

    private static String create(String body) {
        return "{\"type\":\"response.create\"," + body.substring(1);
    }

    /** {@return the frames up to the response's last event: response.completed, .failed, .incomplete or error} */
    private static List<String> response(TextFrames frames) throws InterruptedException {
        List<String> events = new ArrayList<>();
        while (true) {
            String e = frames.next();
            events.add(e);
            if (List.of("response.completed", "response.failed", "response.incomplete", "error")
                    .contains(type(e))) return events;
        }
    }

    private static Map<?, ?> object(String json) {
        return (Map<?, ?>) PartialJson.parse(json).value();
    }

    private static String type(String event) {
        return String.valueOf(object(event).get("type"));
    }

    private static int handshakeStatus(WebSocket.Builder builder, URI uri) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> builder.buildAsync(uri, new TextFrames()).join());
        return assertInstanceOf(WebSocketHandshakeException.class, e.getCause())
                .getResponse()
                .statusCode();
    }

    /** The events' JSON with what differs from one answer to the next (ids, times) left out. */
    private static String normalized(String json) {
        return json.replaceAll("\"(id|item_id|response_id)\":\"[^\"]*\"", "\"$1\":\"X\"")
                .replaceAll("\"created_at\":[0-9]+", "\"created_at\":0");
    }

    @Test
    void upgrade_withoutOrWithWrongToken_401BeforeUpgrading() {
        assertEquals(401, handshakeStatus(HTTP.newWebSocketBuilder(), ws(server)));
        assertEquals(
                401,
                handshakeStatus(
                        HTTP.newWebSocketBuilder().header("Authorization", "Bearer not-the-token-0123456789"),
                        ws(server)));
    }

    @Test
    void get_withoutUpgrade_405AllowingPost() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/responses"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode(), r.body());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void upgrade_switchedOff_426() {
        assertEquals(
                426,
                handshakeStatus(
                        HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN), ws(switchedOff)));
    }

    @Test
    void responseCreate_streamedAsFrames_sameEventsAsTheSseDoor() throws Exception {
        String body = "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"say hello\",\"stream\":true}";
        HttpResponse<String> sse = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/responses"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sse.statusCode(), sse.body());
        List<String> expected = sse.body()
                .lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> normalized(l.substring(6)))
                .toList();
        assertTrue(expected.size() >= 4, sse.body());

        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        socket.sendText(create(body), true).join();
        List<String> got = response(frames).stream()
                .map(ResponsesWebSocketTest::normalized)
                .toList();
        assertEquals(expected, got);
        assertEquals("response.completed", type(got.getLast()));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void warmUpThenTurns_previousResponseId_sendsTheSocketsWholeConversationUpstream() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        int before = fake.requests().size();
        String first = "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"first question\"}]";
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"store\":false,"
                                + "\"generate\":false,\"input\":" + first + "}",
                        true)
                .join();
        List<String> warmUp = response(frames);
        assertEquals(
                List.of("response.created", "response.completed"),
                warmUp.stream().map(ResponsesWebSocketTest::type).toList());
        Map<?, ?> warm = (Map<?, ?>) object(warmUp.getLast()).get("response");
        assertEquals(List.of(), warm.get("output"));
        assertEquals(before, fake.requests().size(), "the warm-up asks no upstream");

        // the first turn: the warm-up's input, nothing new
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"store\":false,"
                                + "\"previous_response_id\":\"" + warm.get("id") + "\",\"input\":[]}",
                        true)
                .join();
        List<String> turn = response(frames);
        Map<?, ?> done = (Map<?, ?>) object(turn.getLast()).get("response");
        assertEquals("response.completed", type(turn.getLast()), turn.toString());
        assertTrue(fake.requests().getLast().body().contains("first question"));

        // the second: only the new input, the rest from the socket
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"store\":false,"
                                + "\"previous_response_id\":\"" + done.get("id") + "\",\"input\":"
                                + "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"second question\"}]}",
                        true)
                .join();
        List<String> second = response(frames);
        assertEquals("response.completed", type(second.getLast()), second.toString());
        String upstream = fake.requests().getLast().body();
        int a = upstream.indexOf("first question");
        int b = upstream.indexOf("Hello there.");
        int c = upstream.indexOf("second question");
        assertTrue(a >= 0 && a < b && b < c, "the whole conversation, in order: " + upstream);

        // an id that is not the socket's last response
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\","
                                + "\"previous_response_id\":\"" + done.get("id") + "\",\"input\":\"again\"}",
                        true)
                .join();
        Map<?, ?> refused = object(frames.next());
        assertEquals("error", refused.get("type"));
        assertEquals(400L, refused.get("status"));
        assertEquals("previous_response_not_found", ((Map<?, ?>) refused.get("error")).get("code"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void responseCreate_whileOneRuns_concurrentResponseErrorThenTheFirstEnds() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"hold the answer\"}",
                        true)
                .join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> frames.frames.stream().anyMatch(f -> f.contains("output_text.delta")));
        socket.sendText("{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"too soon\"}", true)
                .join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> frames.frames.stream().anyMatch(f -> f.contains("\"concurrent_response\"")));
        HELD.countDown();
        List<String> events = response(frames);
        Map<?, ?> refused = object(
                events.stream().filter(e -> type(e).equals("error")).findFirst().orElseThrow());
        assertEquals(409L, refused.get("status"));
        assertEquals("concurrent_response", ((Map<?, ?>) refused.get("error")).get("code"));
        List<String> rest = type(events.getLast()).equals("error") ? response(frames) : events;
        assertEquals("response.completed", type(rest.getLast()));
        assertTrue(rest.getLast().contains("then the rest."), rest.getLast());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void responseCreate_upstreamFailsBeforeContent_errorFrameWithTheSseDoorsStatus() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"upstream refuses\"}",
                        true)
                .join();
        Map<?, ?> error = object(frames.next());
        assertEquals("error", error.get("type"), error.toString());
        assertEquals(400L, error.get("status"));
        assertInstanceOf(Map.class, error.get("error"));
        // the socket goes on: the next response
        socket.sendText("{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"say hello\"}", true)
                .join();
        assertEquals("response.completed", type(response(frames).getLast()));
        // a refusal of the door's own (an unknown model), in the same shape
        socket.sendText("{\"type\":\"response.create\",\"model\":\"nobody/none\",\"input\":\"hi\"}", true)
                .join();
        Map<?, ?> unknown = object(frames.next(5));
        assertEquals(404L, unknown.get("status"));
        assertEquals("model_not_found", ((Map<?, ?>) unknown.get("error")).get("code"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void responseCreate_upstreamDropsMidAnswer_endsInResponseFailedAsTheSseDoor() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"drops mid-answer\"}",
                        true)
                .join();
        List<String> events = response(frames);
        assertTrue(events.stream().anyMatch(e -> type(e).equals("response.output_text.delta")), events.toString());
        assertEquals("response.failed", type(events.getLast()), events.toString());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void conversation_pastTheBodyLimit_413ErrorFrame_andAMessagePastIt_closes1009() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(small, frames);
        String words = "many words ".repeat(200); // 2.2 KB: one turn fits in 4 KiB, two do not
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"input\":\"" + words + "\"}",
                        true)
                .join();
        List<String> first = response(frames);
        assertEquals("response.completed", type(first.getLast()), first.toString());
        Object id = ((Map<?, ?>) object(first.getLast()).get("response")).get("id");
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai/gpt-4o-mini\",\"previous_response_id\":\""
                                + id + "\",\"input\":\"" + words + "\"}",
                        true)
                .join();
        Map<?, ?> refused = object(frames.next());
        assertEquals("error", refused.get("type"));
        assertEquals(413L, refused.get("status"), refused.toString());

        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        WebSocket.Listener closing = new WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(code);
                return null;
            }
        };
        WebSocket second = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .buildAsync(ws(small), closing)
                .join();
        second.sendText("{\"type\":\"response.create\",\"input\":\"" + "x".repeat(8192) + "\"}", true);
        assertEquals(1009, closed.get(10, java.util.concurrent.TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void passthrough_previousResponseId_sendsTheOutputItemsBackWithoutTheirIds() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket socket = connect(server, frames);
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai-responses/gpt-5-mini\",\"store\":false,"
                                + "\"input\":\"first question\"}",
                        true)
                .join();
        List<String> first = response(frames);
        assertEquals("response.completed", type(first.getLast()), first.toString());
        Map<?, ?> done = (Map<?, ?>) object(first.getLast()).get("response");
        String itemId = String.valueOf(((Map<?, ?>) ((List<?>) done.get("output")).getFirst()).get("id"));
        assertTrue(itemId.length() > 8 && !itemId.equals("null"), done.toString());
        socket.sendText(
                        "{\"type\":\"response.create\",\"model\":\"openai-responses/gpt-5-mini\",\"store\":false,"
                                + "\"previous_response_id\":\"" + done.get("id") + "\",\"input\":\"second question\"}",
                        true)
                .join();
        assertEquals("response.completed", type(response(frames).getLast()));
        RecordedRequest upstream = fake.requests().getLast();
        assertTrue(upstream.path().endsWith("/responses"), upstream.path());
        Map<?, ?> sent = object(upstream.body());
        List<?> input = (List<?>) sent.get("input");
        assertEquals(3, input.size(), upstream.body());
        assertTrue(upstream.body().contains("Hello there."), upstream.body());
        assertTrue(!upstream.body().contains(itemId), "no item id goes back: " + upstream.body());
        assertEquals(null, sent.get("previous_response_id"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
}
