package dev.sluice.benchmarks;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The tool runner's own cost per turn, with a zero-latency model: an in-process {@link ChatProvider}
 * that answers at once from prebuilt chunks (a text piece, one tool call, the finish reason with
 * usage; the last turn a text and STOP), and a tool that returns at once. {@link #toolRun} is one
 * run of {@value #TURNS} turns ({@value #TURNS}-1 with a tool call) through {@link ToolRunner},
 * consumed by a {@code for} loop; {@link #bareStreams} streams the same {@value #TURNS} answers from
 * the same provider without the runner (what any caller pays for the model's streams). Scores are
 * microseconds per turn; their difference is the loop's overhead beyond model and tool time:
 * the run's stream, the model reader and tool threads, argument checks, the conversation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ToolRunnerBenchmark {
    static final int TURNS = 10;
    private static final ChunkMetadata META = new ChunkMetadata("instant", Instant.EPOCH, Duration.ZERO);

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private ToolRunner runner;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private ChatRequest request;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private InstantProvider provider;

    /** Answers at once: a tool call while the conversation has fewer than TURNS-1 tool results, then a text. */
    static final class InstantProvider implements ChatProvider {
        private final List<MessageChunk> callTurn = List.of(
                MessageChunk.builder(META).id("r").text("Checking.").build(),
                MessageChunk.builder(META)
                        .toolCall(ToolCallDelta.start(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"))
                        .build(),
                MessageChunk.builder(META)
                        .finishReason(new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_use"))
                        .usage(Usage.of(10, 5))
                        .build());
        private final List<MessageChunk> lastTurn = List.of(
                MessageChunk.builder(META).id("r").text("It is sunny.").build(),
                MessageChunk.builder(META)
                        .finishReason(new FinishReason(FinishReason.Kind.STOP, "end_turn"))
                        .usage(Usage.of(10, 5))
                        .build());

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return stream(request, StreamController.create());
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return answer(request.messages().size() / 2 < TURNS - 1 ? callTurn : lastTurn, controller);
        }

        EventStream<MessageChunk> answer(List<MessageChunk> chunks, StreamController controller) {
            return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
                for (MessageChunk c : chunks) if (!out.emit(c)) return;
            });
        }
    }

    @Setup
    public void setUp() {
        provider = new InstantProvider();
        runner = ToolRunner.builder(provider)
                .tool(AgentTool.of(
                        "get_weather",
                        "Weather",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("city", Map.of("type", "string")),
                                "required",
                                List.of("city")),
                        (arguments, context) -> "{\"city\":\"Paris\",\"celsius\":18}"))
                .maxTurns(TURNS)
                .build();
        request = ChatRequest.builder()
                .model("instant")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(TURNS)
    public int toolRun(Blackhole bh) {
        int turns = 0;
        try (EventStream<AgentEvent> events = runner.run(request)) {
            for (AgentEvent e : events) {
                bh.consume(e);
                if (e instanceof AgentEvent.RunFinished f) turns = f.turns();
            }
        }
        if (turns != TURNS) throw new IllegalStateException("the run took " + turns + " turns, not " + TURNS);
        return turns;
    }

    @Benchmark
    @OperationsPerInvocation(TURNS)
    public void bareStreams(Blackhole bh) {
        for (int turn = 1; turn <= TURNS; turn++) {
            try (EventStream<MessageChunk> chunks =
                    provider.answer(turn < TURNS ? provider.callTurn : provider.lastTurn, StreamController.create())) {
                for (MessageChunk c : chunks) bh.consume(c);
            }
        }
    }
}
