package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Structured answers through the chat protocols, read by the official clients
 * ({@code structured-answers.mjs}): {@code POST /api/chat} with a schema, as a {@code data-object}
 * part that the {@code ai} package's {@code readUIMessageStream} replaces in place; {@code POST
 * /api/ag-ui} with {@code forwardedProps.schema}, as an activity that {@code @ag-ui/client}'s
 * {@code HttpAgent} builds from its snapshot and JSON Patches; failures after the object, and a
 * fallback chain's restart.
 */
class StructuredAnswerProtocolsTest {
    private static final String WAFFLES =
            "{\"title\":\"Waffles\",\"minutes\":5,\"ingredients\":[],\"steps\":[\"Mix\"]}";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static NodeClients.Run run;
    private static final Map<String, Map<?, ?>> cases = new HashMap<>();

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
        RelayAdmission http = RelayAdmission.builder(relay).build();
        server = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .start();
        fake.enqueue(
                FakeResponse.object().paced(Duration.ZERO, Duration.ofMillis(2)), // the script's order
                FakeResponse.object().refused("I will not write that recipe."),
                FakeResponse.object().wrongTypeAt("/minutes"),
                FakeResponse.object().paced(Duration.ZERO, Duration.ofMillis(2)),
                FakeResponse.object().wrongTypeAt("/minutes"));
        RelayEvent[] restart = {
            new RelayEvent.Start("anthropic", "m"),
            new RelayEvent.ObjectDelta("{\"title\":\"Pan", false),
            new RelayEvent.ObjectDelta("cakes\",\"minutes\":12,", false),
            new RelayEvent.ObjectDelta("{\"title\":\"Waff", true),
            new RelayEvent.ObjectDelta("les\",\"minutes\":5,\"ingredients\":[],\"steps\":[\"Mix\"]}", false),
            new RelayEvent.Done("stop", 3, 2, 10L, 5)
        };
        Path ui = NodeClients.written("restart.sse", out -> new UiMessageStreamWriter(out, "msg-1"), restart);
        Path agUi = NodeClients.written(
                "restart-ag-ui.sse", out -> new AgUiWriter(out, "thread-restart", "run-restart"), restart);
        run = NodeClients.run("structured-answers.mjs", 90, server.uri().toString(), ui.toString(), agUi.toString());
        cases.putAll(run.cases());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
    }

    private static Map<?, ?> outcome(String name) {
        Map<?, ?> c = cases.get(name);
        assertTrue(c != null, name + " missing from " + run.stdout() + run.stderr());
        return c;
    }

    private static List<Map<?, ?>> of(Map<?, ?> c, String member, String type) {
        return ((List<?>) c.get(member))
                .stream()
                        .<Map<?, ?>>map(e -> (Map<?, ?>) e)
                        .filter(e -> type.equals(e.get("type")))
                        .toList();
    }

    private static List<String> types(Map<?, ?> c, String member) {
        return ((List<?>) c.get(member))
                .stream().map(e -> (String) ((Map<?, ?>) e).get("type")).toList();
    }

    /** {@return the data-object parts the message held after each chunk} */
    private static List<List<?>> objects(Map<?, ?> c) {
        return ((List<?>) c.get("objects"))
                .stream().<List<?>>map(o -> (List<?>) o).toList();
    }

    @Test
    void chat_withSchema_dataObjectPartFillsInPlaceAndEndsWithTheWholeObject() {
        Map<?, ?> c = outcome("ui-recipe");
        assertNull(c.get("error"), c.toString());
        List<Map<?, ?>> parts = of(c, "chunks", "data-object");
        assertTrue(parts.size() > 3, "the object filled in over several parts: " + parts);
        parts.forEach(p -> assertEquals(UiMessageStreamWriter.OBJECT_PART_ID, p.get("id")));
        List<String> types = types(c, "chunks");
        assertEquals(List.of("start", "start-step"), types.subList(0, 2));
        assertEquals(List.of("finish-step", "finish"), types.subList(types.size() - 2, types.size()));
        for (List<?> held : objects(c)) assertTrue(held.size() <= 1, "one part, replaced in place: " + held);
        Map<?, ?> last = (Map<?, ?>) ((Map<?, ?>) objects(c).getLast().getFirst()).get("data");
        assertEquals(parts.getLast().get("data"), last);
        assertTrue(((String) last.get("title")).toLowerCase().contains("pancake"), last.toString());
        assertTrue(!((List<?>) last.get("steps")).isEmpty(), last.toString());
        assertEquals(List.of(), c.get("errors"));
    }

    @Test
    void chat_withSchemaRefused_errorChunkAndNoObject() {
        Map<?, ?> c = outcome("ui-refused");
        assertEquals(List.of(), of(c, "chunks", "data-object"));
        Map<?, ?> error = of(c, "chunks", "error").getFirst();
        assertTrue(((String) error.get("errorText")).contains("refus"), error.toString());
    }

    @Test
    void chat_withSchemaBrokenByTheAnswer_errorChunkAfterTheLastObjectPart() {
        Map<?, ?> c = outcome("ui-mismatch");
        List<String> types = types(c, "chunks");
        assertTrue(
                types.lastIndexOf("data-object") >= 0 && types.indexOf("error") > types.lastIndexOf("data-object"),
                types.toString());
        assertTrue(!types.contains("finish"), types.toString());
    }

    @Test
    void chat_restartedAnswer_nextPartReplacesTheFirstAttemptsValue() {
        Map<?, ?> c = outcome("ui-restart");
        List<Map<?, ?>> parts = of(c, "chunks", "data-object");
        assertEquals(
                List.of("Pan", "Pancakes", "Waff", "Waffles"),
                parts.stream()
                        .map(p -> String.valueOf(((Map<?, ?>) p.get("data")).get("title")))
                        .toList());
        List<?> held = objects(c).getLast();
        assertEquals(1, held.size(), held.toString());
        assertEquals(PartialJson.parse(WAFFLES).value(), ((Map<?, ?>) held.getFirst()).get("data"));
    }

    @Test
    void agUi_withSchema_activityBuiltFromSnapshotAndPatchesEqualsTheWholeObject() {
        Map<?, ?> c = outcome("ag-ui-recipe");
        assertNull(c.get("error"), c.toString());
        List<String> types = types(c, "events");
        assertEquals(List.of("RUN_STARTED", "ACTIVITY_SNAPSHOT", "ACTIVITY_DELTA"), types.subList(0, 3));
        assertEquals("RUN_FINISHED", types.getLast());
        assertEquals(1, types.stream().filter("ACTIVITY_SNAPSHOT"::equals).count(), types.toString());
        List<Map<?, ?>> deltas = of(c, "events", "ACTIVITY_DELTA");
        assertTrue(deltas.size() > 3, deltas.toString());
        List<?> ops = deltas.stream()
                .flatMap(d -> ((List<?>) d.get("patch")).stream())
                .map(o -> ((Map<?, ?>) o).get("op"))
                .distinct()
                .toList();
        assertTrue(
                ops.containsAll(List.of("add", "replace")) && ops.size() == 2,
                "grow-only: adds, and replaces of strings that grew: " + ops);
        Map<?, ?> content = activity(c);
        assertEquals(
                AgUiWriter.ACTIVITY_TYPE, ((Map<?, ?>) ((List<?>) c.get("messages")).getLast()).get("activityType"));
        Map<?, ?> ui =
                (Map<?, ?>) ((Map<?, ?>) objects(outcome("ui-recipe")).getLast().getFirst()).get("data");
        assertEquals(ui, content, "the same fake answer for the same prompt, through either protocol");
    }

    @Test
    void agUi_withSchemaBrokenByTheAnswer_runErrorNamesTheMismatch() {
        Map<?, ?> c = outcome("ag-ui-mismatch");
        Map<?, ?> error = of(c, "events", "RUN_ERROR").getFirst();
        assertEquals("schema_mismatch", error.get("code"), error.toString());
        assertTrue(!activity(c).isEmpty());
    }

    @Test
    void agUi_restartedAnswer_secondSnapshotReplacesTheContent() {
        Map<?, ?> c = outcome("ag-ui-restart");
        assertNull(c.get("error"), c.toString());
        assertEquals(
                2,
                types(c, "events").stream().filter("ACTIVITY_SNAPSHOT"::equals).count(),
                c.toString());
        assertEquals(PartialJson.parse(WAFFLES).value(), activity(c));
    }

    /** {@return the content of the agent's one activity message} */
    private static Map<?, ?> activity(Map<?, ?> c) {
        List<Map<?, ?>> activities = ((List<?>) c.get("messages"))
                .stream()
                        .<Map<?, ?>>map(m -> (Map<?, ?>) m)
                        .filter(m -> "activity".equals(m.get("role")))
                        .toList();
        assertEquals(1, activities.size(), c.toString());
        return (Map<?, ?>) activities.getFirst().get("content");
    }
}
