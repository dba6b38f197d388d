package dev.sluice.relay;

import dev.sluice.chat.ChatResponse;
import dev.sluice.sse.SseEvent;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link RelaySource#answer}, {@link RelaySource#verbatimAnswer} and {@link RelaySource#failed}: an
 * answer that came whole (or a failure known at once), as
 * the few relay events it makes ({@code start}, its content, {@code done}), all known when the
 * source is made; nothing runs upstream any more, so a cancel only drops what is left.
 *
 * <p>Threading: {@link #next()} from one thread; {@link #cancel} and {@link #close} from any.
 */
final class AnswerRelaySource implements RelaySource {
    private final ConcurrentLinkedQueue<RelayEvent> events = new ConcurrentLinkedQueue<>();
    private volatile boolean cancelled;

    private AnswerRelaySource(RelayEvent first) {
        events.add(first);
    }

    /** {@return a model's answer as relay events} */
    static AnswerRelaySource of(String provider, String model, ChatResponse answer) {
        AnswerRelaySource source = new AnswerRelaySource(new RelayEvent.Start(provider, model));
        ChunkEvents chunks = new ChunkEvents();
        source.events.addAll(chunks.map(answer));
        source.events.add(chunks.done());
        return source;
    }

    /** {@return an upstream's own JSON answer as one {@link RelayEvent.Verbatim}, its usage observed} */
    static AnswerRelaySource verbatim(String provider, String model, String json) {
        AnswerRelaySource source = new AnswerRelaySource(new RelayEvent.Start(provider, model));
        ChunkEvents chunks = new ChunkEvents();
        source.events.add(new RelayEvent.Verbatim(RelayEvent.Verbatim.ANSWER, json));
        VerbatimUsage.observe(SseEvent.of(RelayEvent.Verbatim.ANSWER, json), chunks);
        source.events.add(chunks.done());
        return source;
    }

    /** {@return a source whose one event is {@code error}} */
    static AnswerRelaySource failed(RelayEvent.Error error) {
        return new AnswerRelaySource(error);
    }

    @Override
    public Optional<RelayEvent> next() {
        return cancelled ? Optional.empty() : Optional.ofNullable(events.poll());
    }

    @Override
    public void cancel(String reason) {
        cancelled = true;
        events.clear();
    }

    @Override
    public void close() {
        cancel("closed");
    }
}
