package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.internal.low.value.ImmutableJsonArray;
import dev.sluice.internal.low.value.ImmutableJsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictJsonReader} against {@link IncrementalJsonParser}, the parser it stands in front of:
 * on random documents and on mutations of them, whatever it accepts the incremental parser reads
 * to the same value (same classes, same member order) with no error, and whatever it declines
 * that parser reports an error for, or it holds an escaped surrogate (left to that parser on purpose).
 */
class StrictJsonReaderTest {
    /** What a mutation inserts or puts in place of a character: JSON's syntax, and what it forbids. */
    private static final String MUTATIONS = "{}[],:\"\\ -+.eE0123456789tfnulx\u0001\ud800";

    static final Pattern ESCAPED_SURROGATE = Pattern.compile("\\\\u[dD][89a-fA-F]");

    @Test
    void read_randomDocumentsAndTheirMutations_agreesWithTheIncrementalParser() {
        SplittableRandom random = new SplittableRandom(20261125);
        int accepted = 0;
        int declinedInvalid = 0;
        int declinedSurrogate = 0;
        for (int n = 0; n < 3000; n++) {
            String valid = RandomJson.any().document(random);
            List<String> texts = new ArrayList<>();
            texts.add(valid);
            for (int m = 0; m < 4; m++) texts.add(mutate(random, valid));
            for (String text : texts) {
                Object strict = StrictJsonReader.read(text);
                IncrementalJsonParser incremental = new IncrementalJsonParser();
                incremental.feed(text);
                IncrementalJsonParser.Parsed parsed = incremental.finish();
                if (strict != StrictJsonReader.DECLINED) {
                    assertNull(parsed.error(), () -> "accepted what the incremental parser rejects: " + text);
                    assertSameValue(parsed.value(), strict, text);
                    accepted++;
                } else if (parsed.error() != null) {
                    declinedInvalid++;
                } else {
                    assertTrue(ESCAPED_SURROGATE.matcher(text).find(), () -> "declined valid JSON: " + text);
                    declinedSurrogate++;
                }
            }
        }
        // Each branch was taken often enough for the test to mean something.
        assertTrue(accepted > 3000, "accepted " + accepted);
        assertTrue(declinedInvalid > 3000, "declined invalid " + declinedInvalid);
        assertTrue(declinedSurrogate > 100, "declined escaped surrogates " + declinedSurrogate);
    }

    @Test
    void read_aDocument_buildsTheValueModel() {
        Object value =
                StrictJsonReader.read(" {\"a\":[1,-2.50,1e2,12345678901234567890,true,false,null],\"b\":{},\"c\":[],"
                        + "\"d\":\"x\\n\\u00e9\\\"\",\"a\":\"last\"} ");
        Map<?, ?> map = assertInstanceOf(ImmutableJsonObject.class, value);
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(map.keySet()), "a repeated key keeps its first place");
        assertEquals("last", map.get("a"), "and its last value");
        assertSame(ImmutableJsonObject.empty(), map.get("b"));
        assertSame(ImmutableJsonArray.empty(), map.get("c"));
        assertEquals("x\né\"", map.get("d"));
        List<?> numbers = (List<?>) StrictJsonReader.read("[1,-2.50,1e2,12345678901234567890]");
        assertEquals(
                List.of(1L, new BigDecimal("-2.50"), new BigDecimal("1e2"), new BigInteger("12345678901234567890")),
                numbers);
    }

    @Test
    void read_memberNamesSeenBefore_areTheSameStrings_andLongOnesAreNot() {
        String longName = "n".repeat(33);
        Map<?, ?> first = (Map<?, ?>) StrictJsonReader.read("{\"input_tokens\":1,\"" + longName + "\":2}");
        Map<?, ?> second = (Map<?, ?>) StrictJsonReader.read("{\"input_tokens\":3,\"" + longName + "\":4}");
        List<?> firstNames = List.copyOf(first.keySet());
        List<?> secondNames = List.copyOf(second.keySet());
        assertSame(firstNames.get(0), secondNames.get(0));
        assertNotSame(firstNames.get(1), secondNames.get(1));
        assertEquals(List.of("input_tokens", longName), secondNames);
        assertEquals(List.of(3L, 4L), List.copyOf(second.values()));
    }

    @Test
    void read_nestingAtTheLimit_isRead_andPastIt_isDeclined() {
        int max = IncrementalJsonParser.MAX_DEPTH;
        Object deepest = StrictJsonReader.read("[".repeat(max) + "]".repeat(max));
        assertNotEquals(StrictJsonReader.DECLINED, deepest);
        Object value = deepest;
        for (int d = 1; d < max; d++) value = ((List<?>) value).get(0);
        assertSame(ImmutableJsonArray.empty(), value);
        assertSame(StrictJsonReader.DECLINED, StrictJsonReader.read("[".repeat(max + 1) + "]".repeat(max + 1)));
        assertSame(StrictJsonReader.DECLINED, StrictJsonReader.read("{\"a\":".repeat(max) + "{}" + "}".repeat(max)));
    }

    @Test
    void read_whatTheIncrementalParserReportsOrPairs_isDeclined() {
        for (String text : List.of(
                "",
                "  ",
                "{",
                "[1,]",
                "{\"a\":1,}",
                "{\"a\" 1}",
                "01",
                "1.",
                "-",
                "1e",
                "tru",
                "nul",
                "\"a",
                "\"\\x\"",
                "\"\\u12G4\"",
                "\"a\u0001\"",
                "1 2",
                "{} x",
                "1e999999999999",
                "\"\\ud83d\\ude00\"",
                "\"\\ud83d\"",
                "\"\\ude00\"")) {
            assertSame(StrictJsonReader.DECLINED, StrictJsonReader.read(text), text);
        }
    }

    @Test
    void read_rawSurrogates_areKeptAsTheyAre() {
        String text = "\"\ud83d\ude00 and a lone \ud83d\"";
        assertEquals("\ud83d\ude00 and a lone \ud83d", StrictJsonReader.read(text));
        IncrementalJsonParser incremental = new IncrementalJsonParser();
        incremental.feed(text);
        assertEquals(StrictJsonReader.read(text), incremental.finish().value());
    }

    // ------------------------------------------------------------------ checks

    /** Equal values of the same classes, objects' members in the same order. */
    static void assertSameValue(Object expected, Object actual, String text) {
        if (expected == null) {
            assertNull(actual, text);
            return;
        }
        assertNotNull(actual, text);
        assertEquals(expected.getClass(), actual.getClass(), text);
        if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(List.copyOf(e.keySet()), List.copyOf(a.keySet()), text);
            for (Object key : e.keySet()) assertSameValue(e.get(key), a.get(key), text);
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), text);
            Iterator<?> ai = a.iterator();
            for (Object item : e) assertSameValue(item, ai.next(), text);
        } else {
            assertEquals(expected, actual, text);
        }
    }

    // ------------------------------------------------------------------ documents

    private static String mutate(SplittableRandom r, String valid) {
        StringBuilder s = new StringBuilder(valid);
        int edits = 1 + r.nextInt(2);
        for (int e = 0; e < edits && !s.isEmpty(); e++) {
            int at = r.nextInt(s.length());
            String piece = String.valueOf(MUTATIONS.charAt(r.nextInt(MUTATIONS.length())));
            switch (r.nextInt(4)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, piece);
                case 2 -> s.replace(at, at + 1, piece);
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }

    @Test
    void assertSameValue_tellsClassesAndOrderApart() {
        ImmutableJsonObject ab = (ImmutableJsonObject) StrictJsonReader.read("{\"a\":1,\"b\":2}");
        ImmutableJsonObject ba = (ImmutableJsonObject) StrictJsonReader.read("{\"b\":2,\"a\":1}");
        assertEquals(ab, ba);
        assertFails(() -> assertSameValue(ab, ba, "order"));
        assertFails(() -> assertSameValue(1L, new BigDecimal("1"), "class"));
        assertFails(() -> assertSameValue(List.of(1L), StrictJsonReader.read("[1]"), "list class"));
    }

    private static void assertFails(Runnable check) {
        try {
            check.run();
        } catch (AssertionError expected) {
            return;
        }
        fail("the check passed");
    }
}
