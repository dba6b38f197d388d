package dev.sluice.examples.serve;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatProvider;
import dev.sluice.relay.ChunkEvents;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.StartRequest;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool runner's run as relay events, so the page shows tool progress: {@code start}; the model's
 * {@code thinking}, {@code delta} and {@code tool_call} events turn after turn; {@code tool_started},
 * {@code tool_progress}, {@code tool_done} and {@code tool_failed} as the tools run; and one
 * {@code done} at the end with the usage of every turn added up. The mapping lives here, beside the
 * server, because the relay and the tool runner each know only the provider-neutral layer.
 *
 * <p>Threading: {@link #next()} on the relay's pump thread; {@link #cancel} and {@link #close} from any.
 */
public final class AgentRelaySource implements RelaySource {
    private final String provider;
    private final String model;
    private final EventStream<AgentEvent> events;
    private final ChunkEvents chunks = new ChunkEvents();
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private Iterator<AgentEvent> iterator;
    private boolean started;
    private boolean ended;

    private AgentRelaySource(String provider, String model, EventStream<AgentEvent> events) {
        this.provider = provider;
        this.model = model;
        this.events = events;
    }

    /**
     * {@return a relay source factory running each stream's prompt through a tool runner with these tools}
     *
     * @param provider the model provider
     * @param tools the tools the model may call
     * @param maxTurns the turn limit of each run
     */
    public static Relay.SourceFactory factory(ChatProvider provider, List<AgentTool> tools, int maxTurns) {
        Objects.requireNonNull(provider, "provider");
        ToolRunner.Builder b = ToolRunner.builder(provider).maxTurns(maxTurns);
        for (AgentTool t : tools) b.tool(t);
        ToolRunner runner = b.build();
        return (StartRequest request, StreamController controller) ->
                new AgentRelaySource(request.provider(), request.model(), runner.run(request.toChatRequest(), controller));
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
