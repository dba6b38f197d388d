package dev.sluice.internal.call.stream;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.SseDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A body of Server-Sent Events ({@code text/event-stream}): each event decodes into zero or more
 * of the provider's events. The framing of Anthropic's, OpenAI's and Gemini's streams, and of the
 * recorded streams {@link Replay} reads.
 *
 * @param <E> the provider's event type
 */
public abstract non-sealed class SseFraming<E> extends BodyFraming<E> {

    /** For subclasses. */
    protected SseFraming() {
        super("text/event-stream");
    }

    /**
     * Decodes one Server-Sent Event into zero or more events, handed to {@code out} in order.
     *
     * @throws dev.sluice.ProtocolException if the event is malformed; the message names the event
     *     type and shows its data, truncated
     */
    public abstract void decode(SseEvent event, Consumer<? super E> out);

    /**
     * Optionally decodes an event from its raw data bytes (see {@link dev.sluice.sse.SseListener}),
     * giving exactly what {@link #decode(SseEvent, Consumer)} would: a fast path, which a framing
     * may offer for the events it can read without building an {@link SseEvent}. The default
     * declines every event.
     *
     * @return true when handled (the events went to {@code out}); false to have the event decoded
     *     from its {@link SseEvent}
     */
    public boolean decode(String type, byte[] data, int offset, int length, Consumer<? super E> out) {
        return false;
    }

    @Override
    final void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out) throws IOException {
        SseDecoder.pump(body, limits, decoder.reading(this), out);
    }
}
