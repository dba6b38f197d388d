package dev.sluice.internal.stream;

import dev.sluice.SluiceException;
import dev.sluice.sse.SseEvent;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link StreamProtocol} put together from functions, for the common shape: each Server-Sent
 * Event decodes to exactly one event, a terminal event ends the stream, and a body that ends
 * before it is always a failure. Anthropic's and OpenAI's streams have this shape.
 *
 * <p>Immutable and thread-safe when its functions are.
 *
 * @param <E> the provider's event type
 */
public final class OneEventPerSseProtocol<E> implements StreamProtocol<E> {
    private final Function<? super SseEvent, ? extends E> decoder;
    private final Predicate<? super E> content;
    private final Predicate<? super E> terminal;
    private final ErrorRule<? super E> inBandError;
    private final Supplier<? extends SluiceException> incomplete;
    private final RawDecoder<? extends E> rawDecoder;

    /**
     * The in-band error an event reports, given the response's HTTP status (an {@code int}: no
     * boxing on the per-event path).
     *
     * @param <E> the provider's event type
     */
    @FunctionalInterface
    public interface ErrorRule<E> {
        /** {@return the error {@code event} reports, or empty} */
        Optional<InBandError> of(E event, int httpStatus);
    }

    /**
     * Decodes an event straight from its raw data bytes, or declines with null (then the event is
     * decoded from its {@link SseEvent}); it must give exactly what the decoder would.
     *
     * @param <E> the provider's event type
     */
    @FunctionalInterface
    public interface RawDecoder<E> {
        /** {@return the event, or null to decline} */
        E decode(String type, byte[] data, int offset, int length);
    }

    /**
     * @param decoder decodes one event (see {@link StreamProtocol#decode})
     * @param content whether an event is content (see {@link StreamProtocol#isContent})
     * @param terminal whether an event ends the stream
     * @param inBandError the error an event reports, given the response's HTTP status
     * @param incomplete the failure of a body that ends before the terminal event
     */
    public OneEventPerSseProtocol(Function<? super SseEvent, ? extends E> decoder, Predicate<? super E> content,
                                  Predicate<? super E> terminal,
                                  ErrorRule<? super E> inBandError,
                                  Supplier<? extends SluiceException> incomplete) {
        this(decoder, content, terminal, inBandError, incomplete, (type, data, offset, length) -> null);
    }

    /**
     * As the other constructor, with a decoder for the hot path that reads the raw data bytes.
     *
     * @param rawDecoder decodes the events it recognises from their bytes, declines the rest
     */
    public OneEventPerSseProtocol(Function<? super SseEvent, ? extends E> decoder, Predicate<? super E> content,
                                  Predicate<? super E> terminal,
                                  ErrorRule<? super E> inBandError,
                                  Supplier<? extends SluiceException> incomplete, RawDecoder<? extends E> rawDecoder) {
        this.rawDecoder = Objects.requireNonNull(rawDecoder, "rawDecoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.content = Objects.requireNonNull(content, "content");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.inBandError = Objects.requireNonNull(inBandError, "inBandError");
        this.incomplete = Objects.requireNonNull(incomplete, "incomplete");
    }

    @Override
    public void decode(SseEvent event, Consumer<? super E> out) {
        out.accept(decoder.apply(event));
    }

    @Override
    public boolean decode(String type, byte[] data, int offset, int length, Consumer<? super E> out) {
        E event = rawDecoder.decode(type, data, offset, length);
        if (event == null) return false;
        out.accept(event);
        return true;
    }

    @Override
    public boolean isContent(E event) {
        return content.test(event);
    }

    @Override
    public boolean isTerminal(E event) {
        return terminal.test(event);
    }

    @Override
    public Optional<InBandError> inBandError(E event, int httpStatus) {
        return inBandError.of(event, httpStatus);
    }

    @Override
    public Optional<SluiceException> endOfInput() {
        return Optional.of(incomplete.get());
    }
}
