package dev.sluice.internal.low.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The members of a JSON object being read, put one at a time, whose {@link #view views} are
 * immutable, insertion-ordered maps taken in O(1): a view covers the first members of arrays whose
 * slots it covers are never written again, so a snapshot of an open object of n members costs O(1),
 * not a copy of n members.
 *
 * <p>Keys and values sit in two arrays that only grow at the end (growing copies them, and the old
 * arrays stay as the views that hold them saw them). A repeated key replaces the value at the key's
 * first position (JSON's last-wins rule, as in a {@code LinkedHashMap}): the one write into a slot
 * a view may cover, so it first copies the values array when a view holds it. An object that
 * repeats keys pays that copy per repeat; a well-formed one never does.
 *
 * <p>Lookup: a linear scan up to {@value #SCAN} members, above that a key-to-position index shared
 * by the owner and its views. The index is concurrent (views are read from other threads while the
 * owner adds to it) and only ever gains keys; a view ignores positions past its own size.
 *
 * <p>Threading: not thread-safe; one owner at a time. Its views may be read from any thread.
 */
public final class AppendOnlyMembers {
    private static final int SCAN = 8;
    private static final String[] NO_KEYS = new String[0];
    private static final Object[] NO_VALUES = new Object[0];

    private String[] keys = NO_KEYS;
    private @Nullable Object[] values = NO_VALUES;
    private int size;
    private @Nullable ConcurrentHashMap<String, Integer> index; // from SCAN + 1 members on
    private boolean valuesShared; // a view holds the values array
    private @Nullable Map<String, Object> lastView; // while nothing was put since

    /** Creates an empty object. */
    public AppendOnlyMembers() {}

    /** Puts a member: an immutable value-model value, null for JSON null; a repeated key replaces the value in its place. */
    public void put(String key, @Nullable Object value) {
        Objects.requireNonNull(key, "key");
        lastView = null;
        int at = indexOf(keys, size, index, key);
        if (at >= 0) {
            if (valuesShared) {
                values = values.clone();
                valuesShared = false;
            }
            values[at] = value;
            return;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, keys.length << 1);
            if (capacity < 0) capacity = size + 1;
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
            valuesShared = false;
        }
        keys[size] = key;
        values[size] = value;
        if (index != null) {
            index.put(key, size);
        } else if (size == SCAN) {
            index = new ConcurrentHashMap<>();
            for (int i = 0; i <= size; i++) index.putIfAbsent(keys[i], i);
        }
        size++;
    }

    /** {@return whether key is a member} */
    public boolean containsKey(String key) {
        return indexOf(keys, size, index, key) >= 0;
    }

    /** {@return the members so far, as an unmodifiable insertion-ordered map} O(1); the same map until something is put. */
    public Map<String, Object> view() {
        Map<String, Object> v = lastView;
        if (v == null) {
            if (size == 0) return Map.of();
            valuesShared = true;
            v = new MembersView(keys, values, size, index);
            lastView = v;
        }
        return v;
    }

    /** {@return the members, as the object they make once it is closed} The owner puts no more. */
    public ImmutableJsonObject freeze() {
        if (size == 0) return ImmutableJsonObject.empty();
        String[] k = size == keys.length ? keys : Arrays.copyOf(keys, size);
        @Nullable Object[] v = size == values.length ? values : Arrays.copyOf(values, size);
        return ImmutableJsonObject.withTail(new MembersView(k, v, size, index), null, null);
    }

    private static int indexOf(
            String[] keys, int size, @Nullable ConcurrentHashMap<String, Integer> index, Object key) {
        if (index != null) {
            Integer at = index.get(key);
            return at != null && at < size ? at : -1;
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) return i;
        }
        return -1;
    }

    /** The first {@code size} members of the arrays, which no one writes again. */
    private static final class MembersView extends AbstractMap<String, Object> {
        private final String[] keys;
        private final @Nullable Object[] values;
        private final int size;
        private final @Nullable ConcurrentHashMap<String, Integer> index;

        MembersView(
                String[] keys,
                @Nullable Object[] values,
                int size,
                @Nullable ConcurrentHashMap<String, Integer> index) {
            this.keys = keys;
            this.values = values;
            this.size = size;
            this.index = index;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && indexOf(keys, size, index, key) >= 0;
        }

        @Override
        public @Nullable Object get(Object key) {
            if (!(key instanceof String)) return null;
            int at = indexOf(keys, size, index, key);
            return at < 0 ? null : values[at];
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= size) throw new NoSuchElementException();
                            int i = next++;
                            return new SimpleImmutableEntry<>(keys[i], values[i]);
                        }
                    };
                }
            };
        }
    }
}
