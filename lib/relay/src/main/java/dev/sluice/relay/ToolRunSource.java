package dev.sluice.relay;

import dev.sluice.agent.AgentEvent;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * A tool runner's run as relay events ({@link RelaySource#toolRunner}): {@code start}; the model's
 * {@code thinking}, {@code delta} and {@code tool_call} events turn after turn; {@code tool_started},
 * {@code tool_progress}, {@code tool_done} and {@code tool_failed} as the tools run; and one
 * {@code done} at the end with the usage of every turn added up.
 *
 * <p>Threading: {@link #next()} on the relay's pump thread; {@link #cancel} and {@link #close} from any.
 */
final class ToolRunSource implements RelaySource {
    private final String provider;
    private final String model;
    private final EventStream<AgentEvent> events;
    private final ChunkEvents chunks = new ChunkEvents();
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private Iterator<AgentEvent> iterator;
    private boolean started;
    private boolean ended;

    ToolRunSource(String provider, String model, EventStream<AgentEvent> events) {
        this.provider = provider;
        this.model = model;
        this.events = events;
    }

    @Override
    public Optional<RelayEvent> next() {
        if (!started) {
            started = true;
            iterator = events.iterator();
            return Optional.of(new RelayEvent.Start(provider, model));
        }
        while (pending.isEmpty()) {
            if (ended) return Optional.empty();
            if (!iterator.hasNext()) { // throws the run's failure
                ended = true;
                if (events.endReason().orElse(EndReason.COMPLETED) == EndReason.CANCELLED) return Optional.empty();
                return Optional.of(chunks.done());
            }
            map(iterator.next());
        }
        return Optional.of(pending.poll());
    }

    private void map(AgentEvent event) {
        switch (event) {
            case AgentEvent.TurnStarted t -> {
                if (t.turn() > 1) chunks.nextTurn();
            }
            case AgentEvent.ModelChunk c -> pending.addAll(chunks.map(c.chunk()));
            case AgentEvent.ToolStarted s -> pending.add(new RelayEvent.ToolStarted(s.id(), s.name()));
            case AgentEvent.ToolProgress p -> pending.add(new RelayEvent.ToolProgress(p.id(), p.message(), p.percent()));
            case AgentEvent.ToolCompleted d -> pending.add(new RelayEvent.ToolDone(d.id(), d.result()));
            case AgentEvent.ToolFailed f -> pending.add(new RelayEvent.ToolFailed(f.id(), f.error()));
            case AgentEvent.RunFinished f -> {
                if (f.reason() == AgentEvent.RunFinished.StopReason.TURN_LIMIT) chunks.finishReasonIfNone("turn_limit");
            }
            default -> { } // turn ends: nothing for the page
        }
    }

    @Override
    public void cancel(String reason) {
        events.controller().cancel(reason);
    }

    @Override
    public void close() {
        events.close();
    }
}
