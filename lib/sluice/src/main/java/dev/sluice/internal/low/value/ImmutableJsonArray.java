package dev.sluice.internal.low.value;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * A JSON array of Sluice's value model that Sluice built itself and that is deeply immutable (see
 * {@link ImmutableJsonObject}), so it can be shared where a caller's list would be deep-copied. Its
 * last element may be a string still being read: held as a {@link TextView}, shown as a
 * {@code String}. Elements may be null (JSON null).
 *
 * <p>It may cover only the first elements of a longer array (an {@link AppendOnlyArray} being
 * appended to, which never writes those slots again), plus a last element of its own: so a snapshot
 * of an open array shares its elements rather than copying them.
 */
public final class ImmutableJsonArray extends AbstractList<Object> implements RandomAccess {
    private static final Object[] NONE = new Object[0];
    private static final ImmutableJsonArray EMPTY = new ImmutableJsonArray(NONE, 0, false, null);

    private final @Nullable Object[] items; // the first `count` are elements
    private final int count;
    private final boolean hasTail;
    private final @Nullable Object tail; // one more element after them, when hasTail; may be a TextView

    private ImmutableJsonArray(@Nullable Object[] items, int count, boolean hasTail, @Nullable Object tail) {
        this.items = items;
        this.count = count;
        this.hasTail = hasTail;
        this.tail = tail;
    }

    /** {@return the empty array} */
    public static ImmutableJsonArray empty() {
        return EMPTY;
    }

    /**
     * {@return an array of {@code items}, taken as they are} The caller gives up the array: nothing
     * may change it afterwards, and its elements must be immutable value-model values (the last may
     * be a {@link TextView}).
     */
    public static ImmutableJsonArray wrap(@Nullable Object[] items) {
        return items.length == 0 ? EMPTY : new ImmutableJsonArray(items, items.length, false, null);
    }

    /**
     * {@return the first {@code count} of {@code items}, then {@code tail} when {@code hasTail}}
     * Nothing may write those slots afterwards; {@code tail} may be a {@link TextView}.
     */
    static ImmutableJsonArray prefix(@Nullable Object[] items, int count, boolean hasTail, @Nullable Object tail) {
        return count == 0 && !hasTail ? EMPTY : new ImmutableJsonArray(items, count, hasTail, tail);
    }

    /** {@return an array of the elements of {@code list}, copied} */
    public static ImmutableJsonArray copyOf(List<Object> list) {
        return wrap(list.toArray());
    }

    @Override
    public @Nullable Object get(int index) {
        Object o = rawGet(index);
        return o instanceof TextView v ? v.toString() : o;
    }

    /**
     * {@return element {@code index} as held: a string still being read as its {@link TextView},
     * without building its {@code String}}
     *
     * @throws IndexOutOfBoundsException if there is no such element
     */
    public @Nullable Object rawGet(int index) {
        Objects.checkIndex(index, size());
        return index < count ? items[index] : tail;
    }

    @Override
    public int size() {
        return hasTail ? count + 1 : count;
    }

    @Override
    @SuppressWarnings("NullAway") // JSON null elements are null, as toArray allows; the JDK's signature cannot say so
    public Object[] toArray() {
        @Nullable Object[] out = Arrays.copyOf(items, size(), Object[].class);
        if (hasTail) out[count] = tail;
        int last = out.length - 1;
        if (last >= 0 && out[last] instanceof TextView v) out[last] = v.toString();
        return out;
    }
}
