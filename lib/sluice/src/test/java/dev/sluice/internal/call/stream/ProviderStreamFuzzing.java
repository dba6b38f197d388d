package dev.sluice.internal.call.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.chat.GrowOnly;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.sse.RawEventListener;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the fuzz tests of the provider streams check, given a body of Server-Sent Events from
 * outside (the four providers' {@code …StreamFuzzTest}s feed it bytes):
 * <ul>
 *   <li>the provider's {@code replay} throws nothing but what it documents ({@link ApiException},
 *       {@link IncompleteStreamException}, {@link ProtocolException}, {@link LimitExceededException}),
 *       and neither the read size nor the framing's raw-bytes hot path changes what it returns or
 *       throws;</li>
 *   <li>every event decoded before a failure reaches the result: the failure's partial is what an
 *       accumulator fed the events one by one, each decoded from its {@link SseEvent}, holds when
 *       that failure comes (a reference reading, no hot path, no read buffer);</li>
 *   <li>an event the framing reads straight from its bytes is the event it decodes from its
 *       {@code SseEvent} ({@link SseFraming#decode(String, byte[], int, int, java.util.function.Consumer)}'s
 *       contract);</li>
 *   <li>streamed partial values (tool inputs and arguments) only grow while they stream, from
 *       snapshot to snapshot, as {@link dev.sluice.chat.PartialJson} defines growing.</li>
 * </ul>
 *
 * @param framing the provider's decoding of Server-Sent Events
 * @param rules the provider's rules
 * @param item what an event adds to the accumulator (null for nothing)
 * @param accumulators a new accumulator for each reading
 * @param partial what the replay attaches to a failure, from the accumulator
 * @param replay the provider's public {@code replay(body, readSize)}
 * @param partials the values streaming in a snapshot, with their JSON text, by a key of the provider's choice
 * @param restarts the keys whose values an event ends or restarts ({@link #ALL}: every key)
 * @param <E> the provider's event type
 * @param <I> what the accumulator takes
 * @param <R> the result
 * @param <A> the accumulator
 */
public record ProviderStreamFuzzing<E, I, R, A extends Accumulator<I, R>>(
        SseFraming<E> framing,
        StreamRules<E> rules,
        Function<? super E, ? extends I> item,
        Supplier<A> accumulators,
        Function<A, Object> partial,
        BiFunction<InputStream, Integer, R> replay,
        Function<R, Map<Object, Streamed>> partials,
        Function<? super E, Collection<?>> restarts) {

    /**
     * A value streaming in a snapshot (a tool's input), and the JSON text it is read from.
     *
     * @param value the best-effort value
     * @param text its text so far
     */
    public record Streamed(Object value, String text) {}

    /** In {@link #restarts}: the event ends or restarts every streamed value. */
    public static final Object ALL = new Object();

    /**
     * Runs every check on the body, read in pieces of a size its hash picks (1 to 97 bytes), so that
     * each input is read in pieces of its own size.
     */
    public void check(byte[] body) {
        int readSize = 1 + Math.floorMod(Arrays.hashCode(body), 97);
        Object outcome = outcome(body, readSize);
        assertEquals(outcome, outcome(body, Math.max(1, body.length)), "the read size changed the outcome");
        assertEquals(outcome, reference(body), "the replay differs from decoding the events one by one");
    }

    /** {@return the result, or the failure as (class, message, partial)} */
    private Object outcome(byte[] body, int readSize) {
        try {
            return replay.apply(new ByteArrayInputStream(body), readSize);
        } catch (ApiException | IncompleteStreamException | ProtocolException | LimitExceededException e) {
            return failure(e);
        }
    }

    private static List<Object> failure(SluiceException e) {
        return List.of(e.getClass(), String.valueOf(e.getMessage()), e.partial());
    }

    /**
     * Reads the body as {@link Replay#run} does, but plainly: the SSE parser dispatches every event
     * as an {@code SseEvent} (after checking the raw-bytes path against it), each decoded event goes
     * to the accumulator, and the streamed values are checked after each one.
     */
    private Object reference(byte[] body) {
        A accumulator = accumulators.get();
        Reference reader = new Reference(accumulator);
        SseParser parser = new SseParser(SseLimits.defaults(), reader);
        try {
            parser.feed(body, 0, body.length);
            if (!reader.terminal) {
                parser.finish();
                if (!reader.completes) {
                    Optional<SluiceException> end = rules.endOfInput();
                    if (end.isPresent()) throw end.get();
                }
            }
            return accumulator.isComplete() ? accumulator.result() : accumulator.snapshot();
        } catch (ApiException | IncompleteStreamException | ProtocolException | LimitExceededException e) {
            return failure(e.initContext(null, partial.apply(accumulator)));
        }
    }

    private final class Reference implements SseListener, RawEventListener {
        private final Accumulator<I, R> accumulator;
        private final Map<Object, Object> streamed = new HashMap<>();
        private List<E> rawEvents; // what the raw-bytes path made of the event being dispatched, or null
        boolean terminal;
        boolean completes;

        Reference(Accumulator<I, R> accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public boolean onRawEvent(String type, byte[] data, int offset, int length, String lastEventId) {
            if (terminal) return true;
            List<E> raw = new ArrayList<>();
            try {
                rawEvents = framing.decode(type, data, offset, length, raw::add) ? raw : null;
            } catch (SluiceException e) {
                fail("the raw-bytes path throws, where it must decline what it does not handle: " + e);
            }
            return false; // the parser then dispatches the SseEvent, compared below
        }

        @Override
        public void onEvent(SseEvent event) {
            List<E> raw = rawEvents;
            rawEvents = null;
            if (terminal) return;
            List<E> decoded = new ArrayList<>();
            try {
                framing.decode(event, e -> {
                    decoded.add(e);
                    handle(e);
                });
            } catch (SluiceException e) {
                if (raw != null && !raw.equals(decoded)) {
                    fail("the raw-bytes path decodes " + event + " as " + raw + ", the SseEvent path as " + decoded
                            + " and " + e);
                }
                throw e;
            }
            if (raw != null) assertEquals(decoded, raw, () -> "the raw-bytes path decodes " + event + " otherwise");
        }

        private void handle(E event) {
            if (terminal) return;
            Optional<StreamRules.InBandError> error = rules.inBandError(event);
            if (error.isPresent()) throw error.get().exception(200, Map.of());
            I i = item.apply(event);
            if (i != null) accumulator.accept(i);
            checkGrowing(event);
            if (rules.completesAtEndOfInput(event)) completes = true;
            if (rules.isTerminal(event)) terminal = true;
        }

        private void checkGrowing(E event) {
            Collection<?> ended = restarts.apply(event);
            if (ended.contains(ALL)) streamed.clear();
            else ended.forEach(streamed::remove);
            for (Map.Entry<Object, Streamed> e :
                    partials.apply(accumulator.snapshot()).entrySet()) {
                Object before = streamed.get(e.getKey());
                Object now = e.getValue().value();
                GrowOnly.Mismatch m =
                        streamed.containsKey(e.getKey()) ? GrowOnly.mismatch(before, now, true, null) : null;
                // as PartialJson documents, a repeated member name shows its later value
                if (m != null
                        && (m.key() == null
                                || !GrowOnly.writtenTwice(e.getValue().text(), m.key()))) {
                    fail("streamed value " + e.getKey() + " shrank after " + event + ": " + before + " -> " + now);
                }
                streamed.put(e.getKey(), now);
            }
        }
    }
}
