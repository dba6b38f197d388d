package dev.sluice.objects;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * Values appended one at a time whose {@link #view views} are immutable lists taken in O(1): a
 * view covers the first slots of an array no one writes again (growing copies it). Elements may be
 * null. Not thread-safe; its views are, and may be read from any thread.
 */
final class PrefixList {
    private @Nullable Object[] items = new @Nullable Object[4];
    private int size;

    void add(@Nullable Object value) {
        if (size == items.length) items = Arrays.copyOf(items, size << 1);
        items[size++] = value;
    }

    int size() {
        return size;
    }

    @Nullable
    Object get(int index) {
        return items[Objects.checkIndex(index, size)];
    }

    /** {@return the first {@code n} values, as an immutable list} */
    @SuppressWarnings("unchecked")
    <E> List<E> view(int n) {
        Objects.checkFromToIndex(0, n, size);
        return n == 0 ? List.of() : (List<E>) new View(items, n);
    }

    private static final class View extends AbstractList<@Nullable Object> implements RandomAccess {
        private final @Nullable Object[] items;
        private final int size;

        View(@Nullable Object[] items, int size) {
            this.items = items;
            this.size = size;
        }

        @Override
        public @Nullable Object get(int index) {
            return items[Objects.checkIndex(index, size)];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
