package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of main code, in every module under {@code lib/}, {@code examples/} and {@code
 * benchmarks/}, declares its nullness: its {@code package-info.java} is annotated with JSpecify's
 * {@code @NullMarked}, so that a reader (and Kotlin, and NullAway in the build) knows that nothing
 * in it is null unless it says {@code @Nullable}. A package added without one fails here.
 */
class NullnessDeclaredTest {
    /** The repository's root, from lib/sluice. */
    private static final Path ROOT = Path.of("../..");

    private static final Pattern MARKED = Pattern.compile(
            "(?s).*import org\\.jspecify\\.annotations\\.NullMarked;.*|(?s).*@org\\.jspecify\\.annotations\\.NullMarked.*");
    private static final Pattern ANNOTATED =
            Pattern.compile("(?s).*@(org\\.jspecify\\.annotations\\.)?NullMarked\\s+package .*");

    @Test
    void everyPackageOfMainCode_isNullMarked() throws IOException {
        List<Path> roots = mainSourceRoots();
        assertTrue(roots.size() >= 15, "the main source roots of every module: " + roots);
        TreeSet<String> unmarked = new TreeSet<>();
        int packages = 0;
        for (Path root : roots) {
            try (Stream<Path> dirs = Files.walk(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    if (!hasJavaClasses(dir)) continue;
                    packages++;
                    Path info = dir.resolve("package-info.java");
                    String text = Files.exists(info) ? Files.readString(info, StandardCharsets.UTF_8) : "";
                    if (!MARKED.matcher(text).matches()
                            || !ANNOTATED.matcher(text).matches()) {
                        unmarked.add(ROOT.relativize(dir).toString());
                    }
                }
            }
        }
        assertTrue(packages >= 50, "packages found: " + packages);
        assertEquals(new TreeSet<String>(), unmarked, "packages without an @NullMarked package-info.java");
    }

    @Test
    void marked_tellsAnAnnotatedPackageInfoFromOneWithout() {
        String marked = "/** Doc. */\n@NullMarked\npackage a.b;\n\nimport org.jspecify.annotations.NullMarked;\n";
        assertTrue(MARKED.matcher(marked).matches() && ANNOTATED.matcher(marked).matches());
        String bare = "/** Doc. */\npackage a.b;\n";
        assertTrue(!MARKED.matcher(bare).matches() && !ANNOTATED.matcher(bare).matches());
        String commented = "/** Not {@code @NullMarked} yet. */\npackage a.b;\n";
        assertTrue(!ANNOTATED.matcher(commented).matches());
    }

    private static List<Path> mainSourceRoots() throws IOException {
        try (Stream<Path> found =
                Stream.of("lib", "examples", "benchmarks").map(ROOT::resolve).flatMap(NullnessDeclaredTest::walk)) {
            return found.filter(p -> p.endsWith(Path.of("src/main/java")))
                    .filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .sorted()
                    .toList();
        }
    }

    private static Stream<Path> walk(Path top) {
        try {
            return Files.walk(top, 4).filter(Files::isDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasJavaClasses(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .anyMatch(n ->
                            n.endsWith(".java") && !n.equals("package-info.java") && !n.equals("module-info.java"));
        }
    }
}
