package dev.sluice.testkit.internal.http;

import java.util.SplittableRandom;

/**
 * The model names that hold back a stream's first event (see {@link dev.sluice.testkit.FakeLlmServer}): a slow start,
 * not a fault, so they go with any answer and keep the server's pace after the first event.
 * {@code fake-first-token-MS} waits MS milliseconds; {@code fake-heavy-tail} draws the wait per
 * request from a heavy-tailed distribution, as a provider under load answers: 97.5 % around a
 * median of 250 ms (log-normal, sigma 0.4), 2.5 % from a Pareto tail above 1 s (shape 1.5, cut at
 * 30 s), so that the 99th percentile is about 2 s and the 99.9th about 9 s.
 */
public final class SlowStart {
    static final String FIXED = "fake-first-token-";
    static final String HEAVY_TAIL = "fake-heavy-tail";
    private static final int MAX_MILLIS = 600_000;

    private SlowStart() {}

    /** {@return whether the model names a slow start} */
    public static boolean names(String model) {
        return model.equals(HEAVY_TAIL) || fixedMillis(model) >= 0;
    }

    /**
     * {@return the pacing of a request for {@code model}: {@code base} with the first event held
     * back, or {@code base} itself for a model that names no slow start}
     *
     * @param n the request's number on the server, which picks the draw of {@code fake-heavy-tail}
     */
    public static Pacing pacing(String model, Pacing base, long n) {
        long millis = model.equals(HEAVY_TAIL) ? heavyTailMillis(n) : fixedMillis(model);
        return millis < 0 ? base : new Pacing(millis * 1_000_000, base.tokensPerSecond());
    }

    /** {@return the milliseconds of {@code fake-first-token-MS}, or -1 for another name} */
    private static long fixedMillis(String model) {
        if (!model.startsWith(FIXED)) return -1;
        String ms = model.substring(FIXED.length());
        if (!ms.matches("[0-9]{1,6}")) return -1;
        long v = Long.parseLong(ms);
        return v <= MAX_MILLIS ? v : -1;
    }

    /** {@return the wait of the heavy-tailed start of request {@code n}: the same for the same n} */
    public static long heavyTailMillis(long n) {
        SplittableRandom r = new SplittableRandom(0x5EEDL ^ (n * 0x9E3779B97F4A7C15L));
        if (r.nextDouble() < 0.025) {
            double u = 1 - r.nextDouble(); // (0, 1]
            return Math.min(30_000, Math.round(1000 * Math.pow(u, -1 / 1.5)));
        }
        return Math.round(250 * Math.exp(0.4 * gaussian(r)));
    }

    private static double gaussian(SplittableRandom r) { // Box-Muller
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
