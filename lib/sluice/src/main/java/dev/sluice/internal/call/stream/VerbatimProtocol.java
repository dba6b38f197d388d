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
 * framing only to observe it — its rules say what is content, what ends the stream, what reports an
 * error, the usage, so that the call's retries before content, timeouts and observers work as for a
 * typed stream — and handed out as it came, its data the bytes received (as UTF-8 text).
 *
 * <p>Stateless and thread-safe, as the provider's framing and rules.
 */
public final class VerbatimProtocol {
    private VerbatimProtocol() {}

    /**
     * One event: as it came, and as the provider's framing decodes it.
     *
     * @param raw the event as it came; null for a second event decoded from one (handed out once)
     * @param event the decoded event, or null when the framing decodes none
     */
    public record Verbatim<E>(
            @Nullable SseEvent raw, @Nullable E event) {}

    /**
     * {@return the protocol of a verbatim stream over the provider's}
     *
     * @param inner the provider's protocol
     * @param unframed for a body framed as an AWS event stream: a message's event as the provider's
     *     own API sends it, or null for a message that carries none; not asked for Server-Sent Events
     */
    public static <E> StreamProtocol<Verbatim<E>> of(
            StreamProtocol<E> inner, Function<EventStreamMessage, @Nullable SseEvent> unframed) {
        Objects.requireNonNull(unframed, "unframed");
        BodyFraming<Verbatim<E>> framing = switch (inner.framing()) {
            case SseFraming<E> sse -> new Sse<>(sse);
            case EventStreamFraming<E> frames -> new Frames<>(frames, unframed);
        };
        return StreamProtocol.of(framing, new Rules<>(inner.rules()));
    }

    private static <E> void emit(@Nullable SseEvent raw, List<E> decoded, Consumer<? super Verbatim<E>> out) {
        if (decoded.isEmpty()) {
            if (raw != null) out.accept(new Verbatim<>(raw, null));
            return;
        }
        for (int i = 0; i < decoded.size(); i++) out.accept(new Verbatim<>(i == 0 ? raw : null, decoded.get(i)));
    }

    /** Server-Sent Events: each event decoded by the provider's framing, handed out as it came. */
    private static final class Sse<E> extends SseFraming<Verbatim<E>> {
        private final SseFraming<E> inner;

        Sse(SseFraming<E> inner) {
            this.inner = inner;
        }

        @Override
        public void decode(SseEvent event, Consumer<? super Verbatim<E>> out) {
            List<E> decoded = new ArrayList<>(1);
            inner.decode(event, decoded::add);
            emit(event, decoded, out);
        }
    }

    /** An AWS event stream: each message decoded by the provider's framing, handed out as its own API sends it. */
    private static final class Frames<E> extends EventStreamFraming<Verbatim<E>> {
        private final EventStreamFraming<E> inner;
        private final Function<EventStreamMessage, @Nullable SseEvent> unframed;

        Frames(EventStreamFraming<E> inner, Function<EventStreamMessage, @Nullable SseEvent> unframed) {
            this.inner = inner;
            this.unframed = unframed;
        }

        @Override
        public void decode(EventStreamMessage message, Consumer<? super Verbatim<E>> out) {
            List<E> decoded = new ArrayList<>(1);
            inner.decode(message, decoded::add);
            emit(unframed.apply(message), decoded, out);
        }
    }

    /** The provider's rules, applied to the decoded event (an event that decodes to none is neither). */
    private static final class Rules<E> implements StreamRules<Verbatim<E>> {
        private final StreamRules<E> inner;

        Rules(StreamRules<E> inner) {
            this.inner = inner;
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
}
