package dev.sluice.agent;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolResult;
import dev.sluice.internal.low.value.ResultBound;
import dev.sluice.mcp.McpClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.Producer;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The tool runner: an agent loop on any {@link ChatProvider}. It streams a turn of the model;
 * starts each tool the model calls on a virtual thread of its own as soon as that call's input is
 * complete (while the model may still be streaming other calls); when the turn ends, sends every
 * result back in the order of the calls, with the conversation so far (thinking blocks and
 * signatures included, through {@link dev.sluice.chat.ProviderState}); and repeats until the model
 * stops calling tools or the turn limit is reached.
 *
 * <pre>{@code
 * ToolRunner runner = ToolRunner.builder(provider).tool(weather).maxTurns(5).build();
 * try (EventStream<AgentEvent> events = runner.run(request)) {
 *     for (AgentEvent event : events) {
 *         switch (event) {
 *             case AgentEvent.ModelChunk chunk -> System.out.print(chunk.text());
 *             case AgentEvent.ToolProgress p -> System.err.println(p.name() + " " + p.percent() + "% " + p.message());
 *             default -> { }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The run is one {@link EventStream} with the usual contract: a {@code for} loop or
 * {@code stream()}, cancel from any thread ({@code events.controller().cancel()}: the model's
 * stream is closed and running tools are cancelled and interrupted; the run ends
 * {@link dev.sluice.stream.EndReason#CANCELLED}), the run's own timeouts and limits
 * ({@link Builder#options}). Failures the model can act on go back to the model as error results
 * and the run goes on: an unknown tool, arguments that are not a JSON object or lack a required
 * property, a handler that throws, a handler silent past its {@linkplain Builder#toolTimeout timeout}
 * ({@link AgentEvent.ToolFailed}). A failure of the model's stream (an API error, a timeout, a
 * lost connection) ends the run: its {@link dev.sluice.SluiceException} is thrown from the
 * iterator after every event before it, carrying the turn's partial response and request id.
 *
 * <p>A tool may {@linkplain Builder#approval need a person's approval} before it runs: its call
 * then waits, alone, for a decision ({@link #run(ChatRequest, StreamController, ToolApprovals)}).
 *
 * <p>Threading: a runner is immutable and may run any number of runs at once. Each run has one
 * producer virtual thread ({@code sluice-agent-N}) that emits every event and keeps the run's
 * state, one virtual thread per turn reading the model's stream, and one per tool call (which
 * also waits for the call's approval, parked, when it needs one).
 */
public final class ToolRunner {
    /** The default bound of a tool's result, in characters: about 25,000 tokens, as much as an MCP client reads. */
    public static final int DEFAULT_MAX_RESULT_CHARS = McpClient.DEFAULT_MAX_RESULT_CHARS;

    private static final AtomicLong RUNS = new AtomicLong();

    private final ChatProvider provider;
    private final Map<String, AgentTool> tools;
    private final int maxTurns;
    private final @Nullable Duration toolTimeout;
    private final int maxParallelTools;
    private final StreamOptions options;
    private final @Nullable StreamOptions modelOptions;
    private final ApprovalPolicy approval;
    private final Duration approvalTimeout;
    private final int maxResultChars;

    private ToolRunner(Builder b) {
        this.maxResultChars = b.maxResultChars;
        this.provider = b.provider;
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
        this.maxTurns = b.maxTurns;
        this.toolTimeout = b.toolTimeout;
        this.maxParallelTools = b.maxParallelTools;
        this.options = b.options;
        this.modelOptions = b.modelOptions;
        this.approval = b.approval;
        this.approvalTimeout = b.approvalTimeout;
    }

    /**
     * Starts building a runner.
     *
     * @param provider the model's provider
     * @return a builder with no tools, 10 turns, no per-tool timeout, 8 tools at once, no approval,
     *     results of at most {@value #DEFAULT_MAX_RESULT_CHARS} characters
     * @throws NullPointerException if provider is null
     */
    public static Builder builder(ChatProvider provider) {
        return new Builder(provider);
    }

    /**
     * Starts a run with a new controller; see {@link #run(ChatRequest, StreamController)}.
     *
     * @param request the model, system prompt and conversation to start from
     * @return the run's events; must be closed
     * @throws IllegalStateException if the runner has an {@linkplain Builder#approval approval
     *     policy}: decisions need {@link #run(ChatRequest, StreamController, ToolApprovals)}
     */
    public EventStream<AgentEvent> run(ChatRequest request) {
        return run(request, StreamController.create());
    }

    /**
     * Starts a run: the request's model, system prompt, settings and conversation, with the
     * runner's tools added to the request's own. Nothing is sent on the calling thread. For a
     * runner with an {@linkplain Builder#approval approval policy}, use
     * {@link #run(ChatRequest, StreamController, ToolApprovals)}.
     *
     * @param request the model, system prompt and conversation to start from
     * @param controller the run's cancel switch, not yet used by another stream (made with
     *     {@link StreamController#of} it also brings the run's options)
     * @return the run's events; must be closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the request declares a tool with the name of one of the runner's
     * @throws IllegalStateException if the controller belongs to another stream, or the runner has
     *     an approval policy (no one could decide its calls)
     */
    @SuppressWarnings("ReferenceEquality") // identity: Policies.NONE is the one policy that never asks
    public EventStream<AgentEvent> run(ChatRequest request, StreamController controller) {
        if (approval != Policies.NONE) {
            throw new IllegalStateException("this runner asks for approval before some tools run: start the run with "
                    + "run(request, controller, approvals) and decide its calls with approvals.decide(..)");
        }
        return start(request, controller, null);
    }

    /**
     * Starts a run whose tool calls may wait for approval: a call of a tool the runner's
     * {@linkplain Builder#approval policy} selects emits {@link AgentEvent.ApprovalRequested} and
     * waits, on its own virtual thread (the model's stream and the other calls go on), until
     * {@code approvals} decides it ({@link ToolApprovals#decide}, from any thread) or the
     * {@linkplain Builder#approvalTimeout approval timeout} passes; then
     * {@link AgentEvent.ApprovalDecided}. Approved, the handler runs (its per-tool timeout and its
     * place among {@code maxParallelTools} count from then). Denied or timed out, the handler never
     * runs and the model reads a tool result marked as an error ({@code "The user denied this tool
     * call."}, {@code "No one approved this tool call within 10 minutes; it was not run."}), as a
     * {@link AgentEvent.ToolFailed} of kind {@link AgentEvent.ToolFailed.Kind#DENIED}. The turn's
     * results go back to the model once every call has one, the waiting ones included. Cancelling
     * the run ends the waits at once; nothing runs.
     *
     * @param request the model, system prompt and conversation to start from
     * @param controller the run's cancel switch, not yet used by another stream
     * @param approvals the run's mailbox of decisions, not used by another run
     * @return the run's events; must be closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the request declares a tool with the name of one of the runner's
     * @throws IllegalStateException if the controller belongs to another stream or the approvals to another run
     */
    public EventStream<AgentEvent> run(ChatRequest request, StreamController controller, ToolApprovals approvals) {
        Objects.requireNonNull(approvals, "approvals");
        return start(request, controller, approvals);
    }

    /**
     * Follows to its end a task that a call of one of the runner's tools started in a run
     * elsewhere, which could not go on (the relay node running it stopped), from the task's handle
     * ({@link ToolApprovals#onTask}): the tool's {@link ToolHandler#follow} runs as a call of the
     * same id would, without calling the tool again and without a model turn. The events are
     * {@link AgentEvent.ToolStarted} (the arguments {@code {}}), the task's
     * {@link AgentEvent.ToolProgress} and {@link AgentEvent.InputRequested} (answered through
     * {@code approvals}), and {@link AgentEvent.ToolCompleted} or {@link AgentEvent.ToolFailed},
     * under the runner's per-tool and approval timeouts; then the stream ends.
     *
     * @param callId the id of the call that started the task
     * @param toolName the tool's name
     * @param taskId the task's handle
     * @param controller the follow's cancel switch: cancelling it cancels the task on its server
     * @param approvals answers the task's questions
     * @return the follow's events; must be closed
     * @throws NullPointerException if an argument is null
     */
    public EventStream<AgentEvent> follow(
            String callId, String toolName, String taskId, StreamController controller, ToolApprovals approvals) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(approvals, "approvals");
        approvals.claim();
        AgentLoop loop = new AgentLoop(
                provider,
                ChatRequest.builder()
                        .model("follow")
                        .addMessage(ChatMessage.user("follow"))
                        .build(), // no model turn: never sent
                tools,
                1,
                toolTimeout,
                1,
                modelOptions,
                Policies.NONE,
                approvalTimeout,
                approvals,
                maxResultChars);
        return events(controller, emitter -> loop.follow(emitter, callId, toolName, taskId));
    }

    /**
     * Goes on with a run that stopped elsewhere (the relay node running it stopped) from the
     * checkpoint of its last turn ({@link ToolApprovals.TaskListener#calledTools}), once that turn's
     * calls have results: a call whose task still works is followed from its handle as
     * {@link #follow} does ({@link AgentEvent.ToolStarted} with the call's arguments, the task's
     * progress and questions, {@link AgentEvent.ToolCompleted} or {@link AgentEvent.ToolFailed}); a
     * call that ended before keeps the result given (no event); any other call ran in the process
     * that stopped and gets an error result saying it was lost ({@link AgentEvent.ToolFailed} of kind
     * {@link AgentEvent.ToolFailed.Kind#HANDLER_FAILED}), never run again. Then every result goes back
     * to the model and the run goes on as {@link #run(ChatRequest, StreamController, ToolApprovals)}
     * would, from the next turn ({@link AgentEvent.TurnStarted} numbered on), up to the runner's
     * turn limit counted from the run's first turn, and ends with {@link AgentEvent.RunFinished},
     * its usage the whole run's: the checkpoint's ({@link TurnCheckpoint#usage()}, the turns that ran
     * elsewhere) and that of the turns run here.
     *
     * @param checkpoint where the run stood: its request (the runner's tools are added to its own)
     *     and the turn whose calls wait
     * @param tasks the handles of the tasks to follow, by the id of the call that started each
     * @param results the results of the calls that had ended, by call id
     * @param controller the run's cancel switch, not yet used by another stream
     * @param approvals decides the run's calls and answers its tools' questions, not used by another run
     * @return the run's events; must be closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the checkpoint's request declares a tool with the name of one of the runner's
     * @throws IllegalStateException if the controller belongs to another stream or the approvals to another run
     */
    public EventStream<AgentEvent> resume(
            TurnCheckpoint checkpoint,
            Map<String, String> tasks,
            Map<String, ToolResult> results,
            StreamController controller,
            ToolApprovals approvals) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Map<String, String> follow = Map.copyOf(Objects.requireNonNull(tasks, "tasks"));
        Map<String, ToolResult> given = Map.copyOf(Objects.requireNonNull(results, "results"));
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(approvals, "approvals");
        AgentLoop loop = loop(checkpoint.request(), approvals);
        return events(
                controller, emitter -> loop.resume(emitter, checkpoint.turn(), checkpoint.usage(), follow, given));
    }

    private EventStream<AgentEvent> start(
            ChatRequest request, StreamController controller, @Nullable ToolApprovals approvals) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        AgentLoop loop = loop(request, approvals);
        return events(controller, loop::run);
    }

    /** {@return the loop of a run of the request, with the runner's tools added to its own} */
    private AgentLoop loop(ChatRequest request, @Nullable ToolApprovals approvals) {
        List<Tool> all = new ArrayList<>(request.tools());
        for (AgentTool t : tools.values()) {
            for (Tool declared : request.tools()) {
                if (declared.name().equals(t.name())) {
                    throw new IllegalArgumentException("the request already declares a tool named " + t.name()
                            + ": declare it either in the request or in the runner");
                }
            }
            all.add(t.definition());
        }
        ChatRequest base = new ChatRequest(
                request.model(),
                request.system(),
                request.messages(),
                all,
                request.maxTokens(),
                request.temperature(),
                request.stopSequences(),
                request.thinkingBudget(),
                request.responseFormat(),
                request.toolChoice(),
                request.effort(),
                request.promptCache(),
                request.showThinking());
        if (approvals != null) approvals.claim();
        return new AgentLoop(
                provider,
                base,
                tools,
                maxTurns,
                toolTimeout,
                maxParallelTools,
                modelOptions,
                approvals == null ? Policies.NONE : approval,
                approvalTimeout,
                approvals,
                maxResultChars);
    }

    /** {@return a run's events: {@code loop} producing them on a thread of its own, named for the run} */
    private EventStream<AgentEvent> events(StreamController controller, Producer<AgentEvent> loop) {
        return EventStream.<AgentEvent>builder()
                .options(options)
                .controller(controller)
                .threadName("sluice-agent-" + RUNS.incrementAndGet())
                .generate(loop);
    }

    /** Builds a {@link ToolRunner}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private final ChatProvider provider;
        private final Map<String, AgentTool> tools = new LinkedHashMap<>();
        private int maxTurns = 10;
        private @Nullable Duration toolTimeout;
        private int maxParallelTools = 8;
        private StreamOptions options = StreamOptions.builder()
                .noTimeout(Timeout.FIRST_EVENT)
                .noTimeout(Timeout.IDLE)
                .build();
        private @Nullable StreamOptions modelOptions;
        private ApprovalPolicy approval = ApprovalPolicy.none();
        private Duration approvalTimeout = Duration.ofMinutes(10);
        private int maxResultChars = DEFAULT_MAX_RESULT_CHARS;

        private Builder(ChatProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * Adds a tool.
         *
         * @param tool the tool; its name not used by another
         * @return this builder
         * @throws IllegalArgumentException if a tool of that name was already added
         */
        public Builder tool(AgentTool tool) {
            Objects.requireNonNull(tool, "tool");
            if (tools.containsKey(tool.name()))
                throw new IllegalArgumentException("a tool named " + tool.name() + " was already added");
            tools.put(tool.name(), tool);
            return this;
        }

        /**
         * Sets the most turns (model answers) a run may take. After the last one, a run whose model
         * still calls tools runs them and stops, {@link AgentEvent.RunFinished.StopReason#TURN_LIMIT}.
         *
         * @param turns at least 1; default 10
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxTurns(int turns) {
            if (turns < 1) throw new IllegalArgumentException("maxTurns must be at least 1: " + turns);
            this.maxTurns = turns;
            return this;
        }

        /**
         * Sets how long one tool call may go without progress: the time counts from the handler's
         * start and starts again with each progress report of that call (any form of
         * {@link ToolContext#progress}, an MCP server's {@code notifications/progress} among them),
         * so a call that keeps reporting is not stopped, however long it runs (an MCP call is still
         * capped by its client's {@code callTimeout}). Past it, the call is cancelled, its thread
         * interrupted, and the model reads that it timed out.
         *
         * @param timeout positive; default none
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder toolTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "toolTimeout");
            if (timeout.isZero() || timeout.isNegative())
                throw new IllegalArgumentException("toolTimeout must be positive: " + timeout);
            this.toolTimeout = timeout;
            return this;
        }

        /**
         * Sets how many tool calls of a run may run at once; more wait for a free place (their
         * timeout starts when they start).
         *
         * @param tools at least 1; default 8
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxParallelTools(int tools) {
            if (tools < 1) throw new IllegalArgumentException("maxParallelTools must be at least 1: " + tools);
            this.maxParallelTools = tools;
            return this;
        }

        /**
         * Sets the options of the run's own event stream: its timeouts count between the run's
         * events (tools included), its chunk limit counts events.
         *
         * @param options the run's options; default: the total timeout and limits of
         *     {@link StreamOptions#defaults()} without first-event and idle timeouts (a tool may
         *     run long in silence; the model's streams have their own)
         * @return this builder
         */
        public Builder options(StreamOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets the options of each turn's model stream.
         *
         * @param options the model streams' timeouts and limits; default: the provider's
         * @return this builder
         */
        public Builder modelOptions(StreamOptions options) {
            this.modelOptions = Objects.requireNonNull(options, "modelOptions");
            return this;
        }

        /**
         * Sets which tool calls wait for a person's approval before they run; see
         * {@link ToolRunner#run(ChatRequest, StreamController, ToolApprovals)}. Tools the request
         * itself declares are not the runner's and are never asked about.
         *
         * @param policy the policy; default {@link ApprovalPolicy#none()}
         * @return this builder
         */
        public Builder approval(ApprovalPolicy policy) {
            this.approval = Objects.requireNonNull(policy, "approval");
            return this;
        }

        /**
         * Sets how long a call waits for approval; past it, the call is not run and the model reads
         * that no one approved it within this time.
         *
         * @param timeout positive; default 10 minutes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder approvalTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "approvalTimeout");
            if (timeout.isZero() || timeout.isNegative())
                throw new IllegalArgumentException("approvalTimeout must be positive: " + timeout);
            this.approvalTimeout = timeout;
            return this;
        }

        /**
         * Bounds what the model and the run's events get of one tool's result or error: a longer
         * one is cut to this many characters, its last line saying it was cut and how long it was
         * ({@code [result truncated by sluice: it was N characters; only the first M characters are above]}),
         * which the model reads and a page shows. Every tool's, an MCP server's ({@link dev.sluice.mcp.McpClient}
         * cuts to its own bound first, by the same rule) or a handler's own.
         *
         * @param maxChars at least 1024; default {@value ToolRunner#DEFAULT_MAX_RESULT_CHARS}, about 25,000 tokens
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        public Builder maxResultChars(int maxChars) {
            if (maxChars < ResultBound.MIN_CHARS)
                throw new IllegalArgumentException("maxResultChars must be at least 1024: " + maxChars);
            this.maxResultChars = maxChars;
            return this;
        }

        /** {@return the runner} */
        public ToolRunner build() {
            return new ToolRunner(this);
        }
    }
}
