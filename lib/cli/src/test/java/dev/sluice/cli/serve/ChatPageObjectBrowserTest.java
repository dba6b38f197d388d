package dev.sluice.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat page's structured answers in a real headless Chromium: with "Recipe" chosen as the
 * answer, the turn asks the relay for an object ({@code POST /api/streams} with a schema) and shows
 * it as it fills in: the recipe's members as a definition list, the ingredients as a table that
 * grows a row per finished ingredient, the steps as a list; never the JSON text. Screenshots at
 * 1280 and 390 px under {@code target/screenshots/}.
 */
class ChatPageObjectBrowserTest {
    private static final Path SCREENSHOTS = ChatPageBrowserTest.SCREENSHOTS;

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static ServeServer server;
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        RelayAdmission http = new RelayAdmission(Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .heartbeat(Duration.ofSeconds(1))
                .build());
        server = ServeServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .start();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (anthropic != null) anthropic.close();
    }

    @BeforeEach
    void openThePage() throws Exception {
        browser.viewport(1280, 800, false);
        open();
        browser.eval("localStorage.clear(); sessionStorage.clear(); true");
        open();
    }

    private static void open() throws Exception {
        browser.navigate(server.uri());
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.eval("window.sluicePage !== undefined && window.sluicePage.ready === true")
                        .asBoolean());
    }

    private static final String ANSWER = ".turn.assistant:last-child .seg.object";

    private record Sample(int rows, int steps, String text) {}

    private static Sample sample() throws Exception {
        JsonNode n = browser.eval("(() => { const a = document.querySelector(" + JsonText.quoteHtmlSafe(ANSWER) + ");"
                + " return a ? { rows: a.querySelectorAll('tbody tr').length, steps: a.querySelectorAll('ul.obj-list li').length,"
                + " text: a.textContent } : { rows: 0, steps: 0, text: '' }; })()");
        return new Sample(
                n.get("rows").asInt(), n.get("steps").asInt(), n.get("text").asText());
    }

    private static void ask(String transport) throws Exception {
        browser.eval("document.getElementById('transport').value = " + JsonText.quoteHtmlSafe(transport) + ";"
                + "document.getElementById('shape').value = 'recipe';"
                + "document.getElementById('prompt').value = 'A recipe for pancakes';"
                + "document.getElementById('send').click(); true");
    }

    @Test
    void recipe_streaming_tableGrowsRowByRowThenEndsWhole() throws Exception {
        fake.enqueue(FakeResponse.object().paced(Duration.ZERO, Duration.ofMillis(30)));
        ask("sse");
        List<Sample> samples = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(40))
                .until(() -> {
                    samples.add(sample());
                    return browser.eval("window.sluicePage.state").asText().equals("done");
                });
        Sample last = sample();
        Map<?, ?> recipe = (Map<?, ?>)
                PartialJson.parse(browser.eval("window.sluicePage.text").asText())
                        .value();
        List<?> ingredients = (List<?>) recipe.get("ingredients");
        List<?> steps = (List<?>) recipe.get("steps");
        assertEquals(ingredients.size(), last.rows(), "every ingredient a row at the end");
        assertEquals(steps.size(), last.steps(), "every step an item at the end");
        assertTrue(ingredients.size() >= 2, recipe.toString());
        List<Integer> rows = samples.stream().map(Sample::rows).distinct().toList();
        assertTrue(rows.size() >= 3, "the table grew while streaming, seen with " + rows + " rows");
        for (int i = 1; i < samples.size(); i++) {
            assertTrue(samples.get(i).rows() >= samples.get(i - 1).rows(), "rows only appear: " + rows);
        }
        assertTrue(
                samples.stream().anyMatch(s -> s.rows() > 0 && s.rows() < ingredients.size()),
                "seen part of the table");
        // what a row shows is a whole ingredient: the last sample with some rows shows each row's name and quantity
        // whole
        JsonNode cells =
                browser.eval("Array.from(document.querySelectorAll(" + JsonText.quoteHtmlSafe(ANSWER + " tbody tr")
                        + ")).map(r => Array.from(r.cells).map(c => c.textContent))");
        for (int i = 0; i < ingredients.size(); i++) {
            Map<?, ?> ingredient = (Map<?, ?>) ingredients.get(i);
            assertEquals(ingredient.get("name"), cells.get(i).get(0).asText());
            assertEquals(ingredient.get("quantity"), cells.get(i).get(1).asText());
        }
        for (Sample s : samples)
            assertFalse(s.text().contains("{\"") || s.text().contains("\":"), "never the JSON text: " + s.text());
        assertTrue(last.text().contains((String) recipe.get("title")), last.text());
        assertNoSeriousAxeViolation("structured answer");
        browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        browser.screenshot(SCREENSHOTS.resolve("chat-object.png"));

        browser.viewport(390, 844, true);
        open();
        assertEquals(ingredients.size(), sample().rows(), "rebuilt from the stored answer after a reload");
        assertTrue(
                browser.eval("document.documentElement.scrollWidth <= 390").asBoolean(),
                "nothing wider than the phone");
        browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        browser.screenshot(SCREENSHOTS.resolve("chat-object-390.png"));
        assertNoSeriousAxeViolation("structured answer, 390 px");
    }

    @Test
    void recipe_overWebSocketWithHostileText_shownAsTextNotMarkup() throws Exception {
        String evil = "<img src=x onerror=\\\"window.__pwned=1\\\">";
        fake.enqueue(FakeResponse.object(
                "{\"title\":\"" + evil + "\",\"minutes\":5,\"servings\":2,",
                "\"ingredients\":[{\"name\":\"<b>flour</b>\",\"quantity\":\"1 cup\"}],",
                "\"steps\":[\"<script>window.__pwned=2</script>\"]}"));
        ask("ws");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> browser.eval("window.sluicePage.state").asText().equals("done"));
        assertFalse(browser.eval("window.__pwned !== undefined").asBoolean());
        assertEquals(
                0,
                browser.eval("document.querySelectorAll('.seg.object img, .seg.object b, .seg.object script').length")
                        .asInt());
        assertTrue(sample().text().contains("<b>flour</b>"), sample().text());
    }

    private static void assertNoSeriousAxeViolation(String where) throws Exception {
        ChatPageBrowserTest.assertNoSeriousAxeViolation(browser, where);
    }
}
