package dev.sluice.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Issue 79's "no default or documented model is retired", held for what a user reads and copies: every
 * model id the README, {@code docs/} and {@code examples/} spell is a current model of the
 * {@link ModelCatalog} — one with no retirement date and no replacement named — so that a retirement
 * entered in {@code models.tsv} fails here until the pages move on (the defaults are held by
 * {@code ProviderCatalogTest}). Not checked: {@code docs/models.md}, the table itself, and a line
 * that is about a retirement (naming it retired, shut down, deprecated or replaced). Ids are read as
 * written (lowercase, a cloud's or a router's prefix allowed: {@code us.anthropic.}, {@code openai/},
 * {@code anthropic:}); prose such as "GPT-5 and later" names a family's rules, not a model to use.
 */
class DocumentedModelsTest {
    private static final Path ROOT = Path.of("../..");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:@/-]+");
    private static final Pattern MODEL = Pattern.compile("^(?:claude-|gpt-|gemini-|o[1-9](?:-|$))");
    private static final Pattern ABOUT_RETIREMENT = Pattern.compile("retire|shut down|shutdown|deprecat|replace");
    private static final Pattern PROVIDER_PREFIX = Pattern.compile("^[a-z][a-z-]*:(?!//)");
    private static final List<String> SUFFIXES =
            List.of(".md", ".java", ".properties", ".yml", ".yaml", ".sql", ".json", ".sh", ".toml", ".txt", ".html");

    @Test
    void readmeDocsAndExamples_everyModelIdACurrentModel() throws IOException {
        List<Path> files = pages();
        assertTrue(files.size() > 20, "the pages were not found under " + ROOT.toAbsolutePath());
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String name = ROOT.relativize(f).toString().replace('\\', '/');
            if (name.equals("docs/models.md")) continue;
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (ABOUT_RETIREMENT.matcher(line.toLowerCase(Locale.ROOT)).find()) continue;
                Matcher m = TOKEN.matcher(line);
                while (m.find()) {
                    String id = modelId(m.group());
                    if (id == null) continue;
                    Optional<ModelCapabilities> row = ModelCatalog.find(id);
                    if (row.isPresent()
                            && (row.get().retires() != null || row.get().replacement() != null)) {
                        found.add(name + ":" + (i + 1) + ": " + id + " ("
                                + row.get().model() + ": retires " + row.get().retires() + ", replaced by "
                                + row.get().replacement() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), found, "a documented model is retired or retiring: name its replacement instead");
    }

    @Test
    void modelId_readAsWrittenWithItsPrefixes() {
        assertEquals("claude-sonnet-4-5", modelId("anthropic:claude-sonnet-4-5,"));
        assertEquals("openai-responses/gpt-5-mini", modelId("openai-responses/gpt-5-mini"));
        assertEquals("us.anthropic.claude-sonnet-5-5", modelId("us.anthropic.claude-sonnet-5-5."));
        assertEquals("o4-mini", modelId("o4-mini"));
        assertEquals(null, modelId("GPT-5"));
        assertEquals(null, modelId("https://platform.claude.com/docs/en/models/overview"));
    }

    /** {@return the token as a model id the table may know, or null when it is not one} */
    static @Nullable String modelId(String token) {
        String t = token;
        while (!t.isEmpty() && ".:,/".indexOf(t.charAt(t.length() - 1)) >= 0) t = t.substring(0, t.length() - 1);
        if (t.contains("://") || !t.equals(t.toLowerCase(Locale.ROOT))) return null;
        Matcher provider = PROVIDER_PREFIX.matcher(t);
        if (provider.find() && !MODEL.matcher(t).find()) t = t.substring(provider.end());
        String bare = ModelCatalog.normalize(t);
        return MODEL.matcher(bare).find() ? t : null;
    }

    /** {@return the README, every page under docs/ and every source and page of the examples} */
    private static List<Path> pages() throws IOException {
        List<Path> all = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        for (String dir : List.of("docs", "examples")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile)
                        .filter(p ->
                                SUFFIXES.stream().anyMatch(s -> p.toString().endsWith(s)))
                        .filter(p -> !p.toString().contains("/target/")
                                && !p.toString().contains("/node_modules/"))
                        .sorted()
                        .forEach(all::add);
            }
        }
        return all;
    }
}
