package dev.sluice.internal.low.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StringPartsTest {

    private static final List<String> MIXED =
            List.of("plain ", "héllo ", "日本語", "\uD83D\uDE00", "a\uD83D", "\uDE00b", "", "\\n—→…", "ü", "");

    @Test
    void view_furtherAppendsAndCompactions_viewUnchanged() {
        StringParts text = new StringParts(4);
        text.append("héllo");
        TextView early = text.view();
        StringBuilder expected = new StringBuilder("héllo");
        List<TextView> views = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String part = MIXED.get(i % MIXED.size());
            text.append(part);
            expected.append(part);
            if (i % 7 == 0) {
                views.add(text.view());
                seen.add(expected.toString());
            }
        }
        text.clear();
        text.append("XXXXXXXXXXXXXXXXXXXXXXXXXX"); // would overwrite a reused array
        for (int i = 0; i < 20; i++) text.append("Y");
        assertEquals("héllo", early.toString());
        for (int i = 0; i < views.size(); i++) {
            assertEquals(seen.get(i).length(), views.get(i).length());
            assertEquals(seen.get(i), views.get(i).toString());
        }
        assertEquals("XXXXXXXXXXXXXXXXXXXXXXXXXX" + "Y".repeat(20), text.toString());
    }

    @Test
    void toString_latin1Utf16AndMixedParts_equalToConcatenation() {
        List<List<String>> cases = List.of(
                List.of("abc", "def", "ghi"),
                List.of("日本", "語の", "文"),
                List.of("ascii ", "é", " 日本 ", "x"),
                List.of("a\uD83D", "\uDE00", "\uD83D", "\uDE00z"), // surrogate pairs split across parts
                List.of("", "", "a", "", "b", ""),
                List.of(""),
                List.of());
        for (int compactAt : new int[] {2, 3, 256}) {
            for (List<String> parts : cases) {
                StringParts text = new StringParts(compactAt);
                for (int round = 0; round < 5; round++) for (String p : parts) text.append(p);
                String expected = String.join("", parts).repeat(5);
                assertEquals(expected, text.toString(), parts + " compactAt " + compactAt);
                assertEquals(expected.length(), text.length());
                assertEquals(expected.isEmpty(), text.isEmpty());
                TextView v = text.view();
                for (int i = v.length() - 1; i >= 0; i--) assertEquals(expected.charAt(i), v.charAt(i), "charAt " + i);
            }
        }
    }

    @Test
    void view_charAtBeforeAndAfterBuilt_readsEveryIndex() {
        StringParts text = new StringParts(3);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String part = MIXED.get(i);
            text.append(part);
            expected.append(part);
        }
        TextView fresh = text.view();
        for (int i = fresh.length() - 1; i >= 0; i--) assertEquals(expected.charAt(i), fresh.charAt(i));
        TextView again =
                new StringParts(3).append("ab").append("日本").append("c").view();
        assertEquals('c', again.charAt(4)); // from the recent parts, nothing built
        assertEquals('a', again.charAt(0));
        assertThrows(IndexOutOfBoundsException.class, () -> again.charAt(5));
        assertThrows(IndexOutOfBoundsException.class, () -> again.charAt(-1));
    }

    @Test
    void toString_memoisedExactAndEqualAcrossKinds() {
        StringParts text = new StringParts("ab");
        text.append("c");
        TextView v = text.view();
        assertSame(v.toString(), v.toString());
        assertSame(v, text.view(), "nothing appended: the same view");
        assertSame(v.toString(), text.toString());
        AppendOnlyText chars = new AppendOnlyText("abc");
        assertEquals(v, chars.view());
        assertEquals(chars.view(), v);
        assertEquals(v, TextView.of("abc"));
        assertEquals("abc".hashCode(), v.hashCode());
        text.append("d");
        assertNotEquals(v, text.view());
        assertFalse(v.equals("abc"), "a view is not equal to a String: compare toString()");
        assertEquals("bc", v.subSequence(1, 3).toString());
        String only = "only";
        assertSame(only, new StringParts(only).toString(), "one part: the string itself, not a copy");
    }

    @Test
    void view_readOnAnotherThreadWhileAppending_seesWhatItCovered() throws Exception {
        // The reader builds and reads each view while the owner keeps appending and compacting into
        // the arrays the views share.
        StringParts text = new StringParts(8);
        TextView end = TextView.of("");
        BlockingQueue<TextView> handed = new LinkedBlockingQueue<>();
        CountDownLatch readerDone = new CountDownLatch(1);
        int taken = 0;
        try (ExecutorService reader = Executors.newSingleThreadExecutor()) {
            Future<Integer> checked = reader.submit(() -> {
                try {
                    int n = 0;
                    for (TextView v = handed.take(); v != end; v = handed.take()) {
                        assertEquals('\u00e9', v.charAt(v.length() - 1));
                        assertEquals("ab\u00e9".repeat(v.length() / 3), v.toString());
                        n++;
                    }
                    return n;
                } finally {
                    readerDone.countDown();
                }
            });
            for (int i = 0; i < 20_000; i++) {
                text.append("ab\u00e9");
                if (i % 10 == 0) {
                    handed.add(text.view());
                    taken++;
                }
            }
            handed.add(end);
            assertTrue(readerDone.await(30, TimeUnit.SECONDS));
            assertEquals(taken, checked.get());
        }
    }
}
