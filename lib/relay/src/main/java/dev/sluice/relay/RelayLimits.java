package dev.sluice.relay;

/**
 * The limits a {@link Relay} enforces: concurrent streams ({@link Relay#start} refuses more with
 * {@link dev.sluice.RelayException.Kind#TOO_MANY_STREAMS}) and the conversation's size, in
 * characters and in messages ({@link dev.sluice.RelayException.Kind#PROMPT_TOO_LONG}); and the bounds of each stream's replay
 * buffer, which also bound the memory a slow client can make a stream hold (the upstream waits
 * instead). Limits of a transport, such as a request body's size or streams per client address,
 * are the server's to enforce.
 *
 * <pre>{@code
 * RelayLimits limits = RelayLimits.defaults().withMaxStreams(200).withMaxPromptChars(8_000).withMaxMessages(100);
 * }</pre>
 *
 * @param maxStreams streams running at once (ended streams kept for replay do not count; of those,
 *     at most this many are kept, the oldest forgotten first)
 * @param maxPromptChars the most characters of a request's messages plus its system prompt
 * @param maxReplayEvents the most events a stream's replay buffer holds
 * @param maxReplayBytes the most bytes of event data a stream's replay buffer holds, counted in
 *     UTF-8 (each event counts its data, its type and 16 bytes)
 * @param maxMessages the most messages of a request's conversation
 */
public record RelayLimits(
        int maxStreams, int maxPromptChars, int maxReplayEvents, long maxReplayBytes, int maxMessages) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a limit is not positive, or maxReplayEvents is below 16
     */
    public RelayLimits {
        positive("maxStreams", maxStreams);
        positive("maxPromptChars", maxPromptChars);
        if (maxReplayEvents < 16)
            throw new IllegalArgumentException("maxReplayEvents must be at least 16: " + maxReplayEvents);
        positive("maxReplayBytes", maxReplayBytes);
        positive("maxMessages", maxMessages);
    }

    /**
     * {@return the defaults: 1,000 streams, conversations of 32,000 chars and 1,000 messages, replay
     * buffers of 8,192 events and 2 MiB}
     */
    public static RelayLimits defaults() {
        return new RelayLimits(1_000, 32_000, 8_192, 2L * 1024 * 1024, 1_000);
    }

    /**
     * {@return these limits with another number of concurrent streams}
     *
     * @param n positive
     */
    public RelayLimits withMaxStreams(int n) {
        return new RelayLimits(n, maxPromptChars, maxReplayEvents, maxReplayBytes, maxMessages);
    }

    /**
     * {@return these limits with another largest conversation, in messages}
     *
     * @param n positive
     */
    public RelayLimits withMaxMessages(int n) {
        return new RelayLimits(maxStreams, maxPromptChars, maxReplayEvents, maxReplayBytes, n);
    }

    /**
     * {@return these limits with another largest conversation, in characters (messages and system prompt)}
     *
     * @param chars positive
     */
    public RelayLimits withMaxPromptChars(int chars) {
        return new RelayLimits(maxStreams, chars, maxReplayEvents, maxReplayBytes, maxMessages);
    }

    /**
     * {@return these limits with other replay-buffer bounds}
     *
     * @param events at least 16
     * @param bytes positive
     */
    public RelayLimits withReplay(int events, long bytes) {
        return new RelayLimits(maxStreams, maxPromptChars, events, bytes, maxMessages);
    }

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive: " + value);
    }
}
