package dev.sluice.client;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Who the streams a piece of code opens are made for: an id (a gateway's minted key's id, a tenant,
 * a team; never a secret) that every stream opened while it is bound carries in its
 * {@link StreamStart#caller()}, so that a client's {@link StreamObserver}s can record it (the
 * OpenTelemetry observer as {@code dev.sluice.key.id}). {@code sluice serve} binds the id of the
 * minted key a request came with around the opening of its upstream.
 *
 * <pre>{@code
 * EventStream<MessageChunk> chunks = StreamCaller.call("key_3kT9", () -> provider.stream(request));
 * }</pre>
 *
 * <p>Threading: the binding is the current thread's, for the duration of the call, and is inherited
 * by the threads started during it (a stream's producer thread, a fallback chain's later targets
 * and hedges), as an {@link InheritableThreadLocal} is. A call with {@code null} binds no caller,
 * hiding one bound further out or inherited.
 */
public final class StreamCaller {
    /** The longest id taken: an id is a name, not a payload. */
    public static final int MAX_ID_LENGTH = 128;

    private static final InheritableThreadLocal<@Nullable String> CURRENT = new InheritableThreadLocal<>();

    private StreamCaller() {}

    /**
     * Runs {@code action} with {@code id} as the caller of every stream it opens, then restores the
     * binding there was.
     *
     * @param <T> what {@code action} returns
     * @param id the caller's id; null for none
     * @param action what opens the streams
     * @return what {@code action} returns
     * @throws NullPointerException if action is null
     * @throws IllegalArgumentException if the id is blank, longer than {@link #MAX_ID_LENGTH}, or
     *     holds a control character
     */
    public static <T> T call(@Nullable String id, Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        if (id != null) check(id);
        @Nullable String outer = CURRENT.get();
        CURRENT.set(id);
        try {
            return action.get();
        } finally {
            CURRENT.set(outer);
        }
    }

    /** {@return the caller bound on this thread ({@link #call}); empty when none} */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    private static void check(String id) {
        if (id.isBlank()) throw new IllegalArgumentException("a caller's id is blank");
        if (id.length() > MAX_ID_LENGTH)
            throw new IllegalArgumentException(
                    "a caller's id has " + id.length() + " characters; at most " + MAX_ID_LENGTH);
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i)))
                throw new IllegalArgumentException("a caller's id holds a control character");
        }
    }
}
