package dev.sluice.internal.low.value;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Text that grows by appending, whose {@link #view()}s are immutable: the characters a view covers
 * are never written again. Appending writes only past the end; growing copies into a new array
 * (the old one stays as the views that hold it saw it); {@link #clear()} after a view was taken
 * starts a new array. So a view costs O(1) to take and never changes meaning, whatever is appended
 * later, and reading it from another thread needs no lock (its fields are final and the characters
 * it covers were written before it was created).
 *
 * <p>For text appended a character or a run at a time (a JSON string being read); text appended
 * as whole strings is cheaper in {@link StringParts}, which keeps the strings.
 *
 * <p>Threading: not thread-safe; one owner at a time (a thread, or whoever holds its owner's lock).
 */
public final class AppendOnlyText implements CharSequence {
    private static final char[] EMPTY = new char[0];

    // --- owned by one thread at a time
    private char[] chars = EMPTY;
    private int length;
    private @Nullable TextView lastView; // the last view taken, while nothing was appended since; null otherwise
    private boolean shared; // a view holds the current array: clear() must not reuse it

    /** Creates empty text. */
    public AppendOnlyText() {}

    /** Creates text holding {@code initial}. */
    public AppendOnlyText(CharSequence initial) {
        append(initial);
    }

    /** Appends {@code s}. */
    public AppendOnlyText append(CharSequence s) {
        return append(s, 0, s.length());
    }

    /** Appends {@code s[start, end)}. */
    public AppendOnlyText append(CharSequence s, int start, int end) {
        int n = end - start;
        if (n == 0) return this;
        ensure(n);
        if (s instanceof String str) {
            str.getChars(start, end, chars, length);
        } else {
            for (int i = start; i < end; i++) chars[length + i - start] = s.charAt(i);
        }
        length += n;
        lastView = null;
        return this;
    }

    /** Appends {@code c}. */
    public AppendOnlyText append(char c) {
        ensure(1);
        chars[length++] = c;
        lastView = null;
        return this;
    }

    /** Empties the text; views taken before keep what they saw. */
    public void clear() {
        if (shared) {
            chars = EMPTY;
            shared = false;
        }
        length = 0;
        lastView = null;
    }

    /** {@return an immutable view of the text as it is now} O(1); the same view until something is appended. */
    public TextView view() {
        return view(length);
    }

    /** {@return an immutable view of the first {@code end} characters} */
    public TextView view(int end) {
        if (end < 0 || end > length) throw new IndexOutOfBoundsException("end " + end + ", length " + length);
        if (end == length && lastView != null) return lastView;
        shared = true;
        TextView v = new CharArrayView(chars, 0, end);
        if (end == length) lastView = v;
        return v;
    }

    private void ensure(int n) {
        int need = length + n;
        if (need < 0) throw new OutOfMemoryError("text longer than Integer.MAX_VALUE");
        if (need > chars.length) {
            // doubling, as StringBuilder does: a stream of small deltas copies each character about
            // twice on its way to the final size (growing by half would copy it about three times)
            int capacity = Math.max(need, Math.max(16, chars.length << 1));
            chars = Arrays.copyOf(chars, capacity < 0 ? need : capacity);
            shared = false;
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException("index " + index + ", length " + length);
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return substring(start, end);
    }

    /** {@return the characters {@code [start, end)} as a new String} */
    public String substring(int start, int end) {
        Objects.checkFromToIndex(start, end, length);
        return new String(chars, start, end - start);
    }

    /** {@return the text, copied} O(length): prefer {@link #view()} to hand it on. */
    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
