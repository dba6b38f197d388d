package dev.sluice.sse;

import static dev.sluice.sse.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One test per WHATWG interpretation rule. */
class SseParserTest {

    private static SseEvent msg(String data) {
        return new SseEvent("message", data, null);
    }

    @Test
    void feed_simpleEvent_dispatchesOnBlankLine() {
        assertEquals(List.of(msg("hello")), Recorder.parse("data: hello\n\n").events);
    }

    @Test
    void feed_bomAtStart_isSkipped() {
        byte[] b = bytes(0xEF, 0xBB, 0xBF, 'd', 'a', 't', 'a', ':', 'x', '\n', '\n');
        assertEquals(List.of(msg("x")), Recorder.parse(b).events);
    }

    @Test
    void feed_bomSplitAcrossFeeds_isSkipped() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        p.feed(bytes(0xEF), 0, 1);
        p.feed(new byte[0], 0, 0);
        p.feed(bytes(0xBB), 0, 1);
        p.feed(bytes(0xBF, 'd', 'a', 't', 'a'), 0, 5);
        p.feed(bytes(':', 'x', '\n', '\n'), 0, 4);
        assertEquals(List.of(msg("x")), r.events);
    }

    @Test
    void feed_secondBom_isPartOfFieldName() {
        // only one BOM is stripped: the second makes the field "\uFEFFdata", unknown
        byte[] b = bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 'd', 'a', 't', 'a', ':', 'x', '\n', '\n');
        assertEquals(List.of(), Recorder.parse(b).events);
    }

    @Test
    void feed_bomAfterStart_isNotSkipped() {
        byte[] b = bytes('d', 'a', 't', 'a', ':', 0xEF, 0xBB, 0xBF, 'x', '\n', '\n');
        assertEquals(List.of(msg("\uFEFFx")), Recorder.parse(b).events);
    }

    @Test
    void feed_partialBomThenText_keepsTheBytesAsText() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(SseLimits.defaults(), r, true);
        p.feed(bytes(0xEF, 0xBB), 0, 2);
        p.feed(bytes('\n', 'd', 'a', 't', 'a', '\n', '\n'), 0, 7);
        p.finish();
        // EF BB is a line of its own (an unknown field), not a BOM; the event is intact
        assertEquals(List.of(msg("")), r.events);
    }

    @Test
    void feed_partialBomInFieldName_decodesAsReplacement() {
        byte[] b = bytes(0xEF, 0xBB, ':', 'x', '\n', '\n');
        Recorder r = Recorder.parse(b);
        assertEquals(List.of(), r.events);
        assertEquals(List.of(), r.comments);
    }

    @Test
    void feed_lfLineEnds_endLines() {
        assertEquals(List.of(msg("a\nb")), Recorder.parse("data: a\ndata: b\n\n").events);
    }

    @Test
    void feed_crLineEnds_endLines() {
        assertEquals(List.of(msg("a\nb")), Recorder.parse("data: a\rdata: b\r\r").events);
    }

    @Test
    void feed_crlfLineEnds_endLines() {
        assertEquals(List.of(msg("a\nb")), Recorder.parse("data: a\r\ndata: b\r\n\r\n").events);
    }

    @Test
    void feed_mixedLineEnds_endLines() {
        assertEquals(
                List.of(msg("a\nb\nc"), msg("d")),
                Recorder.parse("data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\r").events);
    }

    @Test
    void feed_crlfSplitAcrossFeeds_countsOneLineEnd() {
        // were the LF a second line end, it would be a blank line dispatching "a" alone
        Recorder r = Recorder.parsePieces("data: a\r", "\ndata: b\r", "\n\r", "\n");
        assertEquals(List.of(msg("a\nb")), r.events);
    }

    @Test
    void feed_crThenEmptyFeedThenLf_countsOneLineEnd() {
        Recorder r = Recorder.parsePieces("data: a\r", "", "\ndata: b\n\n");
        assertEquals(List.of(msg("a\nb")), r.events);
    }

    @Test
    void feed_lfCr_countsTwoLineEnds() {
        assertEquals(List.of(msg("a")), Recorder.parse("data: a\n\r").events);
    }

    @Test
    void finish_crAsLastByte_endsItsLine() {
        // the final CR ends "retry: 7" (processed) and the blank line before dispatches
        Recorder r = Recorder.parse("data: a\n\nretry: 7\r");
        assertEquals(List.of(msg("a")), r.events);
        assertEquals(List.of(7L), r.retries);
    }

    @Test
    void finish_crAsLastByteOfBlankLine_dispatches() {
        assertEquals(List.of(msg("a")), Recorder.parse("data: a\r\r").events);
    }

    @Test
    void finish_lastLineWithoutLineEnd_isDiscarded() {
        Recorder r = Recorder.parse("retry: 5");
        assertEquals(List.of(), r.retries);
    }

    @Test
    void finish_incompleteEvent_isDiscarded() {
        Recorder r = Recorder.parse("data: a\n\ndata: b\n");
        assertEquals(List.of(msg("a")), r.events);
    }

    @Test
    void feed_commentLine_isReportedWithoutRemovingSpace() {
        Recorder r = Recorder.parse(": hello\n:\n:x\ndata: d\n\n");
        assertEquals(List.of(" hello", "", "x"), r.comments);
        assertEquals(List.of(msg("d")), r.events);
    }

    @Test
    void feed_commentsNotRequested_areNotReported() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        byte[] b = ": hello\ndata: d\n\n".getBytes();
        p.feed(b, 0, b.length);
        assertEquals(List.of(), r.comments);
        assertEquals(List.of(msg("d")), r.events);
    }

    @Test
    void feed_commentOnlyBlock_dispatchesNothing() {
        assertEquals(List.of(), Recorder.parse(": ping\n\n").events);
    }

    @Test
    void feed_lineWithoutColon_isFieldWithEmptyValue() {
        Recorder r = Recorder.parse("data\n\nevent\ndata\ndata\n\nid\ndata\n\n");
        assertEquals(List.of(msg(""), msg("\n"), new SseEvent("message", "", "")), r.events);
    }

    @Test
    void feed_spaceAfterColon_removesExactlyOne() {
        Recorder r = Recorder.parse("data:  two\n\ndata:none\n\ndata: \n\ndata:\t tab\n\n");
        assertEquals(List.of(msg(" two"), msg("none"), msg(""), msg("\t tab")), r.events);
    }

    @Test
    void feed_spaceAfterColonOfEventAndId_removesExactlyOne() {
        Recorder r = Recorder.parse("event:  t\nid:  i\ndata: d\n\n");
        assertEquals(List.of(new SseEvent(" t", "d", " i")), r.events);
    }

    @Test
    void feed_valueWithColons_keepsEverythingAfterFirstColon() {
        assertEquals(List.of(msg("a: b:c")), Recorder.parse("data: a: b:c\n\n").events);
    }

    @Test
    void feed_severalDataLines_joinedWithLfWithoutTrailingLf() {
        assertEquals(List.of(msg("a\n\nb\n")), Recorder.parse("data: a\ndata\ndata: b\ndata:\n\n").events);
    }

    @Test
    void feed_blockWithoutData_dispatchesNothingButIdCounts() {
        Recorder r = Recorder.parse("id: 1\nevent: e\n\ndata: x\n\n");
        assertEquals(List.of(new SseEvent("message", "x", "1")), r.events);
    }

    @Test
    void feed_emptyEvent_meansMessage() {
        assertEquals(List.of(msg("x")), Recorder.parse("event:\ndata: x\n\n").events);
    }

    @Test
    void feed_eventType_resetsAfterDispatch() {
        Recorder r = Recorder.parse("event: a\ndata: 1\n\ndata: 2\n\n");
        assertEquals(List.of(new SseEvent("a", "1", null), msg("2")), r.events);
    }

    @Test
    void feed_eventType_lastOneWins() {
        assertEquals(List.of(new SseEvent("b", "1", null)), Recorder.parse("event: a\nevent: b\ndata: 1\n\n").events);
    }

    @Test
    void feed_repeatedEventType_reusesSameString() {
        Recorder r = Recorder.parse("event: delta\ndata: 1\n\nevent: delta\ndata: 2\n\nevent: other\ndata: 3\n\n");
        assertEquals(
                List.of("delta", "delta", "other"),
                r.events.stream().map(SseEvent::type).toList());
        assertEquals(
                System.identityHashCode(r.events.get(0).type()),
                System.identityHashCode(r.events.get(1).type()));
    }

    @Test
    void feed_typesDifferingInOneByteOrLength_neverTakenForTheCachedOne() {
        Recorder r = Recorder.parse("event: ab\ndata: 1\n\nevent: ac\ndata: 2\n\nevent: a\ndata: 3\n\n"
                + "event: abc\ndata: 4\n\nevent: ab\ndata: 5\n\nevent: \u00e9\ndata: 6\n\nevent: \u00e8\ndata: 7\n\n");
        assertEquals(
                List.of("ab", "ac", "a", "abc", "ab", "\u00e9", "\u00e8"),
                r.events.stream().map(SseEvent::type).toList());
    }

    @Test
    void feed_longTypesDifferingInAnyOneByte_neverTakenForTheCachedOne() {
        // Types of 1 to 24 bytes (compared a word at a time from 8), each followed by every
        // one-byte variant of itself: every position of every word, the overlapping last word too.
        for (int n = 1; n <= 24; n++) {
            String type = "content_block_delta_abcdefgh".substring(0, n);
            StringBuilder text = new StringBuilder();
            List<String> expected = new java.util.ArrayList<>();
            for (int k = 0; k < n; k++) {
                char[] variant = type.toCharArray();
                variant[k] = variant[k] == 'Z' ? 'Y' : 'Z';
                for (String t : List.of(type, new String(variant))) {
                    text.append("event: ").append(t).append("\ndata: x\n\n");
                    expected.add(t);
                }
            }
            assertEquals(
                    expected,
                    Recorder.parse(text.toString()).events.stream()
                            .map(SseEvent::type)
                            .toList(),
                    "length " + n);
        }
    }

    @Test
    void lineEnd_anyPositionOffsetAndKind_findsTheFirstCrOrLf() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int k = 0; k < bytes.length; k++) {
                int r = random.nextInt(20);
                // mostly bytes next to CR/LF in value (0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D), which a wrong mask takes
                // for them
                bytes[k] = (byte)
                        switch (r) {
                            case 0 -> '\n';
                            case 1 -> '\r';
                            case 2, 3, 4, 5 ->
                                new int[] {0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0x00, 0xFF}[random.nextInt(8)];
                            default -> random.nextInt(256);
                        };
            }
            int from = random.nextInt(bytes.length);
            int end = from + random.nextInt(bytes.length - from + 1);
            int expected = end;
            for (int k = from; k < end; k++) {
                if (bytes[k] == '\n' || bytes[k] == '\r') {
                    expected = k;
                    break;
                }
            }
            assertEquals(expected, SseParser.lineEnd(bytes, from, end), () -> java.util.Arrays.toString(bytes));
        }
    }

    @Test
    void feed_dataLineWaitingForItsBlankLine_isCopiedBeforeFeedReturns() {
        // the caller reuses its read buffer: a data line left in it must be the parser's own by then
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        byte[] buffer = "data: first\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p.feed(buffer, 0, buffer.length);
        java.util.Arrays.fill(buffer, (byte) 'X');
        p.feed(bytes('\n'), 0, 1);
        byte[] two = "data: a\nevent: t\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p.feed(two, 0, two.length);
        java.util.Arrays.fill(two, (byte) 'Y');
        p.feed(bytes('d', 'a', 't', 'a', ':', 'b', '\n', '\n'), 0, 8);
        assertEquals(List.of(msg("first"), new SseEvent("t", "a\nb", null)), r.events);
    }

    @Test
    void feed_oneLineDataInsideOneFeed_isOfferedFromTheCallersBuffer() {
        // no copy for the common event; one split across feeds, or of two data lines, comes from the parser's buffer
        List<String> seen = new java.util.ArrayList<>();
        byte[] buffer = "data: one\n\ndata: tw".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SseParser p = new SseParser(new RawListener() {
            @Override
            public boolean onRawEvent(String type, byte[] data, int offset, int length, String lastEventId) {
                String text = new String(data, offset, length, java.nio.charset.StandardCharsets.UTF_8);
                seen.add((data == buffer ? "caller " : "parser ") + text);
                return true;
            }

            @Override
            public void onEvent(SseEvent event) {
                seen.add("event " + event);
            }
        });
        p.feed(buffer, 0, buffer.length);
        byte[] rest = "o\n\ndata: x\ndata: y\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p.feed(rest, 0, rest.length);
        assertEquals(List.of("caller one", "parser two", "parser x\ny"), seen);
    }

    @Test
    void feed_eventTypeOfBlockWithoutData_doesNotLeakIntoNextEvent() {
        assertEquals(List.of(msg("x")), Recorder.parse("event: a\n\ndata: x\n\n").events);
    }

    @Test
    void feed_idWithNul_isIgnored() {
        Recorder r = Recorder.parse("id: 1\n\nid: a\0b\ndata: x\n\n");
        assertEquals(List.of(new SseEvent("message", "x", "1")), r.events);
    }

    @Test
    void feed_lastEventId_persistsAcrossEvents() {
        Recorder r = Recorder.parse("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n");
        assertEquals(
                List.of("1", "1", "2"),
                r.events.stream().map(SseEvent::lastEventId).toList());
    }

    @Test
    void feed_emptyId_setsLastEventIdToEmpty() {
        Recorder r = Recorder.parse("id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n");
        assertEquals(
                List.of("1", "", ""),
                r.events.stream().map(SseEvent::lastEventId).toList());
    }

    @Test
    void feed_noIdEver_lastEventIdIsNull() {
        assertNull(Recorder.parse("data: a\n\n").events.get(0).lastEventId());
    }

    @Test
    void feed_retryDigits_reportsReconnectionTime() {
        Recorder r = Recorder.parse("retry: 1000\nretry:0\nretry: 9223372036854775807\n");
        assertEquals(List.of(1000L, 0L, Long.MAX_VALUE), r.retries);
    }

    @Test
    void feed_retryNotAllDigits_isIgnored() {
        Recorder r =
                Recorder.parse("retry: 1a\nretry: -1\nretry: 1.5\nretry:  1\nretry: 1 \nretry:\nretry\nretry: ١\n");
        assertEquals(List.of(), r.retries);
    }

    @Test
    void feed_retryTooLargeForLong_isIgnored() {
        Recorder r = Recorder.parse("retry: 9223372036854775808\nretry: 99999999999999999999\nretry: 5\n");
        assertEquals(List.of(5L), r.retries);
    }

    @Test
    void feed_retryWithLeadingZeros_isDecimal() {
        assertEquals(List.of(10L), Recorder.parse("retry: 0010\n").retries);
    }

    @Test
    void feed_retryBeforeEvent_isReportedBeforeEvent() {
        Recorder r = Recorder.parse("retry: 3\ndata: x\n\n");
        assertEquals(List.of("retry 3", "event " + msg("x")), r.log);
    }

    @Test
    void feed_unknownField_isIgnored() {
        assertEquals(List.of(msg("x")), Recorder.parse("foo: bar\ndata: x\nfoo\n\n").events);
    }

    @Test
    void feed_fieldNames_areCaseSensitive() {
        Recorder r = Recorder.parse("Data: a\nDATA: b\nEvent: e\nID: 1\nRetry: 5\ndata: z\n\n");
        assertEquals(List.of(msg("z")), r.events);
        assertEquals(List.of(), r.retries);
    }

    @Test
    void feed_fieldNameWithTrailingSpace_isUnknown() {
        assertEquals(List.of(), Recorder.parse("data : x\n\n").events);
    }

    @Test
    void feed_fieldNamePrefixes_areUnknown() {
        assertEquals(List.of(), Recorder.parse("dat: x\ndatas: y\ni: 1\nevents: e\nretrys: 1\n\n").events);
    }

    @Test
    void feed_multiByteCharSplitAcrossFeeds_decodesWhole() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        byte[] b = "data: a😀é€\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) p.feed(b, i, 1);
        assertEquals(List.of(msg("a😀é€")), r.events);
    }

    @Test
    void feed_invalidUtf8_decodesLikeBrowser() {
        byte[] b = bytes('d', 'a', 't', 'a', ':', 0xED, 0xA0, 0x80, 'x', 0xF0, 0x9F, 0x98, '\n', '\n');
        assertEquals(List.of(msg("\uFFFD\uFFFD\uFFFDx\uFFFD")), Recorder.parse(b).events);
    }

    @Test
    void feed_truncatedCharAtEndOfDataLine_isReplacedBeforeLf() {
        byte[] b = bytes('d', 'a', 't', 'a', ':', 0xE2, 0x82, '\n', 'd', 'a', 't', 'a', ':', 'y', '\n', '\n');
        assertEquals(List.of(msg("\uFFFD\ny")), Recorder.parse(b).events);
    }

    @Test
    void feed_emptyFeeds_changeNothing() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        byte[] b = "data: x\n\n".getBytes();
        p.feed(new byte[0], 0, 0);
        p.feed(b, 3, 0);
        p.feed(b, 0, b.length);
        p.feed(b, b.length, 0);
        assertEquals(List.of(msg("x")), r.events);
    }

    @Test
    void feed_offsetAndLength_areHonoured() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(r);
        byte[] b = "XXdata: x\n\nYY".getBytes();
        p.feed(b, 2, b.length - 4);
        assertEquals(List.of(msg("x")), r.events);
    }

    @Test
    void feed_rangeOutsideArray_throwsIndexOutOfBounds() {
        SseParser p = new SseParser(e -> {});
        assertThrows(IndexOutOfBoundsException.class, () -> p.feed(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> p.feed(new byte[4], -1, 1));
    }

    @Test
    void feed_afterFinish_throwsIllegalState() {
        SseParser p = new SseParser(e -> {});
        p.finish();
        p.finish(); // idempotent
        assertThrows(IllegalStateException.class, () -> p.feed(new byte[1], 0, 1));
    }

    @Test
    void feed_afterListenerThrew_throwsIllegalState() {
        SseParser p = new SseParser(e -> {
            throw new IllegalArgumentException("boom");
        });
        byte[] b = "data: x\n\n".getBytes();
        assertThrows(IllegalArgumentException.class, () -> p.feed(b, 0, b.length));
        assertThrows(IllegalStateException.class, () -> p.feed(b, 0, b.length));
        assertThrows(IllegalStateException.class, p::finish);
    }

    @Test
    void constructor_nullArguments_throwNullPointer() {
        assertThrows(NullPointerException.class, () -> new SseParser(null));
        assertThrows(NullPointerException.class, () -> new SseParser(null, e -> {}));
        assertThrows(NullPointerException.class, () -> new SseParser(SseLimits.defaults(), null, false));
    }

    @Test
    void feed_aTypeAnotherParserSaw_isTheSameString_andLongOrUnseenOnesAreStillDecoded() {
        String text = "event: content_block_delta\ndata: a\n\nevent: message_delta\ndata: b\n\n"
                + "event: content_block_delta\ndata: c\n\n";
        // The table is every parser's in the JVM: a parser on another thread (a stream of an earlier
        // test, still closing) may take a slot between two parses. So up to three pairs are asked;
        // without the table, no pair shares a string.
        assertTrue(IntStream.range(0, 3).anyMatch(i -> sharesTypes(text)), "one string for a type every stream sends");

        String longType = "t".repeat(49);
        List<SseEvent> a = Recorder.parse("event: " + longType + "\ndata: x\n\n").events;
        List<SseEvent> b = Recorder.parse("event: " + longType + "\ndata: x\n\n").events;
        assertEquals(longType, b.get(0).type());
        assertNotSame(a.get(0).type(), b.get(0).type(), "a long type is not kept");
        // ill-formed UTF-8 decodes as before (U+FFFD), whether the type was seen or not
        byte[] bad = bytes('e', 'v', 'e', 'n', 't', ':', 0xC3, '\n', 'd', 'a', 't', 'a', '\n', '\n');
        assertEquals("\uFFFD", Recorder.parse(bad).events.get(0).type());
        assertEquals("\uFFFD", Recorder.parse(bad).events.get(0).type());
    }

    /** {@return whether two parses of the text give each type as one string, within and across the two} */
    private static boolean sharesTypes(String text) {
        List<SseEvent> first = Recorder.parse(text).events;
        List<SseEvent> second = Recorder.parse(text).events;
        assertEquals(first, second);
        return first.get(0).type() == second.get(0).type()
                && first.get(1).type() == second.get(1).type()
                && second.get(0).type() == second.get(2).type();
    }

    /** A listener that also takes raw data: the parser's internal hot path. */
    private interface RawListener extends SseListener, dev.sluice.internal.low.sse.RawEventListener {}
}
