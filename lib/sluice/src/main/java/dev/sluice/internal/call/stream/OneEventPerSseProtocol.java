package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.sse.SseEvent;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The base of a {@link StreamProtocol} of the common shape: each Server-Sent Event decodes to
 * exactly one event, a terminal event ends the stream, and a body that ends before it is always a
 * failure. Anthropic's and OpenAI's streams have this shape. A provider subclasses it with its
 * decoding and its rules ({@link #isContent}, {@link #isTerminal}, {@link #inBandError}); this
 * class hands each decoded event on and turns an early end into {@link #incomplete()}.
 *
 * <p>Subclasses are stateless and thread-safe (see {@link StreamProtocol}).
 *
 * @param <E> the provider's event type
 */
public abstract class OneEventPerSseProtocol<E> implements StreamProtocol<E> {

    /** For subclasses. */
    protected OneEventPerSseProtocol() {}

    /**
     * Decodes one event (see {@link StreamProtocol#decode(SseEvent, Consumer)}).
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

    /** {@return the failure of a body that ends before the terminal event} */
    protected abstract SluiceException incomplete();

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

    @Override
    public final Optional<SluiceException> endOfInput() {
        return Optional.of(incomplete());
    }
}
