package dev.sluice.internal.low.value;

import java.util.Objects;

/**
 * A view of a {@link StringParts}: the compacted chunks and the recent parts it saw, in arrays whose
 * slots it covers are never written again.
 */
final class PartsView extends TextView {
    private static final String[] NONE = {};

    private final String[] chunks; // [0, chunkCount) joined runs of parts
    private final int chunkCount;
    private final String[] recent; // [0, recentCount) the parts appended since, as they came
    private final int recentCount;
    private final int recentStart; // the characters in the chunks

    PartsView(String[] chunks, int chunkCount, String[] recent, int recentCount, int recentStart, int length) {
        super(length, null);
        this.chunks = chunks;
        this.chunkCount = chunkCount;
        this.recent = recent;
        this.recentCount = recentCount;
        this.recentStart = recentStart;
    }

    /** A view of {@code s}, whose string is {@code s} itself. */
    PartsView(String s) {
        super(s.length(), s);
        this.chunks = new String[] {s};
        this.chunkCount = 1;
        this.recent = NONE;
        this.recentCount = 0;
        this.recentStart = s.length();
    }

    /**
     * O(1) once the string is built; in the recent parts, O(parts after {@code index}) (reads near the
     * end, the common case in a listener, stay cheap); in the chunks, builds the string first.
     */
    @Override
    public char charAt(int index) {
        Objects.checkIndex(index, length);
        String s = built();
        if (s == null && index >= recentStart) {
            int end = length;
            for (int i = recentCount - 1; ; i--) {
                String p = recent[i];
                int begin = end - p.length();
                if (index >= begin) return p.charAt(index - begin);
                end = begin;
            }
        }
        return toString().charAt(index);
    }

    @Override
    public TextView subSequence(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return new PartsView(toString().substring(from, to));
    }

    /**
     * {@code String.join} sizes the result from its parts' lengths and coders first and fills one
     * array of the final size: no over-allocation, no failed Latin-1 compression.
     */
    @Override
    String build() {
        int n = chunkCount + recentCount;
        if (n == 0) return "";
        if (n == 1) return chunkCount == 1 ? chunks[0] : recent[0];
        String[] all = new String[n];
        System.arraycopy(chunks, 0, all, 0, chunkCount);
        System.arraycopy(recent, 0, all, chunkCount, recentCount);
        return String.join("", all);
    }
}
