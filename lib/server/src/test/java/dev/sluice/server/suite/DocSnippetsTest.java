package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code ```js} block of the README and of docs/ runs exactly as written: each is saved as a
 * file beside the real npm clients' {@code node_modules} and run with Node against a real
 * {@link RelayServer} (the AI SDK, AG-UI and gateway routes, the tool runner with {@code get_weather},
 * the testkit's fake model; {@code /api/object} for {@code useObject}, through the gateway's client),
 * with only {@code SLUICE_URL} set, as a reader would set it. Each must
 * end with exit code 0 and print what its doc says it prints. A block that approves tool calls runs
 * against a server whose runner asks approval of {@code get_weather}, and must approve one.
 */
class DocSnippetsTest {
    private static final Path ROOT = NodeClients.DIR.resolve("../../../../..").normalize();
    /** What a snippet's output must hold, by the package it imports. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "from 'ai'", List.of("tool-get_weather", "text"),
            "from '@ag-ui/client'", List.of("RUN_STARTED", "TOOL_CALL_RESULT", "RUN_FINISHED"),
            "from 'openai'", List.of("call: get_weather", "usage:"),
            "import('@ai-sdk/react')", List.of(" ingredients", "done: "));

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static RelayServer approving; // its runner asks approval of get_weather

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", TestTools.runner(anthropic, Duration.ofMillis(5)))
                .build();
        RelayAdmission http = RelayAdmission.builder(relay).build();
        server = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http)
                        .provider("anthropic", anthropic)
                        .build())
                .start();
        approving = RelayServer.start(
                Relay.builder()
                        .source(
                                "anthropic",
                                "claude-sonnet-4-5",
                                TestTools.runner(anthropic, Duration.ofMillis(5), ApprovalPolicy.tools("get_weather")))
                        .build(),
                "127.0.0.1",
                0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (approving != null) approving.close();
        if (anthropic != null) anthropic.close();
    }

    @TestFactory
    Stream<DynamicTest> everyJsBlock_runsAsWritten() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            docs.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        for (Path doc : docs) {
            int n = 0;
            for (String block : blocks(Files.readAllLines(doc, StandardCharsets.UTF_8))) {
                String name = ROOT.relativize(doc) + " block " + ++n;
                tests.add(DynamicTest.dynamicTest(name, () -> runs(name, block)));
            }
        }
        assertTrue(tests.size() >= 3, "found " + tests.size() + " js blocks in " + docs);
        return tests.stream();
    }

    private static void runs(String name, String block) throws Exception {
        List<String> expected = EXPECTED.entrySet().stream()
                .filter(e -> block.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        name + " imports none of " + EXPECTED.keySet() + ": say here what it must print"));
        boolean approves = block.contains("approving");
        if (approves)
            expected = Stream.concat(expected.stream(), Stream.of("approving", "mild"))
                    .toList(); // approved, and the tool ran
        Path file = Files.createTempFile(
                NodeClients.DIR, ".doc-snippet-", ".mjs"); // beside node_modules, as a reader's file is
        try {
            Files.writeString(file, block, StandardCharsets.UTF_8);
            NodeClients.Run run = NodeClients.run(
                    file.getFileName().toString(),
                    60,
                    Map.of(
                            "SLUICE_URL",
                            (approves ? approving : server).uri().toString().replaceAll("/$", "")));
            assertEquals(0, run.exitCode(), name + ":\n" + run.stderr() + run.stdout());
            for (String e : expected)
                assertTrue(
                        run.stdout().contains(e), name + " printed no \"" + e + "\":\n" + run.stdout() + run.stderr());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@return the bodies of the {@code ```js} blocks of a Markdown file, in order} */
    static List<String> blocks(List<String> markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown) {
            if (current == null && line.strip().equals("```js")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }
}
