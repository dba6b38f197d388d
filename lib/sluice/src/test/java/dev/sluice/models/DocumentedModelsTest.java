package dev.sluice.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79's and 98's "no default or documented model is retiring", held for what a user reads and
 * copies: every model id the README, {@code docs/} and {@code examples/} spell is current on the day
 * the suite runs ({@link ModelCatalog#isCurrent}: not deprecated with a replacement named, not retired,
 * not retiring within {@value ModelCatalog#CURRENT_DAYS} days), so that a retirement entered in {@code
 * models.tsv}, or one coming nearer, fails here until the pages move on (the defaults are held by
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
        assertEquals(
                List.of(),
                notCurrent(files, LocalDate.now(ZoneOffset.UTC)),
                "a documented model is retired, deprecated or retiring: name its replacement instead");
    }

    @Test
    void notCurrent_aModelRetiringWithinSixtyDaysOfTheDay_named(@TempDir Path dir) throws IOException {
        Path page = Files.writeString(
                dir.resolve("page.md"), "Try `gpt-5.1` or `gemini-3.8-flash`.\nIt retires: gpt-5.1.\n");
        assertEquals(List.of(), notCurrent(List.of(page), LocalDate.parse("2027-01-30"))); // 61 days before
        List<String> found = notCurrent(List.of(page), LocalDate.parse("2027-01-31")); // 60 days before
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).endsWith(":1: gpt-5.1 (gpt-5.1: retires 2027-04-01)"), found.get(0));
    }

    /** {@return each model id the pages name that is not current on {@code today}, as file:line: id (why)} */
    static List<String> notCurrent(List<Path> files, LocalDate today) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String name = f.startsWith(ROOT) ? ROOT.relativize(f).toString().replace('\\', '/') : f.toString();
            if (name.equals("docs/models.md")) continue;
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (ABOUT_RETIREMENT.matcher(line.toLowerCase(Locale.ROOT)).find()) continue;
                Matcher m = TOKEN.matcher(line);
                while (m.find()) {
                    String id = modelId(m.group());
                    if (id == null || ModelCatalog.isCurrent(id, today)) continue;
                    ModelCapabilities row = ModelCatalog.find(id).orElseThrow();
                    found.add(name + ":" + (i + 1) + ": " + id + " (" + row.model() + ": "
                            + (row.retires() != null ? "retires " + row.retires() : "deprecated")
                            + ModelCatalog.currentReplacement(id, today)
                                    .map(r -> "; use " + r)
                                    .orElse("") + ")");
                }
            }
        }
        return found;
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
