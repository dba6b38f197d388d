package dev.sluice.agent;

import dev.sluice.agent.AgentEvent.RunFinished.StopReason;
import dev.sluice.agent.AgentEvent.ToolFailed.Kind;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ResponseMetadata;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.value.ResultBound;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link ToolRunner}: the producer of its event stream. The producer thread is the
 * only one that emits and the only one that decides; everything else reports to it through one
 * bounded inbox, in arrival order: the turn's model reader ({@link Chunk}s, then {@link ModelEnd})
 * and each tool's thread ({@link Decided} when the call needed approval, {@link Began},
 * {@link Progress}, {@link Outcome}). A call needing approval is asked for on this thread (its
 * {@link AgentEvent.ApprovalRequested} emitted in {@code launch}); its own thread then waits for the
 * decision, so nothing else waits with it. Per-tool deadlines are
 * kept by the producer too: it waits on the inbox at most until the nearest one, and reads them
 * again after each signal (a tool's progress moves its deadline before the progress arrives).
 *
 * <p>A call is started as soon as its input is known to be complete: its arguments form a complete
 * JSON object, or a call with a higher index has begun (providers stream calls one after the other),
 * or the turn ended; Gemini's calls arrive whole and start at once.
 *
 * <p>Threading: the fields under "producer" belong to the producer thread ({@link #run}). The inbox
 * is put to by any thread. {@code over}, {@code model}, {@code modelReader} are volatile and
 * {@code live} concurrent: {@link #stop()} reads them from any thread (a cancel).
 *
 * <p>Why this file is long: the producer thread is the only one that decides, so every decision of a run
 * (turns, approvals, tool results, failures, the end) is made in this one class, on that thread.
 */
final class AgentLoop {
    private static final int INBOX_CAPACITY = 1024;
    private static final Object WAKE = new Object();

    /** A chunk of the model's stream. */
    record Chunk(MessageChunk chunk) {}

    /** The model's stream ended; failure is what it threw, or null. */
    record ModelEnd(@Nullable Throwable failure) {}

    /** A tool's handler started at {@code nanos}. */
    record Began(ToolExecution call, long nanos) {}

    /** A tool reported progress; progress and total are null when it gave none. */
    record Progress(
            ToolExecution call,
            String message,
            @Nullable Double percent,
            @Nullable Double progress,
            @Nullable Double total) {}

    /** A running tool asks the person a question. */
    record Asked(ToolExecution call, String message, Map<String, Object> schema) {}

    /** A call that waited for approval was decided (by a person, or by the approval timeout). */
    record Decided(ToolExecution call, ToolApprovals.Decision decision) {}

    /** A tool's handler returned ({@code result}) or threw ({@code failure}) at {@code nanos}. */
    record Outcome(
            ToolExecution call,
            @Nullable String result,
            @Nullable Throwable failure,
            long nanos) {}

    private final ChatProvider provider;
    private final ChatRequest base;
    private final Map<String, AgentTool> tools;
    private final int maxTurns;
    private final @Nullable Duration toolTimeout;
    private final Semaphore slots;
    private final @Nullable StreamOptions modelOptions;
    private final ApprovalPolicy approval;
    private final Duration approvalTimeout;
    private final @Nullable ToolApprovals approvals;
    private final int maxResultChars;
    private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);

    // --- any thread (stop)
    private volatile boolean over;
    private volatile @Nullable StreamController model;
    private volatile @Nullable Thread modelReader;
    private final Set<ToolExecution> live = ConcurrentHashMap.newKeySet();

    // --- producer; set first thing in run(Emitter), the producer's entry, and read only after it
    @SuppressWarnings("NullAway.Init")
    private LongSupplier nanoTime;

    @SuppressWarnings("NullAway.Init")
    private Emitter<AgentEvent> out;

    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;

    AgentLoop(
            ChatProvider provider,
            ChatRequest base,
            Map<String, AgentTool> tools,
            int maxTurns,
            @Nullable Duration toolTimeout,
            int maxParallelTools,
            @Nullable StreamOptions modelOptions,
            ApprovalPolicy approval,
            Duration approvalTimeout,
            @Nullable ToolApprovals approvals,
            int maxResultChars) {
        this.maxResultChars = maxResultChars;
        this.provider = provider;
        this.base = base;
        this.tools = tools;
        this.maxTurns = maxTurns;
        this.toolTimeout = toolTimeout;
        this.slots = new Semaphore(maxParallelTools);
        this.modelOptions = modelOptions;
        this.approval = approval;
        this.approvalTimeout = approvalTimeout;
        this.approvals = approvals;
    }

    /** {@return the run's mailbox of decisions and answers; null when the run has none (no one to ask)} */
    @Nullable
    ToolApprovals approvals() {
        return approvals;
    }

    /** The producer: runs the turns. */
    void run(Emitter<AgentEvent> emitter) throws Exception {
        out = emitter;
        nanoTime = emitter.controller().options().nanoTime();
        emitter.attach(this::stop);
        try {
            turns(new ArrayList<>(base.messages()), 1);
        } finally {
            stop();
        }
    }

    /**
     * The producer of a follow ({@link ToolRunner#follow}): one call, whose handler follows the
     * task {@code taskId} that a call of the same id started elsewhere, to its end; no model turn.
     */
    void follow(Emitter<AgentEvent> emitter, String callId, String name, String taskId) throws Exception {
        out = emitter;
        nanoTime = emitter.controller().options().nanoTime();
        emitter.attach(this::stop);
        try {
            Turn t = new Turn(1);
            if (!t.follow(0, callId, name, "{}", taskId)) return;
            while (!t.allDone()) {
                Object signal = next(t);
                if (signal == null || !toolSignal(signal)) return;
            }
        } finally {
            stop();
        }
    }

    /**
     * The producer of a run that goes on from a checkpoint ({@link ToolRunner#resume}): the
     * conversation is the base request's, ending with the turn's calls; the usage counts on from
     * the checkpoint's (the turns before ran elsewhere); each call gets the result given, or
     * follows its task, or fails as lost; then the results go back to the model and the turns go on.
     */
    void resume(
            Emitter<AgentEvent> emitter,
            int turn,
            Usage before,
            Map<String, String> tasks,
            Map<String, ToolResult> given)
            throws Exception {
        out = emitter;
        nanoTime = emitter.controller().options().nanoTime();
        emitter.attach(this::stop);
        addUsage(before);
        try {
            ChatMessage called = base.messages().getLast();
            Turn t = new Turn(turn);
            for (ToolCall call : called.toolCalls()) {
                ToolResult result = given.get(call.id());
                String task = tasks.get(call.id());
                if (result != null) t.given(call.index(), result);
                else if (task != null) {
                    if (!t.follow(call.index(), call.id(), call.name(), call.arguments(), task)) return;
                } else if (!t.lost(call.index(), call.id(), call.name())) return;
            }
            while (!t.allDone()) {
                Object signal = next(t);
                if (signal == null || !toolSignal(signal)) return;
            }
            List<ToolResult> results = new ArrayList<>();
            for (ToolCall call : called.toolCalls()) results.add(t.results.get(call.index()));
            List<ChatMessage> conversation = new ArrayList<>(base.messages());
            conversation.add(ChatMessage.toolResults(results));
            if (turn >= maxTurns) {
                ChatResponse last = new ChatResponse(
                        "",
                        called.text(),
                        called.toolCalls(),
                        "",
                        new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_calls", null),
                        null,
                        new ResponseMetadata(base.model(), 0, null, null),
                        true,
                        called.providerState());
                out.emit(finished(StopReason.TURN_LIMIT, turn, conversation, last));
                return;
            }
            turns(conversation, turn + 1);
        } finally {
            stop();
        }
    }

    /**
     * Ends everything the run started: the model's stream, its reader, every tool still running
     * (cancelled and interrupted). Idempotent; safe from any thread (the stream's cancel calls it).
     */
    void stop() {
        over = true;
        StreamController m = model;
        if (m != null) m.cancel("the tool run ended");
        Thread reader = modelReader;
        if (reader != null && reader != Thread.currentThread()) reader.interrupt();
        for (ToolExecution call : live) call.cancel();
        inbox.offer(WAKE);
    }

    /**
     * Hands a signal to the producer, waiting while the inbox is full (backpressure), until the run
     * is over. An interrupt does not lose the signal (a handler may leave its thread interrupted);
     * it is restored afterwards.
     */
    void post(Object signal) {
        boolean interrupted = false;
        try {
            while (!over) {
                try {
                    if (inbox.offer(signal, 50, TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void turns(List<ChatMessage> conversation, int first) throws Exception {
        for (int turn = first; ; turn++) {
            if (!out.emit(new AgentEvent.TurnStarted(turn))) return;
            Turn t = new Turn(turn);
            startModel(turn, base.withMessages(conversation));
            ChatResponse response = null;
            while (response == null) {
                Object signal = next(t);
                if (signal == null) return;
                if (signal instanceof Chunk(MessageChunk chunk)) {
                    if (!out.emit(new AgentEvent.ModelChunk(turn, chunk)) || !t.accept(chunk)) return;
                } else if (signal instanceof ModelEnd(Throwable failure)) {
                    if (failure != null) throw rethrow(failure);
                    response = t.aggregator.isComplete() ? t.aggregator.result() : t.aggregator.snapshot();
                } else if (!toolSignal(signal)) {
                    return;
                }
            }
            addUsage(response.usage());
            FinishReason reason = response.finishReason();
            boolean wantsTools = reason != null
                    && reason.kind() == FinishReason.Kind.TOOL_CALLS
                    && !response.toolCalls().isEmpty();
            if (!wantsTools) {
                // Calls in a turn that did not end for tools (cut short by the token limit, say) are not
                // run to the end and not repeated: a conversation must answer every call it repeats.
                if (!response.text().isEmpty() || response.providerState() != null) {
                    conversation.add(new ChatMessage(
                            ChatMessage.Role.ASSISTANT,
                            response.text(),
                            List.of(),
                            List.of(),
                            response.providerState()));
                }
                if (!out.emit(new AgentEvent.TurnEnded(turn, response, List.of()))) return;
                out.emit(finished(StopReason.MODEL_DONE, turn, conversation, response));
                return;
            }
            if (approvals != null) approvals.turnCalled(checkpoint(conversation, turn, response));
            for (ToolCall call : response.toolCalls()) {
                if (!t.startIfNew(call.index(), call.id(), call.name(), call.arguments())) return;
            }
            while (!t.allDone()) {
                Object signal = next(t);
                if (signal == null || !toolSignal(signal)) return;
            }
            List<ToolResult> results = new ArrayList<>();
            for (ToolCall call : response.toolCalls()) results.add(t.results.get(call.index()));
            conversation.add(assistantMessage(turn, response));
            conversation.add(ChatMessage.toolResults(results));
            if (!out.emit(new AgentEvent.TurnEnded(turn, response, results))) return;
            if (turn == maxTurns) {
                out.emit(finished(StopReason.TURN_LIMIT, turn, conversation, response));
                return;
            }
        }
    }

    private void startModel(int turn, ChatRequest request) {
        StreamController controller =
                modelOptions != null ? StreamController.of(modelOptions) : StreamController.create();
        model = controller;
        if (over) controller.cancel("the tool run ended");
        modelReader = Thread.ofVirtual().name("sluice-agent-model-" + turn).start(() -> {
            Throwable failure = null;
            try (EventStream<MessageChunk> chunks = provider.stream(request, controller)) {
                for (MessageChunk chunk : chunks) post(new Chunk(chunk));
            } catch (Throwable e) {
                failure = e;
            }
            post(new ModelEnd(failure));
        });
    }

    /**
     * {@return the next signal, or null when the run is over} Times out calls past their deadline
     * while it waits (their {@link AgentEvent.ToolFailed} emitted here).
     */
    private @Nullable Object next(Turn t) throws InterruptedException {
        while (true) {
            if (over || out.isOver()) return null;
            long wait = Long.MAX_VALUE;
            long now = nanoTime.getAsLong();
            for (ToolExecution call : t.running) {
                if (call.done || !call.began || !call.timed() || call.asking()) continue;
                long left = call.deadlineNanos() - now;
                if (left <= 0) {
                    if (!timeOut(call, now)) return null;
                    wait = 0;
                    break;
                }
                wait = Math.min(wait, left);
            }
            if (wait == 0) continue;
            Object signal = wait == Long.MAX_VALUE ? inbox.take() : inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (signal != null && signal != WAKE) return signal;
        }
    }

    private boolean timeOut(ToolExecution call, long now) {
        call.cancel();
        Duration timeout = Objects.requireNonNull(call.timeout(), "only a call with a timeout times out");
        String error = "the tool did not finish within " + seconds(timeout) + " s and was stopped";
        return finish(
                call,
                ToolResult.error(call.id, error),
                new AgentEvent.ToolFailed(call.turn, call.id, call.name, Kind.TIMED_OUT, error, elapsed(call, now)));
    }

    /** Handles a tool's signal; {@return false when the run is over} */
    private boolean toolSignal(Object signal) {
        return switch (signal) {
            case Began(ToolExecution call, long nanos) -> {
                if (call.done) yield true;
                call.began = true;
                call.startNanos = nanos;
                yield out.emit(new AgentEvent.ToolStarted(call.turn, call.id, call.name, call.arguments));
            }
            case Progress(ToolExecution call, String message, Double percent, Double progress, Double total) ->
                call.done
                        || out.emit(new AgentEvent.ToolProgress(
                                call.turn, call.id, call.name, message, percent, progress, total));
            case Asked(ToolExecution call, String message, Map<String, Object> schema) ->
                call.done || out.emit(new AgentEvent.InputRequested(call.turn, call.id, call.name, message, schema));
            case Decided(ToolExecution call, ToolApprovals.Decision d) -> {
                if (call.done) yield true;
                String reason = d.timedOut() ? "no one decided within " + span(call.approvalTimeout()) : d.reason();
                if (!out.emit(new AgentEvent.ApprovalDecided(call.turn, call.id, call.name, d.approved(), reason)))
                    yield false;
                if (d.approved()) yield true;
                String error = d.timedOut()
                        ? "No one approved this tool call within " + span(call.approvalTimeout()) + "; it was not run."
                        : "The user denied this tool call." + (reason.isEmpty() ? "" : " Their reason: " + reason);
                yield finish(
                        call,
                        ToolResult.error(call.id, error),
                        new AgentEvent.ToolFailed(call.turn, call.id, call.name, Kind.DENIED, error, Duration.ZERO));
            }
            case Outcome(ToolExecution call, String result, Throwable failure, long nanos) -> {
                if (call.done) yield true;
                if (failure == null && result != null) {
                    String bounded = ResultBound.cut(result, maxResultChars);
                    yield finish(
                            call,
                            ToolResult.of(call.id, bounded),
                            new AgentEvent.ToolCompleted(call.turn, call.id, call.name, bounded, elapsed(call, nanos)));
                }
                String error = failure == null
                        ? "the tool returned no result (null)"
                        : ResultBound.cut(describe(failure), maxResultChars);
                yield finish(
                        call,
                        ToolResult.error(call.id, error),
                        new AgentEvent.ToolFailed(
                                call.turn, call.id, call.name, Kind.HANDLER_FAILED, error, elapsed(call, nanos)));
            }
            default -> true; // a late chunk or model end of an earlier turn cannot happen: one reader at a time
        };
    }

    private boolean finish(ToolExecution call, ToolResult result, AgentEvent event) {
        call.done = true;
        live.remove(call);
        call.owner.results.put(call.index, result);
        return out.emit(event);
    }

    private static Duration elapsed(ToolExecution call, long nanos) {
        return call.began ? Duration.ofNanos(Math.max(0, nanos - call.startNanos)) : Duration.ZERO;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message != null && !message.isBlank()
                ? message
                : failure.getClass().getSimpleName();
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** {@return a duration as a person says it: "10 minutes", "1 hour", "1.5 seconds"} */
    static String span(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() == 0 && s > 0 && s % 3600 == 0) return plural(s / 3600, "hour");
        if (d.getNano() == 0 && s > 0 && s % 60 == 0) return plural(s / 60, "minute");
        String n = seconds(d);
        return n + (n.equals("1") ? " second" : " seconds");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static Exception rethrow(Throwable failure) {
        if (failure instanceof Exception e) return e;
        throw (Error) failure;
    }

    private void addUsage(@Nullable Usage usage) {
        if (usage == null) return;
        inputTokens += usage.inputTokens();
        outputTokens += usage.outputTokens();
        cacheReadTokens += usage.cacheReadTokens();
        cacheWriteTokens += usage.cacheWriteTokens();
    }

    /** {@return the tokens of the run's turns so far, added up} */
    private Usage usage() {
        return new Usage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens);
    }

    private AgentEvent.RunFinished finished(
            StopReason reason, int turn, List<ChatMessage> conversation, ChatResponse last) {
        return new AgentEvent.RunFinished(reason, turn, conversation, usage(), last);
    }

    /**
     * The model's answer as the next request repeats it: calls without an id get the one their
     * results use, and calls whose arguments are not a JSON object are repeated with {@code {}}
     * (providers refuse to take them back; the model reads why in the call's error result).
     */
    private static ChatMessage assistantMessage(int turn, ChatResponse response) {
        List<ToolCall> calls = new ArrayList<>(response.toolCalls().size());
        for (ToolCall c : response.toolCalls()) {
            String id = callId(turn, c.index(), c.id());
            boolean object = c.argumentsValid() && c.parsedArguments() instanceof Map<?, ?>;
            calls.add(
                    object && id.equals(c.id())
                            ? c
                            : ToolCall.of(c.index(), id, c.name(), object ? c.arguments() : "{}"));
        }
        return new ChatMessage(ChatMessage.Role.ASSISTANT, response.text(), calls, List.of(), response.providerState());
    }

    /**
     * {@return where the run stands once turn's model called tools: the base request with the
     * conversation and the model's answer, and the request's own tools (not the runner's, which
     * a runner going on with it adds again)}
     */
    private TurnCheckpoint checkpoint(List<ChatMessage> conversation, int turn, ChatResponse response) {
        List<ChatMessage> messages = new ArrayList<>(conversation);
        messages.add(assistantMessage(turn, response));
        List<Tool> own = new ArrayList<>();
        for (Tool declared : base.tools()) if (!tools.containsKey(declared.name())) own.add(declared);
        return new TurnCheckpoint(
                new ChatRequest(
                        base.model(),
                        base.system(),
                        messages,
                        own,
                        base.maxTokens(),
                        base.temperature(),
                        base.stopSequences(),
                        base.thinkingBudget(),
                        base.responseFormat(),
                        base.toolChoice(),
                        base.effort(),
                        base.promptCache(),
                        base.showThinking()),
                turn,
                usage());
    }

    private static String callId(int turn, int index, String id) {
        return id == null || id.isBlank() ? "sluice-call-" + turn + "-" + index : id;
    }

    /** One turn's calls, as their deltas arrive. Producer thread only. */
    final class Turn {
        final int turn;
        final ChunkAggregator aggregator = new ChunkAggregator();
        final TreeMap<Integer, Pending> pending = new TreeMap<>();
        final List<ToolExecution> running = new ArrayList<>();
        final TreeMap<Integer, ToolResult> results = new TreeMap<>();
        private int started;

        Turn(int turn) {
            this.turn = turn;
        }

        /** A call whose input is still arriving. */
        static final class Pending {
            @Nullable
            String id;

            @Nullable
            String name;

            final StringBuilder arguments = new StringBuilder();
            boolean started;
        }

        /** Aggregates a chunk and starts the calls it completes; {@return false when the run is over} */
        boolean accept(MessageChunk chunk) {
            aggregator.accept(chunk);
            if (chunk.failover() != null && chunk.failover().reset()) restart();
            for (ToolCallDelta delta : chunk.toolCalls()) {
                Pending p = pending.computeIfAbsent(delta.index(), i -> new Pending());
                if (p.id == null && delta.id() != null) p.id = delta.id();
                if (p.name == null && delta.name() != null) p.name = delta.name();
                p.arguments.append(delta.arguments());
                for (Map.Entry<Integer, Pending> earlier :
                        pending.headMap(delta.index()).entrySet()) {
                    if (!start(earlier.getKey(), earlier.getValue())) return false;
                }
                if (!p.started && p.name != null && closesObject(p.arguments)) {
                    PartialJson.Result parsed = PartialJson.parse(p.arguments);
                    if (parsed.isValid() && parsed.value() instanceof Map<?, ?> && !start(delta.index(), p))
                        return false;
                }
            }
            return true;
        }

        /**
         * A fallback chain restarts the turn on its next target: the calls of the failed attempt
         * are dropped, those running stopped (their late outcomes ignored), the new answer's own run.
         */
        private void restart() {
            for (ToolExecution call : running) {
                if (call.done) continue;
                call.done = true;
                live.remove(call);
                call.cancel();
            }
            running.clear();
            pending.clear();
            results.clear();
            started = 0;
        }

        private static boolean closesObject(StringBuilder arguments) {
            for (int i = arguments.length() - 1; i >= 0; i--) {
                char c = arguments.charAt(i);
                if (!Character.isWhitespace(c)) return c == '}';
            }
            return false;
        }

        private boolean start(int index, Pending p) {
            if (p.started) return true;
            p.started = true;
            return launch(index, p.id == null ? "" : p.id, p.name == null ? "" : p.name, p.arguments.toString());
        }

        /** Starts a call of the final response that was not started while streaming. */
        boolean startIfNew(int index, String id, String name, String arguments) {
            Pending p = pending.get(index);
            if (p != null && p.started) return true;
            if (p != null) p.started = true;
            return launch(index, id, name, arguments);
        }

        boolean allDone() {
            return results.size() == started;
        }

        /** Checks a complete call and starts its handler, or records why it cannot run. */
        @SuppressWarnings("unchecked")
        private boolean launch(int index, String rawId, String name, String arguments) {
            started++;
            String id = callId(turn, index, rawId);
            AgentTool tool = tools.get(name);
            if (tool == null) {
                String error =
                        "there is no tool named '" + name + "'; the tools are " + String.join(", ", tools.keySet());
                return reject(index, id, name, Kind.UNKNOWN_TOOL, error);
            }
            PartialJson.Result parsed = PartialJson.parse(arguments.isBlank() ? "{}" : arguments);
            if (!parsed.isValid()) {
                return reject(
                        index,
                        id,
                        name,
                        Kind.INVALID_ARGUMENTS,
                        "the arguments are not valid JSON (" + parsed.error()
                                + "); send a JSON object matching the tool's input schema");
            }
            if (!(parsed.value() instanceof Map<?, ?> map)) {
                return reject(
                        index,
                        id,
                        name,
                        Kind.INVALID_ARGUMENTS,
                        "the arguments must be a JSON object, not " + arguments.strip());
            }
            List<String> missing = new ArrayList<>();
            if (tool.definition().inputSchema().get("required") instanceof List<?> required) {
                for (Object r : required) if (r instanceof String field && !map.containsKey(field)) missing.add(field);
            }
            if (!missing.isEmpty()) {
                return reject(
                        index,
                        id,
                        name,
                        Kind.INVALID_ARGUMENTS,
                        "missing required argument" + (missing.size() > 1 ? "s" : "") + ": "
                                + String.join(", ", missing));
            }
            boolean ask = approval.requiresApproval(tool);
            ToolExecution call = new ToolExecution(
                    AgentLoop.this,
                    this,
                    turn,
                    index,
                    id,
                    name,
                    arguments,
                    (Map<String, Object>) map,
                    tool.handler(),
                    slots,
                    toolTimeout,
                    nanoTime,
                    ask
                            ? Objects.requireNonNull(approvals, "approvals").open(id)
                            : null, // run(..) refuses a policy that asks without them
                    approvalTimeout);
            running.add(call);
            live.add(call);
            if (over || (ask && !out.emit(new AgentEvent.ApprovalRequested(turn, id, name, arguments)))) {
                call.cancel();
                call.endApproval();
                return false;
            }
            call.start();
            return true;
        }

        /** A call of a resumed turn that had ended: its result as given. */
        void given(int index, ToolResult result) {
            started++;
            results.put(index, result);
        }

        /** A call of a resumed turn that ran where the run stopped, and has no task to follow. {@return false when the run is over} */
        boolean lost(int index, String id, String name) {
            started++;
            return reject(
                    index,
                    id,
                    name,
                    Kind.HANDLER_FAILED,
                    "the call was lost: the process running it stopped before it ended, and it was not run again");
        }

        /** Starts a call whose tool's handler follows the task a call of that id started elsewhere. {@return false when the run is over} */
        boolean follow(int index, String id, String name, String arguments, String taskId) {
            started++;
            AgentTool tool = tools.get(name);
            if (tool == null) {
                return reject(
                        index,
                        id,
                        name,
                        Kind.UNKNOWN_TOOL,
                        "there is no tool named '" + name + "' here to follow its task");
            }
            ToolHandler follows = (ignored, context) -> tool.handler().follow(taskId, context);
            ToolExecution call = new ToolExecution(
                    AgentLoop.this,
                    this,
                    turn,
                    index,
                    id,
                    name,
                    arguments,
                    Map.of(),
                    follows,
                    slots,
                    toolTimeout,
                    nanoTime,
                    null,
                    approvalTimeout);
            running.add(call);
            live.add(call);
            if (over) {
                call.cancel();
                return false;
            }
            call.start();
            return true;
        }

        private boolean reject(int index, String id, String name, Kind kind, String error) {
            results.put(index, ToolResult.error(id, error));
            return out.emit(new AgentEvent.ToolFailed(turn, id, name, kind, error, Duration.ZERO));
        }
    }
}
