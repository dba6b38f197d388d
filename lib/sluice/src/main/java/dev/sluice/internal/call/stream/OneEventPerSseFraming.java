package dev.sluice.internal.call.stream;

import dev.sluice.sse.SseEvent;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Server-Sent Events framing of the common shape: each event decodes to exactly one of the
 * provider's events. Anthropic's and OpenAI's Chat Completions streams have it. A provider subclasses
 * it with its decoding; this class hands each decoded event on.
 *
 * <p>Subclasses are stateless and thread-safe (see {@link BodyFraming}).
 *
 * @param <E> the provider's event type
 */
public abstract class OneEventPerSseFraming<E> extends SseFraming<E> {

    /** For subclasses. */
    protected OneEventPerSseFraming() {}

    /**
     * Decodes one event (see {@link SseFraming#decode(SseEvent, Consumer)}).
     *
     * @param event the Server-Sent Event
     * @return the provider's event, not null
     * @throws dev.sluice.ProtocolException if the event is malformed
     */
    protected abstract E decodeOne(SseEvent event);

    /**
     * Decodes an event straight from its raw data bytes, or declines with null (then it is decoded
     * from its {@link SseEvent}); it must give exactly what {@link #decodeOne(SseEvent)} would. The
     * default declines everything.
     *
     * @return the event, or null to decline
     */
    protected @Nullable E decodeOne(String type, byte[] data, int offset, int length) {
        return null;
    }

    @Override
    public final void decode(SseEvent event, Consumer<? super E> out) {
        out.accept(decodeOne(event));
    }

    @Override
    public final boolean decode(String type, byte[] data, int offset, int length, Consumer<? super E> out) {
        E event = decodeOne(type, data, offset, length);
        if (event == null) return false;
        out.accept(event);
        return true;
    }
}
