package dev.sluice.internal.low.value;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The elements of a JSON array being read, appended one at a time, whose {@link #view views} are
 * immutable {@link ImmutableJsonArray}s taken in O(1): the slots a view covers are never written
 * again (elements are only appended; growing copies into a new array, and the old one stays as the
 * views that hold it saw it). So a snapshot of an open array of n elements costs O(1), not O(n).
 *
 * <p>Threading: not thread-safe; one owner at a time. Its views may be read from any thread.
 */
public final class AppendOnlyArray {
    private static final Object[] EMPTY = new Object[0];

    private @Nullable Object[] items = EMPTY;
    private int size;

    /** Creates an empty array. */
    public AppendOnlyArray() {}

    /** Appends an element: an immutable value-model value, null for JSON null. */
    public void add(@Nullable Object value) {
        if (size == items.length) {
            int capacity = Math.max(4, items.length << 1);
            items = Arrays.copyOf(items, capacity < 0 ? size + 1 : capacity);
        }
        items[size++] = value;
    }

    /** {@return how many elements were appended} */
    public int size() {
        return size;
    }

    /**
     * {@return the elements so far, with {@code tail} as one more last element when {@code hasTail}}
     * O(1). The tail may be a {@link TextView} (a string still being read).
     */
    public ImmutableJsonArray view(boolean hasTail, @Nullable Object tail) {
        return ImmutableJsonArray.prefix(items, size, hasTail, tail);
    }

    /** {@return the elements, as the array they make once it is closed} The owner appends no more. */
    public ImmutableJsonArray freeze() {
        return ImmutableJsonArray.wrap(size == items.length ? items : Arrays.copyOf(items, size));
    }
}
