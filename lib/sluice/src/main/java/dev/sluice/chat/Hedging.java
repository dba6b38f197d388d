package dev.sluice.chat;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a {@link FallbackChain} hedges a stream: after how long without content from the running
 * target it starts the next target as well, what counts as content, and how many streams it may
 * hedge. Immutable; {@code with…} methods return a changed copy.
 *
 * <pre>{@code
 * FallbackChain chain = FallbackChain.builder()
 *         .target(anthropic, "claude-sonnet-5-5")
 *         .target(openai, "gpt-6-luna")
 *         .hedging(Hedging.after(Duration.ofMillis(800)))              // or Hedging.percentile(95, Duration.ofMillis(300))
 *         .build();
 * }</pre>
 *
 * <p><b>The threshold</b> is either fixed ({@link #after(Duration)}) or a percentile of the
 * running target's own recent times to first content in this chain (its last 100 streams,
 * {@link #percentile(double, Duration)}), never below the floor; until the target has
 * {@value #MIN_SAMPLES} times, the floor itself.
 *
 * <p><b>Content</b> is text or a tool call, and thinking unless {@link #withThinkingAsContent}
 * says otherwise. By default thinking counts, so a reasoning model that has begun to think is
 * committed to and never hedged for the slowness of its answer's text; with {@code false}, a
 * stream still thinking at the threshold is hedged and the race is won by the first text or tool
 * call (the thinking of both attempts is held back until then, and the loser's never shown). A
 * model that reasons without streaming its thinking shows nothing until its text: give such a
 * chain a threshold above its reasoning time, or no hedging.
 *
 * <p><b>The cap:</b> at most {@link #maxShare()} of the chain's last {@link #window()} streams
 * (at least one) are hedged (default 5 % of 100); a fresh chain counts as having had
 * {@code window} streams without a hedge.
 *
 * <p><b>Provider state:</b> the hedge is sent the conversation without any state stamped for another
 * target (the running one's thinking signatures stay with it), and the winner's state is stamped for
 * the winner, so the next turn gives it back to that target only (see {@link ProviderState}).
 *
 * @see FallbackChain.Builder#hedging(Hedging)
 */
public final class Hedging {
    /** How many times to first content a target needs before its percentile replaces the floor. */
    public static final int MIN_SAMPLES = 20;
    /** How many recent times to first content of each target the percentile is taken over. */
    static final int SAMPLES = 100;
    /** The floor of a percentile given to {@link #parse} without one. */
    public static final Duration DEFAULT_FLOOR = Duration.ofMillis(500);

    private final Duration after; // fixed, or the floor of the percentile
    private final double percentile; // 0: fixed
    private final boolean thinkingAsContent;
    private final double maxShare;
    private final int window;

    private Hedging(Duration after, double percentile, boolean thinkingAsContent, double maxShare, int window) {
        this.after = after;
        this.percentile = percentile;
        this.thinkingAsContent = thinkingAsContent;
        this.maxShare = maxShare;
        this.window = window;
    }

    /**
     * {@return hedging after a fixed time without content}
     *
     * @param delay how long the running target may go without content before the next one starts too
     * @throws NullPointerException if delay is null
     * @throws IllegalArgumentException if delay is not positive
     */
    public static Hedging after(Duration delay) {
        return new Hedging(positive(delay, "delay"), 0, true, 0.05, 100);
    }

    /**
     * {@return hedging after a percentile of the running target's recent times to first content}
     *
     * @param percentile the percentile, above 0 and below 100 (such as 95)
     * @param floor the least threshold, and the threshold until the target has {@value #MIN_SAMPLES} times
     * @throws NullPointerException if floor is null
     * @throws IllegalArgumentException if percentile is not within (0, 100) or floor is not positive
     */
    public static Hedging percentile(double percentile, Duration floor) {
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("percentile must be above 0 and below 100: " + percentile);
        }
        return new Hedging(positive(floor, "floor"), percentile, true, 0.05, 100);
    }

    /**
     * {@return the hedging a setting names, as the tool's {@code --hedge-after} and the Spring Boot
     * starter's {@code sluice.hedge-after} take it}: a duration ({@code 800ms}, {@code 1.5s}), or a
     * percentile of the running target's recent times to first content with a floor ({@code p95},
     * floor 500 ms; {@code p95,floor=300ms})
     *
     * @param value the setting
     * @throws NullPointerException if value is null
     * @throws IllegalArgumentException for anything else, with a message that says what is wanted
     */
    public static Hedging parse(String value) {
        String v = value.strip();
        String usage = "'" + value + "' is neither a duration (800ms, 1.5s) nor a percentile (p95, p95,floor=300ms)";
        if (v.startsWith("p")) {
            int comma = v.indexOf(',');
            String p = comma < 0 ? v.substring(1) : v.substring(1, comma);
            Duration floor = DEFAULT_FLOOR;
            if (comma >= 0) {
                String rest = v.substring(comma + 1).strip();
                if (!rest.startsWith("floor=")) throw new IllegalArgumentException(usage);
                floor = parseDuration(rest.substring(6), usage);
            }
            double percentile;
            try {
                percentile = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage);
            }
            if (!(percentile > 0 && percentile < 100)) {
                throw new IllegalArgumentException("the percentile must be above 0 and below 100, not " + p);
            }
            return percentile(percentile, floor);
        }
        return after(parseDuration(v, usage));
    }

    private static Duration parseDuration(String v, String usage) {
        String s = v.strip();
        double scale = s.endsWith("ms") ? 1e6 : s.endsWith("s") ? 1e9 : 0;
        if (scale == 0) throw new IllegalArgumentException(usage);
        double n;
        try {
            n = Double.parseDouble(s.substring(0, s.length() - (scale == 1e6 ? 2 : 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        if (!(n > 0) || n * scale > 3.6e12)
            throw new IllegalArgumentException("the time must be above 0 and at most an hour, not " + v);
        return Duration.ofNanos(Math.max(1_000_000, Math.round(n * scale)));
    }

    /**
     * {@return a copy in which thinking does or does not count as content (see above); true by default}
     *
     * @param thinkingAsContent whether the first thinking commits a stream as its first text would
     */
    public Hedging withThinkingAsContent(boolean thinkingAsContent) {
        return new Hedging(after, percentile, thinkingAsContent, maxShare, window);
    }

    /**
     * {@return a copy with another cap}
     *
     * @param maxShare the most of the last {@code window} streams that may be hedged, above 0 and at most 1 (default 0.05)
     * @param window how many of the chain's latest streams the share is taken over, at least 1 (default 100)
     * @throws IllegalArgumentException if a value is out of range
     */
    public Hedging withCap(double maxShare, int window) {
        if (!(maxShare > 0 && maxShare <= 1))
            throw new IllegalArgumentException("maxShare must be above 0 and at most 1: " + maxShare);
        if (window < 1) throw new IllegalArgumentException("window must be at least 1: " + window);
        return new Hedging(after, percentile, thinkingAsContent, maxShare, window);
    }

    /** {@return the fixed threshold, or the percentile's floor} */
    public Duration after() {
        return after;
    }

    /** {@return the percentile of the target's times to first content, or 0 for a fixed threshold} */
    public double percentile() {
        return percentile;
    }

    /** {@return whether thinking counts as content} */
    public boolean thinkingAsContent() {
        return thinkingAsContent;
    }

    /** {@return the most of the last {@link #window()} streams that may be hedged} */
    public double maxShare() {
        return maxShare;
    }

    /** {@return how many of the chain's latest streams the cap is taken over} */
    public int window() {
        return window;
    }

    /** {@return how many hedges the window allows: the share of it, rounded down, at least one} */
    int allowedInWindow() {
        return Math.max(1, (int) Math.floor(maxShare * window + 1e-9));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hedging h
                && after.equals(h.after)
                && percentile == h.percentile
                && thinkingAsContent == h.thinkingAsContent
                && maxShare == h.maxShare
                && window == h.window;
    }

    @Override
    public int hashCode() {
        return Objects.hash(after, percentile, thinkingAsContent, maxShare, window);
    }

    @Override
    public String toString() {
        String when = percentile == 0
                ? "after " + after.toMillis() + "ms"
                : String.format(Locale.ROOT, "p%s (floor %dms)", trim(percentile), after.toMillis());
        return "Hedging[" + when + ", thinking " + (thinkingAsContent ? "is" : "is not") + " content, at most "
                + trim(maxShare * 100) + "% of " + window + " streams]";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
        return d;
    }
}
