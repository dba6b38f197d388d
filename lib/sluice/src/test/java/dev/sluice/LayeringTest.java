package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Layers}' table over the sources of every artifact under {@code lib/} at once (the build
 * checks each module's own at {@code verify}), so that a package gone from the sources is seen too;
 * and the reader of the sources the other source checks share ({@link ProviderIdsTest},
 * {@link CarrierRulesTest}).
 */
class LayeringTest {
    /** The folder of every artifact's folder. */
    private static final Path LIB = Path.of("..");

    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void references_followTheLayerTable() throws IOException {
        Set<String> seen = new TreeSet<>();
        assertEquals(List.of(), Layers.violations(sources(), seen));
        assertTrue(seen.containsAll(Layers.tabled()), "packages gone from the sources: " + seen);
    }

    /** The relay core names no HTTP status, media type or URL path ({@link Layers#relayHttp}). */
    @Test
    void relayCode_namesNoHttpStatusMediaTypeOrPath() throws IOException {
        assertEquals(List.of(), Layers.relayHttp(sources()));
    }

    @Test
    void relayHttp_aStatusInTheRelayCore_isFound(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("X.java"), "package dev.sluice.relay;\nclass X { int s = 404; }\n");
        assertEquals(List.of("X.java: 404"), Layers.relayHttp(List.of(f)));
    }

    /** No public exception outside the sealed family ({@link Layers#publicExceptions}). */
    @Test
    void mainSources_noPublicExceptionOutsideTheSealedFamily() throws IOException {
        assertEquals(List.of(), Layers.publicExceptions(sources()));
    }

    @Test
    void publicExceptions_aPublicRuntimeExceptionOutsideTheFamily_isFound(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(
                dir.resolve("X.java"),
                "package dev.sluice.flink;\n/** a row. */\npublic final class X extends RuntimeException {}\n");
        Path nested = Files.writeString(
                dir.resolve("Y.java"),
                "package dev.sluice.relay.internal;\nclass Y { public static final class Z extends IllegalStateException {} }\n");
        Path hidden = Files.writeString(
                dir.resolve("W.java"),
                "package dev.sluice.relay.http;\nfinal class W { static final class R extends RuntimeException {} }\n");
        assertEquals(
                List.of(
                        "X.java: public X extends RuntimeException outside the family (make it a SluiceException, or not public)",
                        "Y.java: public Z extends IllegalStateException outside the family (make it a SluiceException, or not public)"),
                Layers.publicExceptions(List.of(f, nested, hidden)));
    }

    @Test
    void publicExceptions_anUnsealedRootOfTheFamily_isFound(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(
                dir.resolve("SluiceException.java"),
                "package dev.sluice;\npublic abstract class SluiceException extends RuntimeException {}\n");
        assertEquals(
                List.of("SluiceException.java: SluiceException roots the family unsealed"),
                Layers.publicExceptions(List.of(f)));
    }

    @Test
    void violations_aReferenceDownTheWrongWay_isReported(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("Y.java"), "package dev.sluice.sse;\nimport dev.sluice.chat.Z;\n");
        assertEquals(List.of(f + " refers to dev.sluice.chat"), Layers.violations(List.of(f), new TreeSet<>()));
    }

    @Test
    void violations_anExampleUsingAnInternalPackage_isReported(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(
                dir.resolve("E.java"),
                "package dev.sluice.examples.x;\nimport dev.sluice.chat.A;\nimport dev.sluice.internal.low.json.B;\n");
        assertEquals(
                List.of(f + " refers to dev.sluice.internal.low.json"), Layers.violations(List.of(f), new TreeSet<>()));
    }

    @Test
    void violations_aPackageNotInTheTable_isReported(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("N.java"), "package dev.sluice.nowhere;\n");
        assertEquals(
                List.of("dev.sluice.nowhere is not in the layer table: add it to Layers and DESIGN.md"),
                Layers.violations(List.of(f), new TreeSet<>()));
    }

    @Test
    void codeWithoutComments_keepsQualifiedNamesInCodeOnly() {
        String s = "import dev.sluice.chat.X; /** {@link dev.sluice.relay.Y} */ int a; // dev.sluice.agent.Z\n"
                + "String t = \"dev.sluice.openai.Q\";";
        Matcher m = Pattern.compile("\\b(dev\\.sluice(?:\\.[a-z]+)*)\\.[A-Z]").matcher(Layers.code(s));
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(List.of("dev.sluice.chat"), found);
    }

    /** {@return the main sources of every artifact under lib/, module descriptors aside} */
    static List<Path> sources() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> modules = Files.list(LIB)) {
            for (Path m : modules.filter(Files::isDirectory).sorted().toList()) {
                all.addAll(Layers.javaFiles(m.resolve(SOURCES)));
            }
        }
        assertTrue(all.size() > 300, "the artifacts' sources were not found under " + LIB.toAbsolutePath());
        return all;
    }
}
