package dev.sluice.internal.low.value;

import org.jspecify.annotations.Nullable;

/**
 * An immutable {@code CharSequence} over text that is never written again: a view of an
 * {@link AppendOnlyText} (its characters) or of a {@link StringParts} (the strings appended to it).
 * Taking one costs O(1); {@link #toString()} builds the {@code String} once, on first call, exactly
 * (one array of the final size), and returns that same string afterwards. Two views are equal when
 * they hold the same characters; a view is never equal to a {@code String} (compare
 * {@code toString()}s, or use {@link CharSequence#compare}).
 *
 * <p>Threading: immutable, any thread. The memoised string is a benign race, as
 * {@code String.hashCode}'s is: two threads may each build an equal string, and either is kept.
 */
public abstract sealed class TextView implements CharSequence permits CharArrayView, PartsView {
    final int length;
    private @Nullable String string; // memoised; a benign race (a String is safely published)

    TextView(int length, @Nullable String string) {
        this.length = length;
        this.string = string;
    }

    /** {@return a view of {@code s}} Its string is {@code s} itself. */
    public static TextView of(String s) {
        return new PartsView(s);
    }

    /** {@return the characters as a new String, of exactly their length} */
    abstract String build();

    /** {@return the memoised string, or null if it has not been built} */
    final @Nullable String built() {
        return string;
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final boolean isEmpty() {
        return length == 0;
    }

    @Override
    public abstract TextView subSequence(int from, int to);

    /** {@return the characters as a String} O(length) the first time, then O(1): the same string. */
    @Override
    public final String toString() {
        String s = string;
        if (s == null) {
            s = build();
            string = s;
        }
        return s;
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof TextView v) || v.length != length) return false;
        if (this instanceof CharArrayView a && v instanceof CharArrayView b) return a.sameChars(b);
        return toString().equals(v.toString());
    }

    /** {@return the hash code of {@link #toString()}} */
    @Override
    public final int hashCode() {
        return toString().hashCode();
    }
}
