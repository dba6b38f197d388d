package dev.sluice.internal.low.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppendOnlyTextTest {

    @Test
    void view_furtherAppendsGrowthAndClear_viewUnchanged() {
        AppendOnlyText text = new AppendOnlyText("héllo");
        TextView early = text.view();
        for (int i = 0; i < 1_000; i++) text.append("wörld "); // grows the storage many times
        TextView later = text.view();
        text.clear();
        text.append("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"); // would overwrite a reused array
        assertEquals("héllo", early.toString());
        assertEquals(5 + 6_000, later.length());
        assertTrue(later.toString().startsWith("héllowörld wörld "));
        assertEquals('h', early.charAt(0));
        assertEquals("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", text.view().toString());
    }

    @Test
    void view_clearWithoutView_reusesNothingVisible() {
        AppendOnlyText text = new AppendOnlyText();
        text.append("abc");
        text.clear();
        text.append('d');
        assertEquals("d", text.view().toString());
        assertEquals("d", text.toString());
    }

    @Test
    void toString_memoised_sameInstanceAndValueEquality() {
        AppendOnlyText text = new AppendOnlyText("abc");
        TextView v = text.view();
        assertSame(v.toString(), v.toString());
        assertSame(v, text.view(), "nothing appended: the same view");
        text.append("d");
        TextView w = text.view(3);
        assertEquals(v, w);
        assertEquals(v.hashCode(), w.hashCode());
        assertEquals("abc".hashCode(), v.hashCode());
        assertNotEquals(v, text.view());
        assertFalse(v.equals("abc"), "a view is not equal to a String: compare toString()");
        assertEquals("bc", v.subSequence(1, 3).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> v.charAt(3));
    }

    @Test
    void lazyList_deferredElement_builtOnFirstReadOnceEqualToEagerList() {
        AtomicInteger builds = new AtomicInteger();
        LazyList<String> list = LazyList.wrap(new Object[] {"a", new Deferred<>(() -> "b" + builds.incrementAndGet())});
        assertEquals(0, builds.get());
        assertFalse(list.isBuilt(1));
        assertEquals(2, list.size());
        assertEquals("b1", list.get(1));
        assertEquals("b1", list.get(1));
        assertEquals(1, builds.get());
        assertEquals(List.of("a", "b1"), list);
        assertEquals(List.of("a", "b1").hashCode(), list.hashCode());
        assertSame(list, LazyList.copyOf(list));
        assertThrows(UnsupportedOperationException.class, () -> list.add("c"));
    }

    @Test
    void immutableJsonObject_openStringTail_readAsStringEqualToPlainMap() {
        AppendOnlyText open = new AppendOnlyText("par");
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        members.put("a", 1L);
        Map<String, Object> m = ImmutableJsonObject.withTail(members, "s", open.view());
        open.append("tial");
        assertEquals("par", m.get("s"));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("a", 1L);
        plain.put("s", "par");
        assertEquals(plain, m);
        assertEquals(m, plain);
        assertEquals(plain.hashCode(), m.hashCode());
        assertEquals(List.of("a", "s"), new ArrayList<>(m.keySet()));
        assertEquals("{a=1, s=par}", m.toString());
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 2L));
    }
}
