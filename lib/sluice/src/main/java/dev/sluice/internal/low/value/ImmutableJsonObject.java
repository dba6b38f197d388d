package dev.sluice.internal.low.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON object of Sluice's value model that Sluice built itself and that is deeply immutable:
 * every value is a value-model value, its containers again {@code ImmutableJsonObject}s or
 * {@link ImmutableJsonArray}s. So it can be shared where a caller's map would be deep-copied.
 *
 * <p>Insertion-ordered. The last member may be a string still being read: held as a
 * {@link TextView}, shown as a {@code String} (built on first access, once).
 */
public final class ImmutableJsonObject extends AbstractMap<String, Object> {
    private static final ImmutableJsonObject EMPTY = new ImmutableJsonObject(Map.of(), null, null);

    private final Map<String, Object> members; // unmodifiable, insertion-ordered; never the tail key
    private final @Nullable String tailKey; // null when there is no tail
    private final @Nullable Object tailValue; // a value, or a TextView shown as its string
    private @Nullable Set<Entry<String, Object>> entries; // benign race

    private ImmutableJsonObject(Map<String, Object> members, @Nullable String tailKey, @Nullable Object tailValue) {
        this.members = members;
        this.tailKey = tailKey;
        this.tailValue = tailValue;
    }

    /** {@return the empty object} */
    public static ImmutableJsonObject empty() {
        return EMPTY;
    }

    /**
     * {@return an object of {@code members}, taken as they are} The caller gives up the map: nothing
     * may change it afterwards, and its values must be immutable value-model values.
     */
    @SuppressWarnings("NonApiType") // a map the caller gives up, insertion-ordered: not a shared Map (see withTail)
    public static ImmutableJsonObject of(LinkedHashMap<String, Object> members) {
        return members.isEmpty() ? EMPTY : new ImmutableJsonObject(Collections.unmodifiableMap(members), null, null);
    }

    /**
     * {@return {@code members} with one more member last} {@code value} may be a {@link TextView}
     * (a string still being read). If {@code key} is already a member, its value is replaced in its
     * place (JSON's last-wins rule), and a view value is turned into its string now.
     */
    @SuppressWarnings("NonApiType") // the overload for a map the caller gives up; the Map one shares its map
    public static ImmutableJsonObject withTail(
            LinkedHashMap<String, Object> members, String key, @Nullable Object value) {
        if (members.containsKey(key)) {
            members.put(key, value instanceof TextView v ? v.toString() : value);
            return of(members);
        }
        return new ImmutableJsonObject(Collections.unmodifiableMap(members), key, value);
    }

    /**
     * {@return {@code members}, shared, with one more member last (none when {@code key} is null)}
     * The map must be unmodifiable and insertion-ordered, its values immutable value-model values,
     * and nothing may change it afterwards. {@code value} may be a {@link TextView}. If {@code key}
     * is already a member, its value is replaced in its place (JSON's last-wins rule), in a copy.
     */
    public static ImmutableJsonObject withTail(
            Map<String, Object> members, @Nullable String key, @Nullable Object value) {
        if (key == null) return members.isEmpty() ? EMPTY : new ImmutableJsonObject(members, null, null);
        if (members.containsKey(key)) return withTail(new LinkedHashMap<>(members), key, value);
        return new ImmutableJsonObject(members, key, value);
    }

    private @Nullable Object tail() {
        return tailValue instanceof TextView v ? v.toString() : tailValue;
    }

    /**
     * {@return the value of member {@code key} as held: a string still being read as its
     * {@link TextView}, without building its {@code String}; null when absent}
     */
    public @Nullable Object rawGet(String key) {
        if (tailKey != null && tailKey.equals(key)) return tailValue;
        return members.get(key);
    }

    @Override
    public int size() {
        return members.size() + (tailKey == null ? 0 : 1);
    }

    @Override
    public boolean containsKey(Object key) {
        return (tailKey != null && tailKey.equals(key)) || members.containsKey(key);
    }

    @Override
    public @Nullable Object get(Object key) {
        if (tailKey != null && tailKey.equals(key)) return tail();
        return members.get(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> e = entries;
        if (e == null) {
            e = tailKey == null ? members.entrySet() : new TailEntries();
            entries = e;
        }
        return e;
    }

    private final class TailEntries extends AbstractSet<Entry<String, Object>> {
        @Override
        public int size() {
            return ImmutableJsonObject.this.size();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
            Iterator<Entry<String, Object>> head = members.entrySet().iterator();
            return new Iterator<>() {
                private boolean tailDone;

                @Override
                public boolean hasNext() {
                    return head.hasNext() || !tailDone;
                }

                @Override
                public Entry<String, Object> next() {
                    if (head.hasNext()) return head.next();
                    if (tailDone) throw new NoSuchElementException();
                    tailDone = true;
                    return new SimpleImmutableEntry<>(tailKey, tail());
                }
            };
        }
    }
}
