package dev.sluice.internal.low.value;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Text that grows by appending whole strings, kept as the strings themselves rather than copied:
 * they are immutable, and a stream's deltas are allocated anyway. Its {@link #view()}s are
 * immutable. The text is copied twice in all: every {@code COMPACT_AT} (256) parts are joined into one
 * chunk (so what is kept stays about the text's size, not a string object per delta), and a view's
 * string is joined once, exactly, when it is first read. ({@link AppendOnlyText}, which copies
 * characters into a doubling array, copies a stream of small deltas about three times, and its
 * {@code String} of non-Latin-1 text wastes a failed compression on top.)
 *
 * <p>Arrays the views hold are written only past the slots they cover: the chunks array grows by
 * copying and gains a chunk past its count; the recent parts array is replaced, not cleared, at
 * compaction when a view holds it. So a view costs O(1) to take and never changes meaning, and
 * reading it from another thread needs no lock (its fields are final; the slots it covers were
 * written before it was created).
 *
 * <p>Threading: not thread-safe; one owner at a time (a thread, or whoever holds its owner's lock).
 */
public final class StringParts {
    /**
     * Parts joined into one chunk. Larger keeps more string objects alive per character; smaller
     * makes more chunks. On RealContentRun's text stream (~9 UTF-16 units a delta) the steady
     * allocation per event was 276.8 B at 32, 274.2 at 256, 274.0 at 4096 and 272.3 never
     * compacting; 256 keeps at most ~10 kB of per-part overhead alive.
     */
    static final int COMPACT_AT = 256;

    private static final String[] NONE = {};

    private final int compactAt;
    // --- owned by one thread at a time
    private String[] chunks = NONE; // [0, chunkCount): joined runs of compactAt parts, append-only
    private int chunkCount;
    private int chunkLength; // the characters in the chunks
    private String[] recent = NONE; // [0, recentCount): the parts appended since the last compaction
    private int recentCount;
    private int length;
    private boolean recentShared; // a view holds the current recent array: compaction must not clear it
    private @Nullable PartsView lastView; // the last view taken, while nothing was appended since; null otherwise

    /** Creates empty text. */
    public StringParts() {
        this(COMPACT_AT);
    }

    /** Creates text holding {@code initial}. */
    public StringParts(String initial) {
        this(COMPACT_AT);
        append(initial);
    }

    StringParts(int compactAt) {
        if (compactAt < 2) throw new IllegalArgumentException("compactAt must be at least 2: " + compactAt);
        this.compactAt = compactAt;
    }

    /** Appends {@code s}, keeping the string itself. */
    public StringParts append(String s) {
        int n = s.length();
        if (n == 0) return this;
        if (length + n < 0) throw new OutOfMemoryError("text longer than Integer.MAX_VALUE");
        if (recentCount == recent.length) {
            if (recentCount == compactAt) {
                compact();
            } else {
                recent = Arrays.copyOf(recent, Math.min(compactAt, Math.max(8, recentCount << 1)));
                recentShared = false;
            }
        }
        recent[recentCount++] = s;
        length += n;
        lastView = null;
        return this;
    }

    /** Joins the recent parts (all {@code compactAt} of them, filling the array) into one chunk. */
    private void compact() {
        String chunk = String.join("", recent);
        if (chunkCount == chunks.length) chunks = Arrays.copyOf(chunks, Math.max(4, chunkCount << 1));
        chunks[chunkCount++] = chunk;
        chunkLength += chunk.length();
        if (recentShared) {
            recent = new String[compactAt];
            recentShared = false;
        } else {
            Arrays.fill(recent, null);
        }
        recentCount = 0;
    }

    /** Empties the text; views taken before keep what they saw. */
    public void clear() {
        chunks = NONE; // views may hold it: a new chunk would land in a slot they cover
        chunkCount = 0;
        chunkLength = 0;
        if (recentShared) {
            recent = NONE;
            recentShared = false;
        } else {
            Arrays.fill(recent, 0, recentCount, null);
        }
        recentCount = 0;
        length = 0;
        lastView = null;
    }

    /** {@return an immutable view of the text as it is now} O(1); the same view until something is appended. */
    public TextView view() {
        PartsView v = lastView;
        if (v == null) {
            v = new PartsView(chunks, chunkCount, recent, recentCount, chunkLength, length);
            recentShared = true;
            lastView = v;
        }
        return v;
    }

    /** {@return the text's length in UTF-16 units} */
    public int length() {
        return length;
    }

    /** {@return whether nothing (or only empty strings) has been appended} */
    public boolean isEmpty() {
        return length == 0;
    }

    /** {@return the text} Built once per state: the string of {@link #view()}. */
    @Override
    public String toString() {
        return view().toString();
    }
}
