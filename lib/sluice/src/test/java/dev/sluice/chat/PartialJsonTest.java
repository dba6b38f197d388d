package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartialJsonTest {

    private static Object snapshotAfter(String... fragments) {
        PartialJson json = new PartialJson();
        for (String f : fragments) json.append(f);
        return json.snapshot();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static List<Object> list(Object... items) {
        return Arrays.asList(items);
    }

    // ------------------------------------------------------------ snapshots

    @Test
    void finish_afterASnapshot_numberAtTheEndOfInputShown() {
        PartialJson p = new PartialJson();
        p.append("{\"a\": [1], \"n\": 12");
        assertEquals(Map.of("a", List.of(1L)), p.snapshot(), "12 may still become 123: left out");
        PartialJson.Result r = p.finish();
        assertEquals(Map.of("a", List.of(1L), "n", 12L), r.value(), "the end of input ends the number");
        assertEquals(r.value(), p.snapshot());
        assertTrue(p.isTruncated());
    }

    @Test
    void snapshot_emptyInput_isNull() {
        assertNull(snapshotAfter());
        assertNull(snapshotAfter("", "  \n"));
    }

    @Test
    void snapshot_openObjectsAndArrays_areShownClosed() {
        assertEquals(map(), snapshotAfter("{"));
        assertEquals(map("a", list()), snapshotAfter("{\"a\":["));
        assertEquals(map("a", list(list(map()))), snapshotAfter("{\"a\":[[{"));
        assertEquals(map("a", list(1L, 2L)), snapshotAfter("{\"a\":[1,2,"));
    }

    @Test
    void snapshot_partialStringValue_isShownAsFarAsArrived() {
        assertEquals(map("a", ""), snapshotAfter("{\"a\":\""));
        assertEquals(map("a", "hel"), snapshotAfter("{\"a\":\"hel"));
        assertEquals(list("x", "y"), snapshotAfter("[\"x\",\"y"));
        assertEquals("top", snapshotAfter("\"top"));
    }

    @Test
    void snapshot_partialKey_isLeftOutWithItsValue() {
        assertEquals(map("a", 1L), snapshotAfter("{\"a\":1,\"b"));
        assertEquals(map("a", 1L), snapshotAfter("{\"a\":1,\"bc\""));
        assertEquals(map("a", 1L), snapshotAfter("{\"a\":1,\"bc\":"));
        assertEquals(map("a", 1L), snapshotAfter("{\"a\":1,\"bc\": t"));
        assertEquals(map("a", 1L, "bc", ""), snapshotAfter("{\"a\":1,\"bc\":\""));
        assertEquals(map("a", 1L, "bc", map()), snapshotAfter("{\"a\":1,\"bc\":{\"d"));
    }

    @Test
    void snapshot_incompleteLiterals_areLeftOut() {
        assertEquals(list(), snapshotAfter("[tru"));
        assertEquals(list(true), snapshotAfter("[true"));
        assertEquals(list(false), snapshotAfter("[fals", "e"));
        assertEquals(map("n", null), snapshotAfter("{\"n\":nu", "ll"));
        assertNull(snapshotAfter("nul"));
        assertEquals(Boolean.TRUE, snapshotAfter("true"));
    }

    @Test
    void snapshot_incompleteNumbers_areLeftOut() {
        for (String n : List.of("-", "1.", "1e", "1e+", "-0.")) {
            assertEquals(list(), snapshotAfter("[" + n), n);
        }
    }

    @Test
    void snapshot_syntacticallyCompleteTrailingNumber_isLeftOutUntilADelimiterArrives() {
        assertEquals(list(), snapshotAfter("[12"));
        assertEquals(list(123L), snapshotAfter("[12", "3 "));
        assertEquals(list(123L), snapshotAfter("[12", "3]"));
        assertEquals(map("a", new BigDecimal("1.5")), snapshotAfter("{\"a\":1.5", "}"));
        assertNull(snapshotAfter("12"));
        PartialJson json = new PartialJson();
        json.append("12");
        assertEquals(new PartialJson.Result(12L, null), json.finish());
    }

    @Test
    void snapshot_escapeSplitAtBackslash_appearsWhenComplete() {
        PartialJson json = new PartialJson();
        json.append("\"a\\");
        assertEquals("a", json.snapshot());
        json.append("n");
        assertEquals("a\n", json.snapshot());
    }

    @Test
    void snapshot_unicodeEscapeSplit_appearsWhenComplete() {
        PartialJson json = new PartialJson();
        json.append("\"\\u00");
        assertEquals("", json.snapshot());
        json.append("e9");
        assertEquals("é", json.snapshot());
        json.append("\\u4E2D\"");
        assertEquals(new PartialJson.Result("é中", null), json.finish());
    }

    @Test
    void snapshot_escapedSurrogatePairSplit_appearsWhenBothHalvesArrived() {
        PartialJson json = new PartialJson();
        json.append("[\"x\\ud83d");
        assertEquals(list("x"), json.snapshot());
        json.append("\\ude");
        assertEquals(list("x"), json.snapshot());
        json.append("00\"]");
        assertEquals(list("x\uD83D\uDE00"), json.snapshot());
        assertTrue(json.finish().isValid());
    }

    @Test
    void snapshot_rawSurrogatePairSplitAcrossFragments_showsNoHalfCharacter() {
        PartialJson json = new PartialJson();
        json.append("\"x\uD83D");
        assertEquals("x", json.snapshot());
        json.append("\uDE00");
        assertEquals("x\uD83D\uDE00", json.snapshot());
    }

    @Test
    void snapshot_heldSnapshot_doesNotChangeWhenMoreArrives() {
        PartialJson json = new PartialJson();
        json.append("{\"a\":[1,\"b");
        Object held = json.snapshot();
        json.append("cd\",2],\"e\":{}}");
        assertEquals(map("a", list(1L, "b")), held);
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) held).put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) ((Map<?, ?>) held).get("a")).add(1));
    }

    @Test
    void snapshot_nothingArrivedSince_returnsTheSameValueWithoutCopying() {
        PartialJson json = new PartialJson();
        json.append("{\"a\":[\"b");
        Object first = json.snapshot();
        json.append("");
        assertSame(first, json.snapshot());
        json.append("c");
        assertEquals(map("a", list("bc")), json.snapshot());
    }

    // ------------------------------------------------------------ escapes

    @Test
    void finish_loneEscapedSurrogates_becomeReplacementCharacter() {
        assertEquals(new PartialJson.Result("\uFFFDx", null), PartialJson.parse("\"\\ud83dx\""));
        assertEquals(new PartialJson.Result("\uFFFD", null), PartialJson.parse("\"\\ude00\""));
        assertEquals(new PartialJson.Result("\uFFFDA", null), PartialJson.parse("\"\\ud83d\\u0041\""));
        assertEquals(
                new PartialJson.Result("\uFFFD\uD83D\uDE00", null), PartialJson.parse("\"\\ud83d\\ud83d\\ude00\""));
        assertEquals(new PartialJson.Result("\uFFFD", null), PartialJson.parse("\"\\uD83D\""));
    }

    @Test
    void finish_surrogatePairHalfEscapedHalfRaw_isOneCharacter() {
        String high = String.valueOf((char) 0xD83D);
        String low = String.valueOf((char) 0xDE00);
        assertEquals(new PartialJson.Result(high + low, null), PartialJson.parse("\"\\ud83d" + low + "\""));
        assertEquals(new PartialJson.Result(high + low, null), PartialJson.parse("\"" + high + "\\ude00\""));
    }

    @Test
    void append_badEscape_keepsItVerbatimAndFinishReportsIt() {
        PartialJson json = new PartialJson();
        json.append("{\"a\":\"\\");
        json.append("x41\"}");
        assertEquals(map("a", "\\x41"), json.snapshot());
        PartialJson.Result result = json.finish();
        assertEquals(map("a", "\\x41"), result.value());
        assertEquals("invalid escape '\\x' at offset 6", result.error());
    }

    @Test
    void finish_invalidNumberAsLongAsTheInput_reportedShortened() {
        // found by RelayRequestFuzzTest: the message quoted the whole number, which a relay request's refusal showed
        String number = "---" + "5".repeat(2_000) + "ee++";
        PartialJson.Result result = PartialJson.parse("[" + number + "]");
        assertEquals("invalid number '" + number.substring(0, 40) + "...' at offset 1", result.error());
    }

    @Test
    void finish_badUnicodeEscape_isReportedAndKeptVerbatim() {
        PartialJson.Result result = PartialJson.parse("[\"\\u12G4\"]");
        assertEquals(list("\\u12G4"), result.value());
        assertEquals("invalid \\u escape: 'G' is not a hex digit at offset 6", result.error());
        assertEquals(list("\\u1"), PartialJson.parse("[\"\\u1\"]").value());
    }

    @Test
    void finish_badUnicodeEscapeSplitAcrossFragments_keptVerbatimWithTheDigitsAsWritten() {
        PartialJson json = new PartialJson();
        json.append("[\"\\uAb");
        json.append("xy\"]");
        PartialJson.Result result = json.finish();
        assertEquals(list("\\uAbxy"), result.value());
        assertEquals("invalid \\u escape: 'x' is not a hex digit at offset 6", result.error());
    }

    @Test
    void textView_showsWhatHadArrived_whateverIsAppendedLater() {
        PartialJson json = new PartialJson();
        json.append("{\"code\":\"a");
        CharSequence early = json.textView();
        json.append("bc\"}");
        assertEquals("{\"code\":\"a", early.toString());
        assertEquals("{\"code\":\"abc\"}", json.textView().toString());
        assertEquals(json.text(), json.textView().toString());
        json.finish();
        assertEquals("{\"code\":\"abc\"}", json.textView().toString(), "finishing keeps the text");
    }

    @Test
    void finish_unescapedControlCharacter_isKeptAndReported() {
        PartialJson.Result result = PartialJson.parse("\"a\nb\"");
        assertEquals("a\nb", result.value());
        assertEquals("unescaped control character '\\u000a' in a string at offset 2", result.error());
    }

    // ------------------------------------------------------------ errors

    @Test
    void finish_emptyInput_isAnErrorNotAnEmptyObject() {
        assertEquals(new PartialJson.Result(null, "empty input: no JSON value"), new PartialJson().finish());
        assertEquals(
                new PartialJson.Result(null, "no JSON value in the input (only whitespace)"), PartialJson.parse(" \n"));
    }

    @Test
    void finish_strayCharacter_isSkippedAndReportedWithItsOffset() {
        PartialJson.Result result = PartialJson.parse("{\"a\":1 x}");
        assertEquals(map("a", 1L), result.value());
        assertEquals("unexpected character 'x' at offset 7", result.error());
    }

    @Test
    void finish_garbageAfterTheValue_isReported() {
        PartialJson.Result result = PartialJson.parse("{} x");
        assertEquals(map(), result.value());
        assertEquals("unexpected character 'x' after the end of the JSON value at offset 3", result.error());
    }

    @Test
    void finish_truncatedInput_givesBestEffortValueAndNamesTheEnd() {
        PartialJson.Result string = PartialJson.parse("{\"a\":\"b");
        assertEquals(map("a", "b"), string.value());
        assertEquals("unterminated string starting at offset 5: unexpected end of input at offset 7", string.error());

        PartialJson.Result member = PartialJson.parse("{\"a\":");
        assertEquals(map(), member.value());
        assertEquals("unexpected end of input at offset 5: 1 container is still open, expected '}'", member.error());

        PartialJson.Result nested = PartialJson.parse("[{\"a\":[1");
        assertEquals(list(map("a", list(1L))), nested.value());
        assertEquals("unexpected end of input at offset 8: 3 containers are still open, expected ']'", nested.error());
    }

    @Test
    void finish_invalidNumbersAndLiterals_areLeftOutAndReported() {
        assertEquals(new PartialJson.Result(list(2L), "invalid number '01' at offset 1"), PartialJson.parse("[01,2]"));
        assertEquals(new PartialJson.Result(null, "invalid number '1.' at offset 0"), PartialJson.parse("1."));
        assertEquals(new PartialJson.Result(list(), "invalid number '-' at offset 1"), PartialJson.parse("[-]"));
        assertEquals(
                new PartialJson.Result(map(), "invalid literal 'tru' followed by '}' at offset 8"),
                PartialJson.parse("{\"a\":tru}"));
        assertEquals(
                new PartialJson.Result(
                        list(),
                        "incomplete literal 'fa' at offset 1: unexpected end of input at offset 3"
                                + " (and 1 more problem)"),
                PartialJson.parse("[fa"));
    }

    @Test
    void finish_trailingCommaOrMissingValue_closesTheContainerAndReportsIt() {
        assertEquals(
                new PartialJson.Result(list(1L), "unexpected ']' after ',' at offset 3"), PartialJson.parse("[1,]"));
        assertEquals(
                new PartialJson.Result(map("a", 1L), "unexpected '}' after ',' at offset 7"),
                PartialJson.parse("{\"a\":1,}"));
        assertEquals(
                new PartialJson.Result(map(), "unexpected '}' where a value was expected at offset 5"),
                PartialJson.parse("{\"a\":}"));
    }

    @Test
    void finish_calledTwice_returnsTheSameResultAndAppendAfterwardsThrows() {
        PartialJson json = new PartialJson();
        json.append("[1");
        PartialJson.Result first = json.finish();
        assertEquals(first, json.finish());
        assertEquals(first.value(), json.snapshot());
        assertThrows(IllegalStateException.class, () -> json.append("]"));
    }

    @Test
    void append_null_throwsNullPointerException() {
        assertThrows(NullPointerException.class, () -> new PartialJson().append(null));
    }

    // ------------------------------------------------------------ value model

    @Test
    void parse_numbers_useLongBigIntegerAndBigDecimal() {
        assertEquals(Long.MAX_VALUE, PartialJson.parse("9223372036854775807").value());
        assertEquals(Long.MIN_VALUE, PartialJson.parse("-9223372036854775808").value());
        assertEquals(
                new BigInteger("9223372036854775808"),
                PartialJson.parse("9223372036854775808").value());
        assertEquals(0L, PartialJson.parse("-0").value());
        assertEquals(new BigDecimal("1.50"), PartialJson.parse("1.50").value());
        assertEquals(new BigDecimal("-2.5E+3"), PartialJson.parse("-2.5e+3").value());
        assertEquals(new BigDecimal("1E400"), PartialJson.parse("1E400").value());
    }

    @Test
    void parse_exponentBeyondBigDecimal_errorNamingTheNumberNotAnException() {
        PartialJson.Result r = PartialJson.parse("{\"a\":1e9999999999,\"b\":2}");
        assertFalse(r.isValid());
        assertTrue(r.error().contains("1e9999999999") && r.error().contains("out of range"), r.error());
        assertEquals(Map.of("b", 2L), r.value(), "the rest is kept, as for any dropped value");
    }

    @Test
    void parse_duplicateKeys_lastValueWinsAtTheFirstPosition() {
        Object value = PartialJson.parse("{\"a\":1,\"b\":2,\"a\":3}").value();
        assertEquals(map("a", 3L, "b", 2L), value);
        assertEquals(List.of("a", "b"), new ArrayList<>(((Map<?, ?>) value).keySet()));
    }

    @Test
    void parse_objects_keepInsertionOrderAndNullsAndAreUnmodifiable() {
        Object value = PartialJson.parse(" { \"z\" : null , \"a\" : [ null ] , \"m\" : { } } ")
                .value();
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(((Map<?, ?>) value).keySet()));
        assertTrue(((Map<?, ?>) value).containsKey("z"));
        assertNull(((Map<?, ?>) value).get("z"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) value).remove("z"));
    }

    @Test
    void text_returnsEverythingAppended() {
        PartialJson json = new PartialJson();
        json.append("{\"a\"");
        json.append(new StringBuilder(":1}"));
        assertEquals("{\"a\":1}", json.text());
    }

    // ------------------------------------------------------------ toJson

    @Test
    void toJson_strings_areEscapedExactly() {
        assertEquals(
                "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f é\uD83D\uDE00\"",
                PartialJson.toJson("q\"b\\s/\n\r\t\b\f\u0001\u001f é\uD83D\uDE00"));
        assertEquals("\"\\ud83dx\\ude00\"", PartialJson.toJson("\uD83Dx\uDE00"));
    }

    @Test
    void toJson_valueModel_roundTripsThroughParse() {
        Object value = PartialJson.parse(
                        "{\"a\":[1,-2.50,1E+400,123456789012345678901234567890,true,false,null],\"b\":{\"\":\"\\u0000\"}}")
                .value();
        String json = PartialJson.toJson(value);
        assertEquals(
                "{\"a\":[1,-2.50,1E+400,123456789012345678901234567890,true,false,null],\"b\":{\"\":\"\\u0000\"}}",
                json);
        assertEquals(value, PartialJson.parse(json).value());
    }

    @Test
    void toJson_otherJavaNumbersAndCollections_areWritten() {
        assertEquals("[1,2,3,1.5,2.5]", PartialJson.toJson(List.of(1, (short) 2, (byte) 3, 1.5d, 2.5f)));
        assertEquals("{\"k\":null}", PartialJson.toJson(map("k", null)));
    }

    @Test
    void toJson_unsupportedValues_throwNamingWhere() {
        IllegalArgumentException type =
                assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(map("a", list(1, new Object()))));
        assertEquals("not a JSON value: java.lang.Object (at $.a[1])", type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(Map.of(1, 2)));
    }

    // ------------------------------------------------------------ where it is still growing

    @Test
    void openPath_leadsToTheInnermostOpenValue() {
        PartialJson json = new PartialJson();
        assertEquals(List.of(), json.openPath());
        json.append("{\"steps\": [{\"name\": \"boil\"}, {\"name\": \"dra");
        assertEquals(List.of("steps", 1, "name"), json.openPath());
        assertTrue(json.isStringOpen());
        json.append("in\"");
        assertEquals(List.of("steps", 1), json.openPath());
        assertFalse(json.isStringOpen());
        json.append(", \"minutes\": 1"); // a number being read is not shown, nor on the path
        assertEquals(List.of("steps", 1), json.openPath());
        json.append("0}], \"ti"); // nor is a key being read
        assertEquals(List.of(), json.openPath());
        assertFalse(json.isComplete());
        json.append("p\": null}");
        assertTrue(json.isComplete());
        assertEquals(List.of(), json.openPath());
    }

    @Test
    void openPath_bareStringOrEmptyArray_isEmptyWhileItIsOpen() {
        PartialJson string = new PartialJson();
        string.append("\"ab");
        assertEquals(List.of(), string.openPath());
        assertTrue(string.isStringOpen());
        PartialJson array = new PartialJson();
        array.append("[[");
        assertEquals(List.of(0), array.openPath());
    }

    @Test
    void snapshotWithoutOpenString_leavesTheStringBeingReadOut() {
        PartialJson json = new PartialJson();
        json.append("{\"a\": \"done\", \"level\": ");
        Object before = json.snapshot();
        json.append("\"HA");
        assertSame(before, json.snapshotWithoutOpenString(), "nothing but the string changed");
        assertEquals(map("a", "done", "level", "HA"), json.snapshot());
        Object settled = json.snapshotWithoutOpenString();
        assertEquals(map("a", "done"), settled);
        json.append("R");
        assertSame(settled, json.snapshotWithoutOpenString());
        json.append("D\", \"list\": [\"x");
        assertEquals(map("a", "done", "level", "HARD", "list", list()), json.snapshotWithoutOpenString());
        json.append("\"]}");
        assertSame(json.snapshot(), json.snapshotWithoutOpenString());
    }

    @Test
    void result_blankError_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PartialJson.Result(null, " "));
        assertFalse(new PartialJson.Result(null, "x").isValid());
        assertNotNull(new PartialJson.Result(1L, null).value());
    }
}
