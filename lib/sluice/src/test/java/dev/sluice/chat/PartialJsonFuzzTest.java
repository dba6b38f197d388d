package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Random;

/**
 * Fuzzes {@link PartialJson}, which reads what models stream (tool arguments, structured output),
 * for any text cut into any fragments:
 * <ul>
 *   <li>nothing is thrown ({@code append}, {@code snapshot}, {@code finish} and {@code parse}
 *       promise not to throw for any input);</li>
 *   <li>grow-only, as the class documents it ({@link GrowOnly}): each snapshot extends the
 *       one before, and the value of {@code finish()} extends the last snapshot;</li>
 *   <li>complete values stay: what a snapshot shows off its {@code openPath()} is in every later
 *       snapshot unchanged, and a snapshot without the open string extends the one before it;</li>
 *   <li>the fragments do not matter: the result equals that of the whole text appended at once,
 *       and that of {@link PartialJson#parse} (whose one-pass reader must agree with the
 *       incremental parser on everything it accepts);</li>
 *   <li>a valid result ({@code error} null) is never truncated, and text() is the input.</li>
 * </ul>
 * The committed inputs in {@code PartialJsonFuzzTestInputs/append} replay in every build.
 */
class PartialJsonFuzzTest {

    @FuzzTest
    void append(FuzzedDataProvider data) {
        Random cuts = new Random(data.consumeLong());
        String text = data.consumeRemainingAsString();

        PartialJson parser = new PartialJson();
        Object before = null;
        String beforeText = "";
        java.util.List<Object> beforePath = java.util.List.of();
        boolean beforeComplete = false;
        Object settledBefore = null;
        for (int at = 0; at < text.length(); ) {
            int end = Math.min(text.length(), at + (cuts.nextInt(4) == 0 ? 0 : 1 + cuts.nextInt(12)));
            parser.append(text.substring(at, end));
            at = end;
            if (cuts.nextBoolean()) {
                Object now = parser.snapshot();
                checkGrows(text, beforeText, before, parser.text(), now);
                checkCompleteStays(text, before, beforePath, beforeComplete, now);
                Object settled = parser.snapshotWithoutOpenString();
                checkGrows(text, beforeText, settledBefore, parser.text(), settled);
                settledBefore = settled;
                before = now;
                beforeText = parser.text();
                beforePath = parser.openPath();
                beforeComplete = parser.isComplete();
            }
        }
        assertEquals(text, parser.text());
        PartialJson.Result result = parser.finish();
        checkGrows(text, beforeText, before, text + " (finished)", result.value());
        if (result.isValid()) assertFalse(parser.isTruncated(), "a valid text reported as truncated");

        PartialJson whole = new PartialJson();
        whole.append(text);
        assertEquals(result, whole.finish(), "the fragments changed the result");
        assertEquals(result, PartialJson.parse(text), "parse() differs from the incremental parser");
    }

    private static void checkCompleteStays(
            String text, Object before, java.util.List<Object> path, boolean complete, Object now) {
        GrowOnly.Mismatch m = GrowOnly.completeChanged(before, path, complete, now);
        if (m == null) return;
        if (m.key() != null && GrowOnly.writtenTwice(text, m.key()))
            return; // documented: a repeated key replaces the value
        if (now == null && text.chars().filter(c -> c == '[' || c == '{').count() > PartialJson.MAX_DEPTH) return;
        fail("under member " + (m.key() == null ? "(none)" : show(m.key())) + ", a value off the open path " + path
                + " of\n  " + show(String.valueOf(before)) + "\nchanged in\n  " + show(String.valueOf(now)));
    }

    private static void checkGrows(String text, String beforeText, Object before, String nowText, Object now) {
        GrowOnly.Mismatch m = GrowOnly.mismatch(before, now, true, null);
        if (m == null) return;
        if (m.key() != null && GrowOnly.writtenTwice(text, m.key()))
            return; // documented: a repeated key replaces the value
        if (now == null && text.chars().filter(c -> c == '[' || c == '{').count() > PartialJson.MAX_DEPTH) {
            return; // documented: once nested past the depth limit, nothing is shown
        }
        fail("under member " + (m.key() == null ? "(none)" : show(m.key())) + ", the snapshot of " + show(nowText)
                + "\n  "
                + show(String.valueOf(now)) + "\ndoes not extend that of "
                + show(beforeText) + "\n  " + show(String.valueOf(before)));
    }

    /** {@return the text as a Java literal would write it, shortened} */
    private static String show(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 400); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return s.length() > 400 ? sb + "..." : sb.toString();
    }
}
