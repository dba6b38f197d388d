package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A provider's protocol for a stream whose items are the provider's events as they came (a
 * gateway's passthrough to a client of the same API): each event is decoded by the provider's own
 * protocol only to observe it — what is content, what ends the stream, what reports an error, the
 * usage, so that the call's retries before content, timeouts and observers work as for a typed
 * stream — and handed out as it came, its data the bytes received (as UTF-8 text).
 *
 * <p>Stateless and thread-safe, as its inner protocol.
 *
 * @param <E> the provider's event type
 */
public final class VerbatimProtocol<E> implements StreamProtocol<VerbatimProtocol.Verbatim<E>> {
    /**
     * One event: as it came, and as the provider's protocol decodes it.
     *
     * @param raw the event as it came; null for a second event decoded from one (handed out once)
     * @param event the decoded event, or null when the protocol decodes none
     */
    public record Verbatim<E>(
            @Nullable SseEvent raw, @Nullable E event) {}

    private final StreamProtocol<E> inner;
    private final Function<EventStreamMessage, @Nullable SseEvent> unframed;

    /**
     * @param inner the provider's protocol
     * @param unframed for a body framed as an AWS event stream: a message's event as the provider's
     *     own API sends it, or null for a message that carries none
     */
    public VerbatimProtocol(StreamProtocol<E> inner, Function<EventStreamMessage, @Nullable SseEvent> unframed) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.unframed = Objects.requireNonNull(unframed, "unframed");
    }

    @Override
    public BodyFraming framing() {
        return inner.framing();
    }

    @Override
    public void decode(SseEvent event, Consumer<? super Verbatim<E>> out) {
        List<E> decoded = new ArrayList<>(1);
        inner.decode(event, decoded::add);
        emit(event, decoded, out);
    }

    @Override
    public void decode(EventStreamMessage message, Consumer<? super Verbatim<E>> out) {
        List<E> decoded = new ArrayList<>(1);
        inner.decode(message, decoded::add);
        emit(unframed.apply(message), decoded, out);
    }

    private static <E> void emit(@Nullable SseEvent raw, List<E> decoded, Consumer<? super Verbatim<E>> out) {
        if (decoded.isEmpty()) {
            if (raw != null) out.accept(new Verbatim<>(raw, null));
            return;
        }
        for (int i = 0; i < decoded.size(); i++) out.accept(new Verbatim<>(i == 0 ? raw : null, decoded.get(i)));
    }

    @Override
    public boolean isContent(Verbatim<E> v) {
        return v.event() != null && inner.isContent(v.event());
    }

    @Override
    public boolean isSubstance(Verbatim<E> v) {
        return v.event() != null && inner.isSubstance(v.event());
    }

    @Override
    public boolean isTerminal(Verbatim<E> v) {
        return v.event() != null && inner.isTerminal(v.event());
    }

    @Override
    public Optional<InBandError> inBandError(Verbatim<E> v) {
        return v.event() == null ? Optional.empty() : inner.inBandError(v.event());
    }

    @Override
    public boolean completesAtEndOfInput(Verbatim<E> v) {
        return v.event() != null && inner.completesAtEndOfInput(v.event());
    }

    @Override
    public Optional<SluiceException> endOfInput() {
        return inner.endOfInput();
    }

    @Override
    public @Nullable Usage usage(Verbatim<E> v) {
        return v.event() == null ? null : inner.usage(v.event());
    }
}
