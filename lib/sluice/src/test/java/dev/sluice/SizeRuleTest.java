package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SizeRule} on fixture files, and on the main sources of every module at once (the build checks each module's own). */
class SizeRuleTest {
    /** The repository's root. */
    private static final Path ROOT = Path.of("../..");

    @Test
    void mainSources_everyFileOverTheSize_saysWhyItIsLong() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> roots = Stream.of("lib", "examples", "benchmarks").map(ROOT::resolve)) {
            for (Path dir : roots.toList()) {
                try (Stream<Path> found =
                        Files.find(dir, 4, (p, a) -> a.isDirectory() && p.endsWith(Path.of("src", "main", "java")))) {
                    for (Path root : found.toList()) files.addAll(Layers.javaFiles(root));
                }
            }
        }
        assertTrue(files.size() > 500, "the main sources were found: " + files.size());
        assertEquals(List.of(), SizeRule.violations(files));
    }

    @Test
    void violations_fileOverTheSizeWithoutAParagraph_isFound(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("Long.java"), source("/** A long class. */\n", 600));
        assertEquals(
                List.of(f + ": 605 lines, over 600, and no paragraph before its type beginning"
                        + " \"Why this file is long:\" (say what makes it long, or split it)"),
                SizeRule.violations(List.of(f)));
    }

    @Test
    void violations_fileOverTheSizeWithAParagraph_passes(@TempDir Path dir) throws IOException {
        Path javadoc = Files.writeString(
                dir.resolve("A.java"),
                source("/**\n * A long class.\n *\n * <p>Why this file is long: one state machine.\n */\n", 700));
        Path comment = Files.writeString(
                dir.resolve("B.java"), source("// Why this file is long: one wire format, read and written.\n", 700));
        assertEquals(List.of(), SizeRule.violations(List.of(javadoc, comment)));
    }

    @Test
    void violations_paragraphOnlyInsideTheType_isFound(@TempDir Path dir) throws IOException {
        String inside = "package p;\n\nfinal class Long {\n    // Why this file is long: said too late.\n"
                + "    int x;\n".repeat(700) + "}\n";
        Path f = Files.writeString(dir.resolve("Long.java"), inside);
        assertEquals(1, SizeRule.violations(List.of(f)).size());
    }

    @Test
    void violations_markerWithNoReason_isFound(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("Long.java"), source("/** Why this file is long: */\n", 700));
        assertEquals(1, SizeRule.violations(List.of(f)).size());
    }

    @Test
    void violations_fileOfExactlyTheSize_passes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("Short.java"), source("", 596));
        assertEquals(600, Files.readAllLines(f).size());
        assertEquals(List.of(), SizeRule.violations(List.of(f)));
    }

    /** {@return a Java file: the package line, a blank line, {@code header}, a class of {@code body} lines and its braces' two} */
    private static String source(String header, int body) {
        return "package p;\n\n" + header + "final class Long {\n" + "    int x;\n".repeat(body) + "}\n";
    }
}
