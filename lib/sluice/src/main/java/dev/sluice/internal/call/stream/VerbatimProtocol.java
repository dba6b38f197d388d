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
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A provider's protocol for a stream whose items are the provider's events as they came (a
 * gateway's passthrough to a client of the same API): each event is decoded by the provider's own
 * framing only to observe it — its rules say what is content, what ends the stream, what reports an
 * error, the usage, so that the call's retries before content, timeouts and observers work as for a
 * typed stream — and handed out as it came, its data the bytes received (as UTF-8 text). An event the
 * provider tells from its text as plain content ({@link #of(StreamProtocol, Function, Predicate)}) is not
 * decoded: the rules need no more of it.
 *
 * <p>Stateless and thread-safe, as the provider's framing and rules.
 */
public final class VerbatimProtocol {
    private VerbatimProtocol() {}

    /**
     * One event: as it came (handed out), as the provider's framing decodes it (for the call's
     * rules), or both.
     */
    public sealed interface Verbatim<E> permits Verbatim.Raw, Verbatim.Content, Verbatim.Both, Verbatim.Decoded {
        /** An event the framing decodes to none: handed out, nothing to the rules. */
        record Raw<E>(SseEvent raw) implements Verbatim<E> {}

        /**
         * An event told from its text as plain content, not decoded: handed out; to the rules, content and
         * substance, and neither an end, an error nor usage.
         */
        record Content<E>(SseEvent raw) implements Verbatim<E> {}

        /** An event as it came, with the first event the framing decodes from it. */
        record Both<E>(SseEvent raw, E event) implements Verbatim<E> {}

        /**
         * A decoded event with nothing to hand out: a second event decoded from one (handed out
         * with the first), or a message that carries none of the API's own.
         */
        record Decoded<E>(E event) implements Verbatim<E> {}

        /** {@return the event as it came, to hand out; empty when there is none} */
        default Optional<SseEvent> handedOut() {
            return switch (this) {
                case Raw<E> r -> Optional.of(r.raw());
                case Content<E> c -> Optional.of(c.raw());
                case Both<E> b -> Optional.of(b.raw());
                case Decoded<E> d -> Optional.empty();
            };
        }
    }

    /**
     * {@return the protocol of a verbatim stream over the provider's}
     *
     * @param inner the provider's protocol
     * @param unframed for a body framed as an AWS event stream: a message's event as the provider's
     *     own API sends it, or null for a message that carries none; not asked for Server-Sent Events
     */
    public static <E> StreamProtocol<Verbatim<E>> of(
            StreamProtocol<E> inner, Function<EventStreamMessage, @Nullable SseEvent> unframed) {
        return of(inner, unframed, NoPlainContent.INSTANCE);
    }

    /**
     * {@return the protocol of a verbatim stream over the provider's, whose plain content events
     * (Server-Sent Events) are told from their text rather than decoded}
     *
     * @param inner the provider's protocol
     * @param unframed as {@link #of(StreamProtocol, Function)}
     * @param plainContent whether a Server-Sent Event is one the provider's framing decodes without
     *     error to exactly one event its rules call content and substance, and neither terminal, an
     *     error, completing at the end of input nor reporting usage: such an event is handed out as a
     *     {@link Verbatim.Content}, not decoded. It must say false for anything it is not sure of
     *     (then the event is decoded), and must not throw.
     */
    public static <E> StreamProtocol<Verbatim<E>> of(
            StreamProtocol<E> inner,
            Function<EventStreamMessage, @Nullable SseEvent> unframed,
            Predicate<SseEvent> plainContent) {
        Objects.requireNonNull(unframed, "unframed");
        Objects.requireNonNull(plainContent, "plainContent");
        BodyFraming<Verbatim<E>> framing = switch (inner.framing()) {
            case SseFraming<E> sse -> new Sse<>(sse, plainContent);
            case EventStreamFraming<E> frames -> new Frames<>(frames, unframed);
        };
        return StreamProtocol.of(framing, new Rules<>(inner.rules()));
    }

    private static <E> void emit(@Nullable SseEvent raw, List<E> decoded, Consumer<? super Verbatim<E>> out) {
        if (decoded.isEmpty()) {
            if (raw != null) out.accept(new Verbatim.Raw<>(raw));
            return;
        }
        for (int i = 0; i < decoded.size(); i++) {
            E event = decoded.get(i);
            out.accept(i == 0 && raw != null ? new Verbatim.Both<>(raw, event) : new Verbatim.Decoded<>(event));
        }
    }

    /** For a provider that tells no event from its text: every event is decoded. A class, not a lambda. */
    private static final class NoPlainContent implements Predicate<SseEvent> {
        static final NoPlainContent INSTANCE = new NoPlainContent();

        @Override
        public boolean test(SseEvent event) {
            return false;
        }
    }

    /**
     * Server-Sent Events: each event decoded by the provider's framing, handed out as it came; a
     * plain content event handed out undecoded.
     */
    private static final class Sse<E> extends SseFraming<Verbatim<E>> {
        private final SseFraming<E> inner;
        private final Predicate<SseEvent> plainContent;

        Sse(SseFraming<E> inner, Predicate<SseEvent> plainContent) {
            this.inner = inner;
            this.plainContent = plainContent;
        }

        @Override
        public void decode(SseEvent event, Consumer<? super Verbatim<E>> out) {
            if (plainContent.test(event)) {
                out.accept(new Verbatim.Content<>(event));
                return;
            }
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

    /**
     * The provider's rules, applied to the decoded event (an event that decodes to none is neither;
     * a plain content event is content and substance, nothing else).
     */
    private static final class Rules<E> implements StreamRules<Verbatim<E>> {
        private final StreamRules<E> inner;

        Rules(StreamRules<E> inner) {
            this.inner = inner;
        }

        /** {@return the decoded event, null for one the framing decodes to none or a plain content event} */
        private @Nullable E decoded(Verbatim<E> v) {
            return switch (v) {
                case Verbatim.Raw<E> r -> null;
                case Verbatim.Content<E> c -> null;
                case Verbatim.Both<E> b -> b.event();
                case Verbatim.Decoded<E> d -> d.event();
            };
        }

        @Override
        public boolean isContent(Verbatim<E> v) {
            if (v instanceof Verbatim.Content<E>) return true;
            E e = decoded(v);
            return e != null && inner.isContent(e);
        }

        @Override
        public boolean isSubstance(Verbatim<E> v) {
            if (v instanceof Verbatim.Content<E>) return true;
            E e = decoded(v);
            return e != null && inner.isSubstance(e);
        }

        @Override
        public boolean isTerminal(Verbatim<E> v) {
            E e = decoded(v);
            return e != null && inner.isTerminal(e);
        }

        @Override
        public Optional<InBandError> inBandError(Verbatim<E> v) {
            E e = decoded(v);
            return e == null ? Optional.empty() : inner.inBandError(e);
        }

        @Override
        public boolean completesAtEndOfInput(Verbatim<E> v) {
            E e = decoded(v);
            return e != null && inner.completesAtEndOfInput(e);
        }

        @Override
        public Optional<SluiceException> endOfInput() {
            return inner.endOfInput();
        }

        @Override
        public @Nullable Usage usage(Verbatim<E> v) {
            E e = decoded(v);
            return e == null ? null : inner.usage(e);
        }
    }
}
