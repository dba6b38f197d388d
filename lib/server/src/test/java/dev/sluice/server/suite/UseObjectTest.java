package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/object} with the Vercel AI SDK's own {@code useObject}, rendered with React 19 in
 * jsdom ({@code use-object.mjs}), a zod schema in the hook and its JSON Schema in the body: the
 * object fills in as the fake model streams it, {@code onFinish} validates it; failures before the
 * first byte are JSON errors the hook shows, after it a cut stream, and a complete object that
 * breaks the schema reaches {@code onFinish} as zod's error.
 */
class UseObjectTest {
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
        // in the script's order (the body without a schema reaches no model); the last is the fake's own
        // answer, paced so that the page renders it as it grows
        fake.enqueue(
                FakeResponse.object().refused("I will not write that recipe."),
                FakeResponse.object().errorAfter(6),
                FakeResponse.object().wrongTypeAt("/minutes"),
                FakeResponse.object().paced(Duration.ZERO, Duration.ofMillis(5)));
        run = NodeClients.run("use-object.mjs", 90, server.uri().toString());
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

    @Test
    void useObject_recipe_fillsInAndOnFinishValidatesIt() {
        Map<?, ?> c = outcome("recipe");
        List<?> rendered = (List<?>) c.get("rendered");
        assertTrue(rendered.size() > 3, "the object filled in over several renders: " + rendered);
        Map<?, ?> last = (Map<?, ?>) rendered.getLast();
        Map<?, ?> finished = (Map<?, ?>) ((List<?>) c.get("finished")).getFirst();
        assertNull(finished.get("error"), c.toString());
        assertEquals(last, finished.get("object"));
        assertTrue(((String) last.get("title")).toLowerCase().contains("pancake"), last.toString());
        assertTrue(!((List<?>) last.get("steps")).isEmpty(), last.toString());
        assertNull(c.get("error"));
        // each render shows at least what the one before showed: a prefix of the final JSON's values
        Map<?, ?> first = (Map<?, ?>) rendered.getFirst();
        assertTrue(first.size() <= last.size(), rendered.toString());
    }

    @Test
    void useObject_refusedBeforeTheFirstByte_hookShowsTheJsonError() {
        Map<?, ?> c = outcome("refused");
        assertEquals(List.of(), c.get("rendered"));
        String error = (String) c.get("error");
        assertTrue(error.contains("\"type\":\"refused\""), error);
        assertEquals(List.of(error), c.get("onError"));
    }

    @Test
    void useObject_bodyWithoutSchema_400NamesTheSchema() {
        String error = (String) outcome("no-schema").get("error");
        assertTrue(error.contains("invalid_request") && error.contains("\\\"schema\\\" is required"), error);
    }

    @Test
    void useObject_failureAfterContent_streamIsCutAndTheHookFails() {
        Map<?, ?> c = outcome("cut");
        assertTrue(!((List<?>) c.get("rendered")).isEmpty(), c.toString());
        assertTrue(c.get("error") != null, "a cut stream is an error, not a clean end: " + c);
        assertEquals(List.of(), c.get("finished"));
    }

    @Test
    void useObject_completeObjectBreakingTheSchema_onFinishReportsZodsError() {
        Map<?, ?> c = outcome("mismatch");
        Map<?, ?> finished = (Map<?, ?>) ((List<?>) c.get("finished")).getFirst();
        assertNull(finished.get("object"), c.toString());
        assertTrue(finished.get("error") != null, c.toString());
        assertNull(c.get("error"), c.toString());
    }
}
