package dev.sluice.internal.stream;

import dev.sluice.SluiceException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a stream's callbacks over its iterator, with the rules every provider's listener states:
 * each item to {@link Callbacks#onItem}, in order, on one thread; then {@link Callbacks#onResult}
 * when the stream completed, or {@link Callbacks#onError} when it failed; last, always, exactly
 * once, {@link Callbacks#onEnd}. An exception a callback throws closes the stream, still ends with
 * {@code onEnd}, and is rethrown as it is (not passed to {@code onError}). Used by the OpenAI and
 * Gemini streams (Anthropic's richer dispatch is its own).
 *
 * <p>Threading: everything runs on the calling thread, or on the one virtual thread of
 * {@link #async}.
 */
public final class ListenerRun {
    private ListenerRun() {}

    /**
     * Refuses a listener that declares one of {@code methods} with the signature Sluice had before
     * 0.3, {@code (String delta, String soFar)}: the parameter is now a {@code CharSequence}, and
     * such a method, no longer an override, would silently never be called.
     *
     * @param listener the listener
     * @param methods the callbacks whose second parameter became a {@code CharSequence}
     * @throws IllegalArgumentException naming the method and the fix
     */
    public static void refuseStringSoFar(Object listener, String... methods) {
        for (java.lang.reflect.Method m : listener.getClass().getMethods()) {
            if (m.getParameterCount() != 2 || m.getParameterTypes()[0] != String.class
                    || m.getParameterTypes()[1] != String.class) continue;
            for (String name : methods) {
                if (m.getName().equals(name)) {
                    throw new IllegalArgumentException("the listener's " + name + "(String, String) is never called: since "
                            + "Sluice 0.3 its second parameter is a CharSequence (a view of the text so far, so that "
                            + "listening stays linear in the stream's length); declare " + name
                            + "(String, CharSequence) with @Override, and call toString() on it where a String is needed");
                }
            }
        }
    }

    /**
     * The callbacks, adapted from a provider's listener.
     *
     * @param <E> the item type
     * @param <R> the final result's type
     */
    public interface Callbacks<E, R> {
        /** Called for each item. */
        void onItem(E item);

        /** Called once when the stream completed. */
        void onResult(R result);

        /** Called once when the stream failed. */
        void onError(SluiceException error);

        /** Called last, exactly once. */
        void onEnd();
    }

    /**
     * Dispatches the rest of the stream and returns its final result.
     *
     * @param items the stream's one iterator
     * @param callbacks the callbacks
     * @param result the final result once the iterator ended, or empty when the stream did not
     *     complete (cancelled, chunk limit)
     * @param notComplete the exception for an incomplete stream
     * @param close closes the stream; called when a callback throws
     * @return the final result
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws IllegalStateException from {@code notComplete}, after {@code onEnd}
     */
    public static <E, R> R run(Iterator<E> items, Callbacks<E, R> callbacks, Supplier<Optional<R>> result,
                               Supplier<IllegalStateException> notComplete, Runnable close) {
        Objects.requireNonNull(callbacks, "callbacks");
        boolean ended = false;
        try {
            while (true) {
                E item;
                try {
                    if (!items.hasNext()) break;
                    item = items.next();
                } catch (SluiceException e) {
                    try {
                        callbacks.onError(e);
                    } finally {
                        ended = true;
                        callbacks.onEnd();
                    }
                    throw e;
                }
                callbacks.onItem(item);
            }
            Optional<R> done = result.get();
            if (done.isPresent()) callbacks.onResult(done.get());
            ended = true;
            callbacks.onEnd();
            return done.orElseThrow(notComplete);
        } catch (RuntimeException | Error e) {
            if (!ended) {
                try {
                    close.run(); // a callback threw: stop the producer, then still end
                } catch (RuntimeException | Error inClose) {
                    e.addSuppressed(inClose);
                }
                try {
                    callbacks.onEnd();
                } catch (RuntimeException | Error inEnd) {
                    e.addSuppressed(inEnd);
                }
            }
            throw e;
        }
    }

    /**
     * As {@link #run}, on a new virtual thread. Cancelling the future closes the stream.
     *
     * @param threadName the listener thread's name
     * @return the final result, to come
     */
    public static <E, R> CompletableFuture<R> async(String threadName, Iterator<E> items, Callbacks<E, R> callbacks,
                                                    Supplier<Optional<R>> result,
                                                    Supplier<IllegalStateException> notComplete, Runnable close) {
        CompletableFuture<R> future = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) close.run();
        });
        Thread.ofVirtual().name(threadName).start(() -> {
            try {
                future.complete(run(items, callbacks, result, notComplete, close));
            } catch (Throwable t) {
                future.completeExceptionally(t);
                if (t instanceof VirtualMachineError e) throw e;
            }
        });
        return future;
    }
}
