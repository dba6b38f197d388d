package dev.sluice.internal.call.stream;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamingCall} follows: how the body is framed and decoded (chosen by the route),
 * what the events mean (the provider family's rules), and, for a view of the stream whose items
 * have no place for everything it sends, what that view leaves out.
 *
 * @param framing how the body's bytes become events
 * @param rules what the events mean
 * @param leftOut the type of what an event brings that the stream's items have no place for, or
 *     null (see {@link #unmapped})
 * @param <E> the provider's event type
 */
public record StreamProtocol<E>(
        BodyFraming<E> framing, StreamRules<E> rules, Function<? super E, @Nullable String> leftOut) {

    /** The longest type {@link #unmapped} names: a server's event type cut to this many characters. */
    public static final int MAX_UNMAPPED_TYPE = 100;

    /** @throws NullPointerException if any is null */
    public StreamProtocol {
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(leftOut, "leftOut");
    }

    /** {@return a protocol whose stream's items keep everything (a typed stream's)} */
    public static <E> StreamProtocol<E> of(BodyFraming<E> framing, StreamRules<E> rules) {
        return new StreamProtocol<>(framing, rules, KeepsEverything.INSTANCE);
    }

    /**
     * {@return this protocol as a provider-neutral view sees it, which names what its items leave out}
     *
     * @param leftOut the type of what an event brings that the view's items have no place for (an
     *     event type or block type the provider added after this client), or null
     */
    public StreamProtocol<E> leavingOut(Function<? super E, @Nullable String> leftOut) {
        return new StreamProtocol<>(framing, rules, leftOut);
    }

    /**
     * {@return the type of what this event brings that the stream's items have no place for, or
     * null} For a provider-neutral view, which keeps text, thinking, tool calls, opaque state, the
     * finish reason and usage: an output item it leaves out (a Responses {@code shell_call}), an
     * event type it does not know. The call logs each such type once per response at DEBUG, and
     * the client's stream observers are told it once per stream
     * ({@link dev.sluice.client.StreamObserver.Observation#onUnmapped}), so that nothing a stream
     * sends is dropped silently. A type from the server is untrusted text: at most
     * {@link #MAX_UNMAPPED_TYPE} characters. A typed stream, which delivers everything, names none.
     */
    public @Nullable String unmapped(E event) {
        String type = leftOut.apply(event);
        return type == null || type.length() <= MAX_UNMAPPED_TYPE ? type : type.substring(0, MAX_UNMAPPED_TYPE);
    }

    /** A typed stream's: its items keep everything. A class, not a lambda: nothing to link on a fresh JVM's first stream. */
    private static final class KeepsEverything implements Function<Object, @Nullable String> {
        static final KeepsEverything INSTANCE = new KeepsEverything();

        @Override
        public @Nullable String apply(Object event) {
            return null;
        }
    }
}
