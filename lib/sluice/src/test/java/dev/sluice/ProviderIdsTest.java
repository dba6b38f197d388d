package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.providers.ProviderCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ProviderCatalog} is the only table of providers (STYLE.md rule 22): no main source of any
 * module (every artifact under {@code lib/} and the examples) spells one of its ids as a string
 * literal, but the catalog and the few places listed here. A consumer that needs a provider reads
 * the catalog ({@code ProviderCatalog.BEDROCK}, {@code .id()}, {@code .cloud()}, {@code Target.parse}),
 * so that adding a provider is adding one constant. Comments are not code: Javadoc may name providers.
 * Test sources are not scanned, on purpose: a test spells an id as the expectation it holds the code to
 * ({@code assertEquals("anthropic", chunk.provider())}, a CLI's {@code --provider bedrock}, over a hundred
 * files); read from the catalog instead, an id renamed by mistake would pass them all.
 */
class ProviderIdsTest {
    private static final Path ROOT = Path.of("../..");
    private static final String CATALOG = "lib/sluice/src/main/java/dev/sluice/providers/ProviderCatalog.java";

    /**
     * Source file → the ids it may spell, as often as listed, and why. Two kinds:
     *
     * <ul>
     *   <li>a client's name for itself (its {@code providerName()}, its streams' {@code StreamStart.provider()}
     *       and its opaque state's {@code ProviderState.provider()}): one constant per client or route,
     *       in the provider's own package, which sits below the catalog and cannot read it; a client
     *       built without the catalog ({@code AnthropicClient.builder().bedrock(access)}) names itself
     *       all the same. {@code ProviderCatalogTest.connect_eachProvider_aClientNamingItselfByTheId}
     *       holds each to the catalog's id, so the two cannot drift;
     *   <li>a wire value that happens to equal an id: AWS's SigV4 service name {@code bedrock}, and
     *       Vertex AI's publisher {@code anthropic} in a model's path (the test kit serves both, and
     *       depends on the JDK only).
     * </ul>
     */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("lib/sluice/src/main/java/dev/sluice/anthropic/AnthropicChunks.java", List.of("anthropic")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/anthropic/BedrockRoute.java", List.of("bedrock-anthropic")),
            Map.entry(
                    "lib/sluice/src/main/java/dev/sluice/anthropic/BedrockMantleRoute.java",
                    List.of("bedrock-mantle-anthropic")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/anthropic/FoundryRoute.java", List.of("foundry-anthropic")),
            Map.entry( // the route's name; twice Vertex AI's publisher of Claude in the model's path
                    "lib/sluice/src/main/java/dev/sluice/anthropic/VertexRoute.java",
                    List.of("anthropic", "anthropic", "vertex-anthropic")),
            Map.entry( // its Chat Completions' names on each route; the Responses API's on Bedrock
                    "lib/sluice/src/main/java/dev/sluice/openai/OpenAiClient.java",
                    List.of("openai", "azure-openai", "bedrock-openai", "bedrock-openai-responses")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/openai/ResponsesChat.java", List.of("openai-responses")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/gemini/GeminiChunks.java", List.of("gemini", "vertex")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/bedrock/BedrockChunks.java", List.of("bedrock")),
            Map.entry("lib/sluice/src/main/java/dev/sluice/aws/AwsAccess.java", List.of("bedrock")), // SIGNING_NAME
            Map.entry( // the runtime host's signing name, which AwsAccess.SIGNING_NAME repeats for its users
                    "lib/sluice/src/main/java/dev/sluice/internal/low/aws/BedrockHost.java", List.of("bedrock")),
            Map.entry("lib/testkit/src/main/java/dev/sluice/testkit/clouds/FakeBedrock.java", List.of("bedrock")),
            Map.entry(
                    "lib/testkit/src/main/java/dev/sluice/testkit/internal/wire/vertex/VertexAnthropicWire.java",
                    List.of("anthropic")));

    @Test
    void mainSources_providerIdLiterals_onlyInTheCatalogAndWhereListed() throws IOException {
        Set<String> ids =
                ProviderCatalog.all().stream().map(ProviderCatalog::id).collect(Collectors.toSet());
        Map<String, List<String>> found = new TreeMap<>();
        int files = 0;
        boolean catalogSeen = false;
        for (Path f : mainSources()) {
            files++;
            String name = ROOT.toAbsolutePath()
                    .normalize()
                    .relativize(f.toAbsolutePath().normalize())
                    .toString()
                    .replace('\\', '/');
            List<String> spelled = Layers.literals(Files.readString(f)).stream()
                    .filter(ids::contains)
                    .toList();
            if (name.equals(CATALOG)) {
                catalogSeen = true;
                assertEquals(ids, Set.copyOf(spelled), "the catalog spells each id");
                continue;
            }
            if (!spelled.isEmpty() && !spelled.equals(ALLOWED.getOrDefault(name, List.of()))) found.put(name, spelled);
        }
        assertTrue(files > 400 && catalogSeen, "the modules' sources were not found under " + ROOT.toAbsolutePath());
        assertEquals(
                Map.of(),
                found,
                "a provider's id is ProviderCatalog's: use ProviderCatalog.X.id(), .cloud(), .api() or Target.parse"
                        + " (a file listed here and changed: update its list)");
    }

    @Test
    void literals_stringsAndTextBlocksInCodeOnly() {
        String s = "String a = \"anthropic\"; // \"openai\"\n"
                + "/** {@code \"gemini\"} */ char c = '\"'; String b = \"say \\\"hi\\\"\" + \"x\";\n"
                + "String t = \"\"\"\n    bedrock\"\"\"; String e = \"\";";
        assertEquals(List.of("anthropic", "say \\\"hi\\\"", "x", "    bedrock", ""), Layers.literals(s));
    }

    /** {@return the main sources of every module: the artifacts under lib/ and the examples} */
    private static List<Path> mainSources() throws IOException {
        List<Path> roots = new ArrayList<>();
        for (String group : List.of("lib", "examples")) {
            try (Stream<Path> modules = Files.list(ROOT.resolve(group))) {
                modules.filter(Files::isDirectory).sorted().forEach(roots::add);
            }
        }
        roots.add(ROOT.resolve("examples")); // the examples' own module, beside its sub-modules
        List<Path> all = new ArrayList<>();
        for (Path module : roots) {
            Path src = module.resolve("src/main/java");
            if (!Files.isDirectory(src)) continue;
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(all::add);
            }
        }
        return all;
    }
}
