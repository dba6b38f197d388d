package dev.sluice.sse;

/**
 * The size limits an {@link SseParser} enforces, so that a hostile or broken stream ends in a
 * {@link dev.sluice.LimitExceededException} instead of an {@link OutOfMemoryError}.
 *
 * <p>The parser checks a limit before it grows a buffer, so the memory it holds stays within
 * {@code maxLineBytes + maxEventBytes} plus small constants whatever the input.
 *
 * @param maxLineBytes the longest line, in bytes, without its line end
 * @param maxEventBytes the most bytes of field values (data, event, id, retry) one event may
 *     gather before the blank line that ends it; comments and unknown fields count as well,
 *     since they are read, and each {@code data} line counts one byte more, for the LF that
 *     joins it (so endless empty {@code data} lines are caught too)
 */
public record SseLimits(int maxLineBytes, int maxEventBytes) {
    /** 16 MiB: the default for both limits. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public SseLimits {
        if (maxLineBytes <= 0) throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        if (maxEventBytes <= 0) throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
    }

    /** {@return 16 MiB for a line and for an event} */
    public static SseLimits defaults() {
        return new SseLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES);
    }

    /** {@return these limits with another maximum line length} */
    public SseLimits withMaxLineBytes(int maxLineBytes) {
        return new SseLimits(maxLineBytes, maxEventBytes);
    }

    /** {@return these limits with another maximum event size} */
    public SseLimits withMaxEventBytes(int maxEventBytes) {
        return new SseLimits(maxLineBytes, maxEventBytes);
    }
}
