package dev.sluice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STYLE.md's size rule as a check the build runs on every module ({@code verify}, the parent POM's
 * {@code size-rule} execution: {@code java -cp target/layers dev.sluice.SizeRule SOURCE_ROOT}, this
 * file compiled beside {@link Layers} by its {@code layers-compile} execution, so it uses the JDK
 * alone), and that {@link SizeRuleTest} runs on every artifact at once. A main file over
 * {@value #MAX_LINES} lines says what makes it long in a paragraph of a comment before its
 * top-level type, beginning {@value #MARKER}: the reason, never a line count, which goes stale as
 * the file changes.
 */
final class SizeRule {
    /** The most lines a main file has without saying why. */
    static final int MAX_LINES = 600;

    /** How the paragraph that says why begins. */
    static final String MARKER = "Why this file is long:";

    /** The paragraph: a comment line (Javadoc, block or line comment) beginning with the marker, the reason after it on the line. */
    private static final Pattern PARAGRAPH = Pattern.compile(
            "^\\s*(?:/\\*\\*?|\\*|//)\\s*(?:<p>\\s*)?" + Pattern.quote(MARKER) + "[ \\t]*[^\\s*/]", Pattern.MULTILINE);

    /** The first top-level type: a declaration at the start of a line. */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:(?:public|protected|private|abstract|final|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s",
            Pattern.MULTILINE);

    private SizeRule() {}

    /**
     * Checks the main sources of one module: prints each file over the size with no paragraph saying
     * why and exits 1 when there is one.
     *
     * @param args the module's source roots ({@code src/main/java}); a missing one has nothing to check
     */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : args) files.addAll(Layers.javaFiles(Path.of(root)));
        List<String> found = violations(files);
        for (String v : found) System.err.println("size rule: " + v);
        if (!found.isEmpty()) {
            System.err.println("size rule: " + found.size() + " file(s) over " + MAX_LINES
                    + " lines without saying why (lib/sluice/src/test/java/dev/sluice/SizeRule.java,"
                    + " docs/contributing.md)");
            System.exit(1);
        }
        System.out.println("size rule: " + files.size() + " files keep to it");
    }

    /** {@return each file over {@value #MAX_LINES} lines with no paragraph beginning {@value #MARKER} before its type} */
    static List<String> violations(List<Path> files) {
        List<String> violations = new ArrayList<>();
        for (Path f : files) {
            String source = Layers.read(f);
            long lines = source.lines().count();
            if (lines <= MAX_LINES) continue;
            Matcher type = TOP_LEVEL_TYPE.matcher(source);
            int top = type.find() ? type.start() : source.length();
            if (!PARAGRAPH.matcher(source).region(0, top).find()) {
                violations.add(f + ": " + lines + " lines, over " + MAX_LINES + ", and no paragraph before its type"
                        + " beginning \"" + MARKER + "\" (say what makes it long, or split it)");
            }
        }
        return violations;
    }
}
