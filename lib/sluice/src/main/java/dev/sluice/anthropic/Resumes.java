package dev.sluice.anthropic;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a stream was continued after losing its connection, and the time that cost (see
 * {@link ResumePolicy}): {@link MessageStream#resumes()}.
 *
 * @param count the continuations opened so far
 * @param totalGap the time from each loss to the first event of its continuation, summed (a gap
 *     still open counts until now is not included)
 * @param longestGap the longest such gap
 */
public record Resumes(int count, Duration totalGap, Duration longestGap) {
    private static final Resumes NONE = new Resumes(0, Duration.ZERO, Duration.ZERO);

    /** @throws IllegalArgumentException if a value is negative */
    public Resumes {
        if (count < 0) throw new IllegalArgumentException("count must not be negative: " + count);
        Objects.requireNonNull(totalGap, "totalGap");
        Objects.requireNonNull(longestGap, "longestGap");
        if (totalGap.isNegative() || longestGap.isNegative()) {
            throw new IllegalArgumentException("gaps must not be negative: " + totalGap + ", " + longestGap);
        }
    }

    /** {@return no resume} */
    public static Resumes none() {
        return NONE;
    }
}
