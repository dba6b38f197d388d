package dev.sluice.internal.value;

import java.util.Objects;

/**
 * An immutable {@code CharSequence} over characters that are never written again (taken from an
 * {@link AppendOnlyText}). Taking one costs O(1); {@link #toString()} builds the {@code String}
 * once, on first call, and returns that same string afterwards. Two views are equal when they
 * hold the same characters; a view is never equal to a {@code String} (compare
 * {@code toString()}s, or use {@link CharSequence#compare}).
 *
 * <p>Threading: immutable, any thread. The memoised string is a benign race, as
 * {@code String.hashCode}'s is: two threads may each build an equal string, and either is kept.
 */
public final class TextView implements CharSequence {
    private final char[] chars;
    private final int start;
    private final int length;
    private String string;   // memoised; a benign race

    TextView(char[] chars, int start, int length) {
        this.chars = chars;
        this.start = start;
        this.length = length;
    }

    /** {@return a view of {@code s}} Its string is {@code s} itself. */
    public static TextView of(String s) {
        TextView v = new TextView(s.toCharArray(), 0, s.length());
        v.string = s;
        return v;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        Objects.checkIndex(index, length);
        return chars[start + index];
    }

    @Override
    public boolean isEmpty() {
        return length == 0;
    }

    @Override
    public TextView subSequence(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return new TextView(chars, start + from, to - from);
    }

    /** {@return the characters as a String} O(length) the first time, then O(1): the same string. */
    @Override
    public String toString() {
        String s = string;
        if (s == null) {
            s = new String(chars, start, length);
            string = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof TextView v) || v.length != length) return false;
        return java.util.Arrays.equals(chars, start, start + length, v.chars, v.start, v.start + length);
    }

    /** {@return the hash code of {@link #toString()}} */
    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
