package dev.sluice.server.suite;

import static dev.sluice.server.suite.SseTestClient.HTTP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's own protocol carrying a structured answer: {@code POST /api/streams} (and a WebSocket
 * {@code start} frame) with a {@code "schema"} streams {@code object} events, the pieces of the
 * object's JSON text, resumable like every relay event.
 */
class RelayObjectStreamTest {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},"
            + "\"minutes\":{\"type\":\"integer\"},\"ingredients\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
            + "\"properties\":{\"name\":{\"type\":\"string\"},\"quantity\":{\"type\":\"string\"}},\"required\":[\"name\",\"quantity\"]}},"
            + "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"title\",\"minutes\",\"ingredients\",\"steps\"]}";
    private static final String RECIPE = "{\"prompt\":\"A recipe for pancakes\",\"schema\":" + SCHEMA + "}";
    /** A schema whose checking is exponential (review H2): a union of references back to itself. */
    private static final String HOSTILE =
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}},\"$defs\":{\"x\":{\"anyOf\":"
                    + "[{\"$ref\":\"#/$defs/x\"},{\"$ref\":\"#/$defs/x\"},{\"type\":\"string\"}]}}}";
    /** How the relay says why it refuses {@link #HOSTILE}. */
    private static final String HOSTILE_WHY = "schema object at /$defs/x: refers to itself through $ref, anyOf, "
            + "oneOf, allOf or not without descending into a property or an item (/$defs/x → /$defs/x/anyOf/0 → /$defs/x);"
            + " such a schema cannot be checked in linear time";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static URI base;

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
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(50)
                .maxCreationsPerMinute(1000)
                .build();
        server = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .start();
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
    }

    /** {@return the object's JSON text: the {@code object} events' pieces, in order} */
    private static String json(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            if (!e.type().equals("object")) continue;
            Map<?, ?> data = (Map<?, ?>) PartialJson.parse(e.data()).value();
            if (Boolean.TRUE.equals(data.get("reset"))) sb.setLength(0);
            sb.append((String) data.get("json"));
        }
        return sb.toString();
    }

    private static List<SseEvent> readWhole(String id) throws Exception {
        try (SseTestClient c = SseTestClient.open(base, id, null)) {
            c.readAll();
            return c.events;
        }
    }

    @Test
    void post_withSchema_startObjectPiecesThenDone_theWholeRecipe() throws Exception {
        List<SseEvent> events = readWhole(SseTestClient.create(base, RECIPE));
        List<String> types = events.stream().map(SseEvent::type).toList();
        assertEquals("start", types.getFirst());
        assertEquals("done", types.getLast(), types.toString());
        assertTrue(types.subList(1, types.size() - 1).stream().allMatch("object"::equals), types.toString());
        assertTrue(types.size() > 6, "the object arrives in pieces: " + types);
        Map<?, ?> recipe = (Map<?, ?>) PartialJson.parse(json(events)).value();
        assertTrue(((String) recipe.get("title")).toLowerCase().contains("pancake"), recipe.toString());
        assertTrue(
                !((List<?>) recipe.get("ingredients")).isEmpty() && !((List<?>) recipe.get("steps")).isEmpty(),
                recipe.toString());
    }

    @Test
    void events_cutMidObjectAndResumedWithLastEventId_nothingLostOrTwice() throws Exception {
        String whole = json(readWhole(SseTestClient.create(base, RECIPE)));
        String id = SseTestClient.create(base, RECIPE);
        Random random = new Random(11);
        List<SseEvent> received = new ArrayList<>();
        String last = null;
        int connections = 0;
        while (received.isEmpty() || !received.getLast().type().equals("done")) {
            assertTrue(++connections < 300, "too many connections");
            try (SseTestClient c = SseTestClient.open(base, id, last)) {
                assertEquals(200, c.response.statusCode());
                c.readUntil(e -> false, 40 + random.nextInt(300)); // then cut, mid-object
                received.addAll(c.events);
                if (!c.events.isEmpty()) last = c.events.getLast().lastEventId();
            }
        }
        assertTrue(connections >= 4, "cut several times: " + connections);
        List<Long> ids =
                received.stream().map(e -> Long.parseLong(e.lastEventId())).toList();
        assertEquals(LongStream.rangeClosed(1, ids.size()).boxed().toList(), ids, "nothing lost, nothing twice");
        assertEquals(whole, json(received));
        assertTrue(PartialJson.parse(whole).isValid(), whole);
    }

    @Test
    void webSocket_startWithSchema_objectFramesCarryTheJson() throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws"), frames)
                .join();
        ws.sendText("{\"type\":\"start\"," + RECIPE.substring(1), true).join();
        StringBuilder json = new StringBuilder();
        List<String> types = new ArrayList<>();
        String frame;
        do {
            frame = frames.next();
            Map<?, ?> f = (Map<?, ?>) PartialJson.parse(frame).value();
            types.add((String) f.get("type"));
            if ("object".equals(f.get("type"))) json.append((String) f.get("json"));
        } while (!types.getLast().equals("done") && !types.getLast().equals("error"));
        assertEquals("done", types.getLast(), frame);
        assertTrue(types.contains("object"), types.toString());
        Map<?, ?> recipe = (Map<?, ?>) PartialJson.parse(json.toString()).value();
        assertTrue(((String) recipe.get("title")).toLowerCase().contains("pancake"), recipe.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void post_schemaThatCannotBeCheckedInLinearTime_400SayingWhyOnEveryRoute() throws Exception {
        // review H2: two such requests pinned a core each, at every chunk of the answer, after the client had left
        Map<String, String> bodies = Map.of(
                "/api/streams", "{\"prompt\":\"hi\",\"schema\":" + HOSTILE + "}",
                "/api/object", "{\"prompt\":\"hi\",\"schema\":" + HOSTILE + "}",
                "/api/chat",
                        "{\"id\":\"chat-0001\",\"schema\":" + HOSTILE + ",\"messages\":[{\"role\":\"user\",\"parts\":"
                                + "[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
                "/api/ag-ui",
                        "{\"threadId\":\"thread-0001\",\"runId\":\"r\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":"
                                + "\"hi\"}],\"forwardedProps\":{\"schema\":" + HOSTILE + "}}");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            HttpResponse<String> r = HTTP.send(
                    java.net.http.HttpRequest.newBuilder(base.resolve(b.getKey()))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(b.getValue()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), b.getKey() + ": " + r.body());
            Map<?, ?> error =
                    (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("error");
            assertEquals("invalid_request", error.get("type"), b.getKey() + ": " + r.body());
            assertTrue(((String) error.get("message")).endsWith(HOSTILE_WHY), b.getKey() + ": " + r.body());
        }
    }

    @Test
    void webSocket_startWithASchemaThatCannotBeCheckedInLinearTime_errorFrame400SayingWhy_thenTheSocketServesOn()
            throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws"), frames)
                .join();
        int asked = fake.requestCount();
        ws.sendText("{\"type\":\"start\",\"prompt\":\"hi\",\"schema\":" + HOSTILE + "}", true)
                .join();
        String frame = frames.next();
        Map<?, ?> f = (Map<?, ?>) PartialJson.parse(frame).value();
        assertEquals("error", f.get("type"), frame);
        assertEquals(400L, ((Number) f.get("status")).longValue(), frame);
        Map<?, ?> error = (Map<?, ?>) f.get("error");
        assertEquals("invalid_request", error.get("type"), frame);
        assertTrue(((String) error.get("message")).endsWith(HOSTILE_WHY), frame);
        assertEquals(asked, fake.requestCount(), "no model was asked");

        ws.sendText("{\"type\":\"start\"," + RECIPE.substring(1), true).join();
        List<String> types = new ArrayList<>();
        do {
            frame = frames.next();
            types.add((String) ((Map<?, ?>) PartialJson.parse(frame).value()).get("type"));
        } while (!types.getLast().equals("done") && !types.getLast().equals("error"));
        assertEquals("done", types.getLast(), frame);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void gateway_responseFormatThatCannotBeCheckedInLinearTime_passedOnAsGivenAndAnswered() throws Exception {
        // the gateway reads no schema (no partials, no validation): docs/serve.md says it goes to the provider as given
        String marker = "hostile-format-" + System.nanoTime();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                        .timeout(java.time.Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\","
                                        + "\"content\":\"" + marker
                                        + "\"}],\"response_format\":{\"type\":\"json_schema\","
                                        + "\"json_schema\":{\"name\":\"x\",\"schema\":" + HOSTILE + "}}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"finish_reason\":\"stop\""), r.body());
        Object sent = fake.requests().stream()
                .filter(q -> q.body().contains(marker))
                .findFirst()
                .orElseThrow()
                .json("/output_config/format/schema");
        assertEquals(PartialJson.parse(HOSTILE).value(), sent, "the schema reached the provider as given");
    }

    @Test
    void post_schemaNotAnObject_400NamingTheSchema() throws Exception {
        HttpResponse<String> r =
                SseTestClient.post(base, "application/json", "{\"prompt\":\"A recipe\",\"schema\":\"recipe\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("invalid_request") && r.body().contains("\\\"schema\\\""), r.body());
    }

    @Test
    void postObject_answerCutBeforeItsFirstByte_502WithTheJsonError() throws Exception {
        fake.enqueue(FakeResponse.object().truncatedAfter(0));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/api/object"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"prompt\":\"A recipe\",\"schema\":{\"type\":\"object\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        assertTrue(r.body().startsWith("{\"error\":{\"type\":\""), r.body());
    }
}
