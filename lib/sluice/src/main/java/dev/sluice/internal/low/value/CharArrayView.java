package dev.sluice.internal.low.value;

import java.util.Arrays;
import java.util.Objects;

/** A view of an {@link AppendOnlyText}: characters in an array that are never written again. */
final class CharArrayView extends TextView {
    private final char[] chars;
    private final int start;

    CharArrayView(char[] chars, int start, int length) {
        super(length, null);
        this.chars = chars;
        this.start = start;
    }

    @Override
    public char charAt(int index) {
        Objects.checkIndex(index, length);
        return chars[start + index];
    }

    @Override
    public TextView subSequence(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return new CharArrayView(chars, start + from, to - from);
    }

    @Override
    String build() {
        return new String(chars, start, length);
    }

    boolean sameChars(CharArrayView v) {
        return Arrays.equals(chars, start, start + length, v.chars, v.start, v.start + length);
    }
}
