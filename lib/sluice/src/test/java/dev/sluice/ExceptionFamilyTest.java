package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One exception family: in the main sources of every artifact under {@code lib/}, no public class
 * outside an {@code internal} package extends an exception or error other than
 * {@link SluiceException}'s own types (the root package {@code dev.sluice}, which holds the family
 * and nothing else). A failure a user can name is a {@code SluiceException}; anything else is
 * package-private, or internal, and says why it is outside the family.
 */
class ExceptionFamilyTest {
    private static final Pattern PUBLIC_THROWABLE = Pattern.compile(
            "\\bpublic\\s+(?:(?:static|final|abstract|sealed|non-sealed)\\s+)*class\\s+(\\w+)(?:<[^{]*?>)?\\s+extends\\s+"
                    + "([\\w.]*?(\\w+(?:Exception|Error|Throwable)))\\b");

    /** {@return each public class of the source that extends a throwable, as "Class extends Super"} */
    static List<String> publicThrowables(String source) {
        List<String> found = new ArrayList<>();
        Matcher m = PUBLIC_THROWABLE.matcher(Layers.code(source));
        while (m.find()) found.add(m.group(1) + " extends " + m.group(3));
        return found;
    }

    @Test
    void mainSources_publicExceptionsOutsideInternalPackages_areSluiceExceptions() throws IOException {
        Map<String, List<String>> found = new TreeMap<>();
        Path lib = Path.of("..").toAbsolutePath().normalize();
        for (Path f : LayeringTest.sources()) {
            String name = "lib/"
                    + lib.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
            if (name.contains("/internal/") || name.matches("lib/sluice/src/main/java/dev/sluice/[^/]+[.]java"))
                continue; // not exported; or the family itself
            List<String> hits = publicThrowables(Layers.read(f));
            if (!hits.isEmpty()) found.put(name, hits);
        }
        assertEquals(
                Map.of(),
                found,
                "a failure a user can name is a SluiceException (dev.sluice); make this one package-private and say"
                        + " why it is outside the family");
    }

    @Test
    void publicThrowables_findsPublicClassesExtendingAThrowableInCodeOnly() {
        String s = "public final class RowFailed extends RuntimeException {}\n"
                + "final class Hidden extends RuntimeException {}\n"
                + "/** public class Commented extends RuntimeException */\n"
                + "public static final class Nested extends java.io.UncheckedIOException {}\n"
                + "public class Fine extends Object {} public sealed class Bad<T> extends IllegalStateException permits X {}";
        assertEquals(
                List.of(
                        "RowFailed extends RuntimeException",
                        "Nested extends UncheckedIOException",
                        "Bad extends IllegalStateException"),
                publicThrowables(s));
    }
}
