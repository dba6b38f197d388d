package dev.sluice.relay;

/**
 * The limits a {@link Relay} enforces, each refused with a 4xx JSON error (see {@link RelayError}):
 * concurrent streams in total and per client address ({@code 429}), the request body and the
 * prompt ({@code 413}); and the bounds of each stream's replay buffer, which also bound the memory a
 * slow client can make a stream hold (the upstream waits instead).
 *
 * <pre>{@code
 * RelayLimits limits = RelayLimits.defaults().withMaxStreamsPerClient(4).withMaxPromptChars(8_000);
 * }</pre>
 *
 * @param maxStreams streams running at once, in total (ended streams kept for replay do not count; of
 *     those, at most this many are kept, the oldest forgotten first)
 * @param maxStreamsPerClient streams running at once for one client address
 * @param maxRequestBytes the largest request body, in bytes
 * @param maxPromptChars the longest prompt plus system prompt, in chars
 * @param maxReplayEvents the most events a stream's replay buffer holds
 * @param maxReplayBytes the most bytes of event data a stream's replay buffer holds
 */
public record RelayLimits(int maxStreams, int maxStreamsPerClient, int maxRequestBytes, int maxPromptChars,
        int maxReplayEvents, long maxReplayBytes) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a limit is not positive, or maxReplayEvents is below 16
     */
    public RelayLimits {
        positive("maxStreams", maxStreams);
        positive("maxStreamsPerClient", maxStreamsPerClient);
        positive("maxRequestBytes", maxRequestBytes);
        positive("maxPromptChars", maxPromptChars);
        if (maxReplayEvents < 16) throw new IllegalArgumentException("maxReplayEvents must be at least 16: " + maxReplayEvents);
        positive("maxReplayBytes", maxReplayBytes);
    }

    /**
     * {@return the defaults: 1,000 streams, 8 per client, 64 KiB bodies, 32,000-char prompts,
     * replay buffers of 8,192 events and 2 MiB}
     */
    public static RelayLimits defaults() {
        return new RelayLimits(1_000, 8, 64 * 1024, 32_000, 8_192, 2L * 1024 * 1024);
    }

    /**
     * {@return these limits with another total of concurrent streams}
     *
     * @param n positive
     */
    public RelayLimits withMaxStreams(int n) {
        return new RelayLimits(n, maxStreamsPerClient, maxRequestBytes, maxPromptChars, maxReplayEvents, maxReplayBytes);
    }

    /**
     * {@return these limits with another number of concurrent streams per client address}
     *
     * @param n positive
     */
    public RelayLimits withMaxStreamsPerClient(int n) {
        return new RelayLimits(maxStreams, n, maxRequestBytes, maxPromptChars, maxReplayEvents, maxReplayBytes);
    }

    /**
     * {@return these limits with another largest request body}
     *
     * @param bytes positive
     */
    public RelayLimits withMaxRequestBytes(int bytes) {
        return new RelayLimits(maxStreams, maxStreamsPerClient, bytes, maxPromptChars, maxReplayEvents, maxReplayBytes);
    }

    /**
     * {@return these limits with another longest prompt}
     *
     * @param chars positive
     */
    public RelayLimits withMaxPromptChars(int chars) {
        return new RelayLimits(maxStreams, maxStreamsPerClient, maxRequestBytes, chars, maxReplayEvents, maxReplayBytes);
    }

    /**
     * {@return these limits with other replay-buffer bounds}
     *
     * @param events at least 16
     * @param bytes positive
     */
    public RelayLimits withReplay(int events, long bytes) {
        return new RelayLimits(maxStreams, maxStreamsPerClient, maxRequestBytes, maxPromptChars, events, bytes);
    }

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive: " + value);
    }
}
