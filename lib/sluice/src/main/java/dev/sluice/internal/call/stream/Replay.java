package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.sse.RawEventListener;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads a captured streaming response body of Server-Sent Events through a provider's
 * {@link SseFraming} and {@link StreamRules}, as a live stream would, into an accumulator: the
 * provider streams' {@code replay} methods. Events after the terminal one are not read; an in-band
 * error is thrown; a body that ends early fails as the rules say.
 */
public final class Replay {
    private Replay() {}

    /**
     * Feeds a recorded body through the framing's decoding into the accumulator, as a live stream would.
     *
     * @param framing the provider's decoding of Server-Sent Events
     * @param rules the provider family's rules
     * @param item the item an event adds to the accumulator, or null for none
     * @param accumulator the accumulator
     * @param partial the partial result to attach to a failure (null for none)
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed at a time, positive
     * @return the complete result, or the snapshot when the rules allow a body to end without
     *     the terminal event
     * @throws SluiceException as a live stream would fail, with the partial result attached
     * @throws IllegalArgumentException if readSize is not positive
     */
    public static <E, I, R> R run(
            SseFraming<E> framing,
            StreamRules<E> rules,
            Function<? super E, ? extends @Nullable I> item,
            Accumulator<? super I, R> accumulator,
            Supplier<?> partial,
            InputStream body,
            int readSize) {
        Objects.requireNonNull(body, "body");
        if (readSize <= 0) throw new IllegalArgumentException("readSize must be positive: " + readSize);
        Reader<E, I> reader = new Reader<>(framing, rules, item, accumulator);
        SseParser parser = new SseParser(SseLimits.defaults(), reader);
        try {
            byte[] buffer = new byte[readSize];
            int n;
            while (!reader.terminal && (n = body.readNBytes(buffer, 0, readSize)) > 0) parser.feed(buffer, 0, n);
            if (!reader.terminal) {
                parser.finish();
                if (!reader.completes) {
                    Optional<SluiceException> failure = rules.endOfInput();
                    if (failure.isPresent()) throw failure.get();
                }
            }
            return accumulator.isComplete() ? accumulator.result() : accumulator.snapshot();
        } catch (SluiceException e) {
            throw e.initContext(null, partial.get());
        } catch (IOException e) {
            throw new TransportException("reading the stream failed: " + e.getMessage(), e)
                    .initContext(null, partial.get());
        }
    }

    /** Decodes each event and accumulates its item, up to the terminal event. The replaying thread only. */
    private static final class Reader<E, I> implements SseListener, RawEventListener {
        private final SseFraming<E> framing;
        private final StreamRules<E> rules;
        private final Function<? super E, ? extends @Nullable I> item;
        private final Accumulator<? super I, ?> accumulator;
        boolean terminal;
        boolean completes;

        Reader(
                SseFraming<E> framing,
                StreamRules<E> rules,
                Function<? super E, ? extends @Nullable I> item,
                Accumulator<? super I, ?> accumulator) {
            this.framing = framing;
            this.rules = rules;
            this.item = item;
            this.accumulator = accumulator;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (!terminal) framing.decode(event, this::handle);
        }

        @Override
        public boolean onRawEvent(String type, byte[] data, int offset, int length, @Nullable String lastEventId) {
            return terminal || framing.decode(type, data, offset, length, this::handle);
        }

        private void handle(E event) {
            if (terminal) return;
            Optional<StreamRules.InBandError> error = rules.inBandError(event);
            if (error.isPresent()) throw error.get().exception(200, Map.of());
            @Nullable I i = item.apply(event);
            if (i != null) accumulator.accept(i);
            if (rules.completesAtEndOfInput(event)) completes = true;
            if (rules.isTerminal(event)) terminal = true;
        }
    }
}
