package dev.sluice.benchmarks;

import java.util.Set;

/**
 * What one stream of a {@link BenchStream} must give each client, so that no client can win by
 * skipping work: the events iterated and the accumulated content's length (the official SDK's tool
 * input is measured as it writes it back, {@link BenchStream#expectedSdkLength()}), or for the
 * raw client the body's bytes.
 *
 * @param events the stream's events
 * @param length the text's or the tool input's length in UTF-16 units, as accumulated
 * @param sdkLength the same as the SDK gives it back
 * @param bodyBytes the body's bytes (what the raw client reads)
 */
record Expected(long events, long length, long sdkLength, long bodyBytes) {
    /** The lower-bound clients: they see no events one by one, and give the content's length. */
    static final Set<String> DIAGNOSTICS = Set.of("floor2", "acc2", "call2");
    /**
     * The clients under a framework: they count the partial answers (text deltas) the framework
     * hands over, one per delta, and give the accumulated text's length.
     */
    static final Set<String> FRAMEWORKS = Set.of("lc4j", "sluice-lc4j", "sai", "sluice-sai");

    /** {@return the expectations of one stream} */
    static Expected of(BenchStream stream) {
        return new Expected(
                stream.events().size(), stream.expectedLength(), stream.expectedSdkLength(), stream.body().length);
    }

    /**
     * {@return the result, when a client of that kind consumed the whole stream}
     *
     * @param kind {@code sluice}, {@code sdk}, {@code raw}, a lower bound that counts no events
     *     ({@code floor2}, {@code acc2}, {@code call2}),
     *     or a client under a framework ({@link #FRAMEWORKS}), which counts the text deltas
     * @param r what the client's stream gave
     * @throws IllegalStateException when it did not
     */
    BenchClient.Result check(String kind, BenchClient.Result r) {
        if (BenchClient.isRawDrain(kind)) {
            if (r.length() != bodyBytes) {
                throw new IllegalStateException("incomplete body: " + r + ", expected " + bodyBytes + " bytes");
            }
        } else if (FRAMEWORKS.contains(kind)) {
            if (r.events() != events - BenchStream.FRAME_EVENTS || r.length() != length) {
                throw new IllegalStateException(kind + ": incomplete stream: " + r + ", expected "
                        + (events - BenchStream.FRAME_EVENTS) + " partials and text length " + length);
            }
        } else if (DIAGNOSTICS.contains(kind)) {
            if (r.length() != length) {
                throw new IllegalStateException(
                        kind + ": incomplete stream: " + r + ", expected content length " + length);
            }
        } else {
            long content = kind.equals("sdk") ? sdkLength : length;
            if (r.events() != events || r.length() != content) {
                throw new IllegalStateException(kind + ": incomplete stream: " + r + ", expected " + events
                        + " events and content length " + content);
            }
        }
        return r;
    }
}
