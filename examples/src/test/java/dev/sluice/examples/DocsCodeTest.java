package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java in the README and in docs/ is compiled code: every line of each {@code ```java} block
 * (blank lines and lines with a {@code ...} elision aside, white space around a line ignored)
 * stands, in that order, in one source file that the tests run: the examples, the test kit, the
 * {@code sluice} tool's (its demo tools), the OpenTelemetry artifact's (its Javadoc's example), the
 * Spring AI artifact's (its tests, which hold docs/spring.md's examples: Spring stays out of the examples)
 * or the library's (its tests, which hold docs/clouds.md's bridges from the clouds' own credential
 * libraries: those stay test dependencies of the library, out of the examples).
 * A block marked {@code <!-- whole: PATH -->} is more: the whole file at PATH, which a reader can paste.
 * (The JavaScript blocks are whole programs that {@code DocSnippetsTest} in {@code sluice-server}
 * runs as written.)
 */
class DocsCodeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Path> SOURCE_ROOTS = List.of(
            ROOT.resolve("examples/src"),
            ROOT.resolve("examples/flink/src"),
            ROOT.resolve("examples/tomcat/src"),
            ROOT.resolve("examples/spring-boot/src"),
            ROOT.resolve("lib/testkit/src"),
            ROOT.resolve("lib/otel/src"),
            ROOT.resolve("lib/cli/src"),
            ROOT.resolve("lib/spring-ai/src"),
            ROOT.resolve("lib/sluice/src"));

    @Test
    void everyJavaBlock_standsInOneSourceFile() throws IOException {
        List<List<String>> sources = new ArrayList<>();
        for (Path root : SOURCE_ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList())
                    sources.add(stripped(read(f)));
            }
        }
        Check java = check("```java", sources, l -> !l.contains("..."));
        assertTrue(java.blocks() > 10, "found " + java.blocks() + " blocks");
        assertEquals(List.of(), java.missing());
    }

    /**
     * A block under {@code <!-- whole: PATH -->} is a whole program a reader can paste: the file at
     * PATH (which a test compiles and runs) line for line, its {@code package} line and Javadoc aside
     * (white space around a line and blank lines ignored), in a package of no library (whose types
     * it would use unimported, where a reader's file needs imports); and every Java block of the guides
     * newcomers paste from ({@link #WHOLE_GUIDES}) is one.
     */
    @Test
    void wholeBlocks_areTheirFilesLineForLine_andEveryBlockOfTheGuidesIsOne() throws IOException {
        List<String> differing = new ArrayList<>();
        int whole = 0;
        for (Path doc : docs()) {
            List<String> markdown = read(doc);
            for (int i = 0; i < markdown.size(); i++) {
                Matcher m = WHOLE.matcher(markdown.get(i).strip());
                if (!m.matches()) continue;
                whole++;
                assertEquals(
                        "```java",
                        i + 1 < markdown.size() ? markdown.get(i + 1).strip() : "",
                        ROOT.relativize(doc) + ":" + (i + 1)
                                + ": a whole-program marker must stand right above a ```java block");
                List<String> block = blocks(markdown.subList(i + 1, markdown.size()), "```java")
                        .getFirst();
                List<String> source = read(ROOT.resolve(m.group(1)));
                List<String> file = withoutPackageAndJavadoc(source);
                if (!nonBlank(block).equals(nonBlank(file)))
                    differing.add(ROOT.relativize(doc) + ":" + (i + 1) + " is not " + m.group(1));
                java.util.Optional<String> lib = libraryPackage(source);
                if (lib.isPresent())
                    differing.add(
                            ROOT.relativize(doc) + ":" + (i + 1) + ": " + m.group(1) + " is in a package of "
                                    + lib.get()
                                    + ", whose types it uses without the imports a reader's file needs: move it to a package of its own");
            }
        }
        assertEquals(List.of(), differing);
        assertTrue(whole >= 4, "found " + whole + " whole blocks");
        List<String> fragments = new ArrayList<>();
        for (String guide : WHOLE_GUIDES) {
            List<String> markdown = read(ROOT.resolve(guide));
            for (int i = 0; i < markdown.size(); i++) {
                if (markdown.get(i).strip().equals("```java")
                        && (i == 0
                                || !WHOLE.matcher(markdown.get(i - 1).strip()).matches()))
                    fragments.add(guide + ":" + (i + 1));
            }
        }
        assertEquals(
                List.of(),
                fragments,
                "a fragment in a guide newcomers paste from: make it a whole program, marked <!-- whole: PATH -->");
    }

    /** The guides whose every Java block is a whole program a reader can paste. */
    private static final List<String> WHOLE_GUIDES =
            List.of("docs/objects.md", "docs/langchain4j.md", "docs/spring.md");

    /** {@return the library module ({@code lib/NAME}) whose main code shares the file's package, if one does} */
    private static java.util.Optional<String> libraryPackage(List<String> file) throws IOException {
        String pkg = file.stream()
                .map(String::strip)
                .filter(l -> l.startsWith("package "))
                .map(l -> l.substring("package ".length(), l.length() - 1).strip())
                .findFirst()
                .orElse("");
        if (pkg.isEmpty()) return java.util.Optional.empty();
        try (Stream<Path> libs = Files.list(ROOT.resolve("lib"))) {
            return libs.filter(lib ->
                            Files.isDirectory(lib.resolve("src/main/java").resolve(pkg.replace('.', '/'))))
                    .map(lib -> ROOT.relativize(lib).toString())
                    .findFirst();
        }
    }

    private static final Pattern WHOLE = Pattern.compile("<!-- whole: (\\S+\\.java) -->");

    /** {@return the lines but the package declaration and the Javadoc comments (which say where the file is shown and run)} */
    private static List<String> withoutPackageAndJavadoc(List<String> lines) {
        List<String> kept = new ArrayList<>();
        boolean javadoc = false;
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("/**")) javadoc = true;
            if (!javadoc && !l.startsWith("package ")) kept.add(line);
            if (javadoc && l.endsWith("*/")) javadoc = false;
        }
        return kept;
    }

    private static List<String> nonBlank(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            docs.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        return docs;
    }

    /** How many blocks the README and docs/ hold, and those that stand in no source. */
    private record Check(int blocks, List<String> missing) {}

    /**
     * {@return the README's and docs/'s blocks fenced by {@code fence}, counted, and those whose
     * non-empty lines kept by {@code keep} (stripped) stand, in order, in none of {@code sources}}
     */
    private static Check check(String fence, List<List<String>> sources, java.util.function.Predicate<String> keep)
            throws IOException {
        List<String> missing = new ArrayList<>();
        int blocks = 0;
        for (Path doc : docs()) {
            for (List<String> block : blocks(read(doc), fence)) {
                blocks++;
                List<String> lines = block.stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty() && keep.test(l))
                        .toList();
                if (lines.isEmpty()) continue;
                if (sources.stream().noneMatch(source -> containsInOrder(source, lines))) {
                    missing.add(ROOT.relativize(doc) + ": " + lines.getFirst() + " (" + lines.size() + " lines)");
                }
            }
        }
        return new Check(blocks, missing);
    }

    @Test
    void containsInOrder_findsLinesInOrderAndNotOutOfIt() {
        List<String> source = List.of("a", "b", "c", "d");
        assertTrue(containsInOrder(source, List.of("a", "c")));
        assertTrue(!containsInOrder(source, List.of("c", "a")));
    }

    static List<List<String>> blocks(List<String> markdown, String fence) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown) {
            if (current == null && line.strip().equals(fence)) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    static boolean containsInOrder(List<String> source, List<String> lines) {
        int at = 0;
        for (String line : source) {
            if (at < lines.size() && line.equals(lines.get(at))) at++;
        }
        return at == lines.size();
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).toList();
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
