package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of docs/ resolves: its file (or folder) exists, and its
 * {@code #anchor}, in a Markdown file, is one of that file's headings as GitHub names them
 * (lower case, punctuation dropped, spaces as hyphens, a repeated heading numbered). Links in code
 * are not links; addresses with a scheme ({@code https:}, {@code mailto:}) are not checked here.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern INLINE =
            Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s+(\\S+)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    @Test
    void everyRelativeLinkAndAnchor_resolves() throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (String target : targets(lines, i)) {
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) continue; // https:, mailto:
                    links++;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    String anchor = hash < 0 ? null : target.substring(hash + 1);
                    Path file =
                            path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                    String where = ROOT.relativize(doc) + ":" + (i + 1) + ": " + target;
                    if (!Files.exists(file)) {
                        broken.add(where + " (no " + ROOT.relativize(file) + ")");
                    } else if (anchor != null
                            && file.toString().endsWith(".md")
                            && !anchors.computeIfAbsent(file, DocsLinksTest::anchors)
                                    .contains(anchor)) {
                        broken.add(where + " (no such heading in " + ROOT.relativize(file) + ")");
                    }
                }
            }
        }
        assertTrue(links > 50, "found " + links + " relative links");
        assertEquals(List.of(), broken);
    }

    /**
     * A part of another doc named in prose — {@code the README's "Deploying"}, {@code relay.md, "The
     * relay in a server of your own"} — exists there: a heading, or a paragraph that opens with the
     * name in bold ({@code **Name.**}), as the docs name their parts.
     */
    @Test
    void everyPartNamedInProse_existsInItsDoc() throws IOException {
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (inFence(lines, i)) continue;
                Matcher m = NAMED_PART.matcher(lines.get(i));
                while (m.find()) {
                    named++;
                    String name = m.group(1).endsWith(".md") ? m.group(1) : m.group(1) + ".md";
                    Path target = Files.exists(doc.getParent().resolve(name))
                            ? doc.getParent().resolve(name)
                            : ROOT.resolve(name);
                    String where = ROOT.relativize(doc) + ":" + (i + 1) + ": " + m.group();
                    if (!Files.exists(target)) missing.add(where + " (no " + name + ")");
                    else if (!parts(target).contains(plain(m.group(2))))
                        missing.add(where + " (no such part in " + ROOT.relativize(target) + ")");
                }
            }
        }
        assertTrue(named >= 3, "found " + named + " parts named in prose");
        assertEquals(List.of(), missing);
    }

    private static final Pattern NAMED_PART = Pattern.compile(
            "\\[?((?:[\\w.-]+/)*(?:README(?:\\.md)?|[\\w-]+\\.md))(?:\\]\\([^)]*\\))?(?:'s)?,?\\s+\"([^\"]+)\"");
    private static final Pattern BOLD_LEAD = Pattern.compile("^\\*\\*(.+?)[.:]?\\*\\*");

    /** {@return the names of a doc's parts: its headings and its paragraphs' bold leads, in plain text} */
    private static Set<String> parts(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        Set<String> parts = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (inFence(lines, i)) continue;
            Matcher h = HEADING.matcher(lines.get(i));
            if (h.matches()) parts.add(plain(h.group(1)));
            Matcher b = BOLD_LEAD.matcher(lines.get(i));
            if (b.find()) parts.add(plain(b.group(1)));
        }
        return parts;
    }

    private static String plain(String name) {
        return name.replace("`", "").replaceAll("[.:]$", "").strip();
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            docs.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        return docs;
    }

    @Test
    void anchors_areGitHubsNamesOfTheHeadings() {
        assertEquals(
                Set.of(
                        "typed-objects-useobject",
                        "the-vercel-ai-sdks-ui-message-stream",
                        "deploying",
                        "deploying-1",
                        "in-langchain4j-spring-ai-and-spring-boot",
                        "own"),
                anchors(List.of(
                        "# Typed objects: `useObject`",
                        "## The Vercel AI SDK's UI message stream",
                        "## Deploying",
                        "```",
                        "# not a heading",
                        "```",
                        "### Deploying",
                        "## In LangChain4j, Spring AI and Spring Boot",
                        "<a id=\"own\"></a>")));
    }

    /** {@return the link targets on line i, outside fenced code and inline code} */
    private static List<String> targets(List<String> lines, int i) {
        if (inFence(lines, i)) return List.of();
        String line = lines.get(i).replaceAll("`[^`]*`", "``");
        List<String> targets = new ArrayList<>();
        Matcher m = INLINE.matcher(line);
        while (m.find()) targets.add(m.group(1));
        Matcher r = REFERENCE.matcher(line);
        if (r.find()) targets.add(r.group(1));
        return targets;
    }

    private static boolean inFence(List<String> lines, int i) {
        boolean in = false;
        for (int j = 0; j <= i; j++) {
            if (lines.get(j).strip().startsWith("```")) {
                if (j == i) return true;
                in = !in;
            }
        }
        return in;
    }

    private static Set<String> anchors(Path markdown) {
        try {
            return anchors(Files.readAllLines(markdown, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher html = HTML_ANCHOR.matcher(lines.get(i));
            while (html.find()) anchors.add(html.group(1));
            if (inFence(lines, i)) continue;
            Matcher h = HEADING.matcher(lines.get(i));
            if (!h.matches()) continue;
            String slug = h.group(1)
                    .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }
}
