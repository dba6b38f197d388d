package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds tricky documents in every way they can be cut: one char at a time and at every 2-way split.
 * Snapshots never throw and only grow; the result never depends on where the input was cut.
 */
class PartialJsonSplitTest {

    static List<String> validDocuments() {
        return List.of(
                "{\"a\":\"he said \\\"hi\\\"\\n\",\"b\":[1,-2.5e+3,0,true,false,null,[],{}],"
                        + "\"c\":{\"d\":\"\\u00e9\\u4E2D\\ud83d\\ude00\"}}",
                "[[[1,2],[3,[4,[5]]]],\"x\\\\y\\/z\\b\\f\\r\\t\"]",
                "\"top level \\ud83d\\ude00 \uD83D\uDE00 é\"",
                "12345678901234567890123",
                "-0.000e-7",
                "{\"emoji\":\"\uD83D\uDE00\",\"k\\\"ey\":\"v\",\"\":\"\",\"lone\":\"\\ud83dx\\udc00\"}",
                "  { \"spaced\" : [ 1 , 2.50 , -3E2 ] ,\n\t\"n\" : null , \"t\" : true }  ",
                "true",
                "[]",
                "{}",
                "[{\"a\":[{\"b\":[[],[{}]]}]},\"\\u0041\\u00DF\\u6771\\uD800\\uDF02\"]",
                "{\"num\":[0,-0,10,1.25,1e5,1E-5,-1.5e+10,9223372036854775808]}");
    }

    static List<String> invalidDocuments() {
        return List.of(
                "",
                "   ",
                "{\"a\":\"\\x41\"}",
                "{\"a\":1 x}",
                "[1,]",
                "{\"a\":tru}",
                "[\"\\u12G4\",\"\\ud83d\\u12\"]",
                "{\"a\":",
                "{\"a\":\"unterminated \\",
                "[01,1.,-,1e,2]",
                "{} trailing",
                "{\"a\" 1}",
                "[\"ctl\u0001\"]",
                "{\"a\":[1,2}");
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void append_validDocumentOneCharAtATime_snapshotsGrowAndFinishEqualsParse(String doc) {
        PartialJson.Result whole = PartialJson.parse(doc);
        assertTrue(whole.isValid(), () -> doc + ": " + whole.error());
        PartialJson json = new PartialJson();
        Object previous = null;
        for (int i = 0; i < doc.length(); i++) {
            json.append(doc.substring(i, i + 1));
            Object snapshot = json.snapshot();
            assertGrows(previous, snapshot, doc, i);
            previous = snapshot;
        }
        PartialJson.Result result = json.finish();
        assertGrows(previous, result.value(), doc, doc.length());
        assertEquals(whole, result);
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void append_validDocumentAtEverySplit_finishEqualsParseAndSnapshotsGrow(String doc) {
        PartialJson.Result whole = PartialJson.parse(doc);
        for (int cut = 0; cut <= doc.length(); cut++) {
            PartialJson json = new PartialJson();
            json.append(doc.substring(0, cut));
            Object first = json.snapshot();
            json.append(doc.substring(cut));
            Object second = json.snapshot();
            assertGrows(first, second, doc, cut);
            assertEquals(whole, json.finish(), "cut at " + cut);
        }
    }

    @ParameterizedTest
    @MethodSource("invalidDocuments")
    void append_invalidDocumentOneCharAtATimeAndAtEverySplit_neverThrowsAndMatchesParse(String doc) {
        PartialJson.Result whole = PartialJson.parse(doc);
        assertFalse(whole.isValid(), doc);
        PartialJson single = new PartialJson();
        for (int i = 0; i < doc.length(); i++) {
            single.append(doc.substring(i, i + 1));
            single.snapshot();
        }
        assertEquals(whole, single.finish());
        for (int cut = 0; cut <= doc.length(); cut++) {
            PartialJson json = new PartialJson();
            json.append(doc.substring(0, cut));
            json.snapshot();
            json.append(doc.substring(cut));
            json.snapshot();
            assertEquals(whole, json.finish(), "cut at " + cut);
        }
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void append_everyThreeWaySplitOfShortDocuments_finishEqualsParse(String doc) {
        if (doc.length() > 80) return;
        PartialJson.Result whole = PartialJson.parse(doc);
        for (int a = 0; a <= doc.length(); a++) {
            for (int b = a; b <= doc.length(); b++) {
                PartialJson json = new PartialJson();
                json.append(doc.substring(0, a));
                json.append(doc.substring(a, b));
                json.append(doc.substring(b));
                assertEquals(whole, json.finish(), "cuts at " + a + ", " + b);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void checker_detectsAShrinkingSnapshot(String doc) {
        // The growth check itself must be able to fail, or the tests above prove nothing.
        Object value = PartialJson.parse(doc).value();
        if (value instanceof String s && !s.isEmpty()) {
            assertNotNull(shrinkError(value, s.substring(0, s.length() - 1)));
        } else if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            assertNotNull(shrinkError(value, Map.of()));
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            assertNotNull(shrinkError(value, List.of()));
        }
        assertNull(shrinkError(value, value));
    }

    // ------------------------------------------------------------ growth check

    static void assertGrows(Object before, Object after, String doc, int at) {
        String problem = shrinkError(before, after);
        if (problem != null)
            fail(doc + " after char " + at + ": " + problem + "\n before: " + before + "\n after:  " + after);
    }

    /** Null when after shows everything before showed (strings only grow, members never disappear), else why not. */
    static String shrinkError(Object before, Object after) {
        return before == null ? null : compare(before, after, "$");
    }

    private static String compare(Object before, Object after, String path) {
        if (before instanceof String s) {
            if (!(after instanceof String t) || !t.startsWith(s))
                return path + ": string " + before + " became " + after;
            return null;
        }
        if (before instanceof Map<?, ?> m) {
            if (!(after instanceof Map<?, ?> n)) return path + ": object became " + after;
            Iterator<?> keys = new ArrayList<>(n.keySet()).iterator();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!keys.hasNext() || !keys.next().equals(e.getKey()))
                    return path + ": key " + e.getKey() + " lost or moved";
                String inner = compareNested(e.getValue(), n.get(e.getKey()), path + "." + e.getKey());
                if (inner != null) return inner;
            }
            return null;
        }
        if (before instanceof List<?> l) {
            if (!(after instanceof List<?> k) || k.size() < l.size()) return path + ": array became " + after;
            for (int i = 0; i < l.size(); i++) {
                String inner = compareNested(l.get(i), k.get(i), path + "[" + i + "]");
                if (inner != null) return inner;
            }
            return null;
        }
        return before.equals(after) ? null : path + ": " + before + " became " + after;
    }

    private static String compareNested(Object before, Object after, String path) {
        if (before == null) return after == null ? null : path + ": null became " + after;
        return compare(before, after, path);
    }
}
