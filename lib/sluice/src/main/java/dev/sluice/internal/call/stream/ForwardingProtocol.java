package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.sse.SseEvent;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A protocol that hands every method to another; a subclass changes what it must. {@link #neutral}
 * is one: the protocol of a provider-neutral view, which names what its chunks leave out.
 *
 * @param <E> the protocol's events
 */
public class ForwardingProtocol<E> implements StreamProtocol<E> {
    /** The protocol every method is handed to. */
    protected final StreamProtocol<E> protocol;

    /** Forwards to {@code protocol}. */
    protected ForwardingProtocol(StreamProtocol<E> protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /**
     * {@return a provider's protocol as a provider-neutral view sees it: {@link #unmapped} names the
     * type of an event or block that the view's chunks have no place for (an event type or block
     * type the provider added after this client), cut to {@link #MAX_UNMAPPED_TYPE} characters}
     * The typed stream of the same provider delivers those events, so its protocol names none.
     *
     * @param leftOut the type of what an event brings that the view's chunks leave out, or null
     */
    public static <E> StreamProtocol<E> neutral(
            StreamProtocol<E> protocol, Function<? super E, @Nullable String> leftOut) {
        Objects.requireNonNull(leftOut, "leftOut");
        return new ForwardingProtocol<>(protocol) {
            @Override
            public @Nullable String unmapped(E event) {
                String type = leftOut.apply(event);
                if (type == null) type = protocol.unmapped(event);
                return type == null || type.length() <= MAX_UNMAPPED_TYPE ? type : type.substring(0, MAX_UNMAPPED_TYPE);
            }
        };
    }

    @Override
    public void decode(SseEvent event, Consumer<? super E> out) {
        protocol.decode(event, out);
    }

    @Override
    public BodyFraming framing() {
        return protocol.framing();
    }

    @Override
    public void decode(EventStreamMessage message, Consumer<? super E> out) {
        protocol.decode(message, out);
    }

    @Override
    public boolean decode(String type, byte[] data, int offset, int length, Consumer<? super E> out) {
        return protocol.decode(type, data, offset, length, out);
    }

    @Override
    public boolean isContent(E event) {
        return protocol.isContent(event);
    }

    @Override
    public boolean isSubstance(E event) {
        return protocol.isSubstance(event);
    }

    @Override
    public boolean isTerminal(E event) {
        return protocol.isTerminal(event);
    }

    @Override
    public Optional<InBandError> inBandError(E event) {
        return protocol.inBandError(event);
    }

    @Override
    public boolean completesAtEndOfInput(E event) {
        return protocol.completesAtEndOfInput(event);
    }

    @Override
    public Optional<SluiceException> endOfInput() {
        return protocol.endOfInput();
    }

    @Override
    public @Nullable Usage usage(E event) {
        return protocol.usage(event);
    }

    @Override
    public @Nullable String unmapped(E event) {
        return protocol.unmapped(event);
    }
}
