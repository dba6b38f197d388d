package dev.sluice.agent;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One run's mailbox of approval decisions: the calls that wait for approval
 * ({@link AgentEvent.ApprovalRequested}) or for the answer to a tool's question
 * ({@link AgentEvent.InputRequested}), and the decisions and answers a person gives for them, from
 * any thread. Make one per run and pass it to {@link ToolRunner#run(dev.sluice.chat.ChatRequest,
 * dev.sluice.stream.StreamController, ToolApprovals)}:
 *
 * <pre>{@code
 * ToolApprovals approvals = ToolApprovals.create();
 * try (EventStream<AgentEvent> events = runner.run(request, StreamController.create(), approvals)) {
 *     for (AgentEvent event : events) {
 *         if (event instanceof AgentEvent.ApprovalRequested asked) {
 *             // show asked.name() and asked.arguments(); later, from any thread:
 *             approvals.decide(asked.id(), true, "");
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: every method is safe from any thread. A call's entry is added by the run before
 * its {@code tool_approval} event is emitted, so a decision for an id seen in that event always
 * finds it; each call is decided once, by whichever comes first of {@link #decide}, the approval
 * timeout and the run's end.
 */
public final class ToolApprovals {
    /**
     * A decision: approved or not, why, and whether it was the timeout's; for a question, the
     * answer's content (approved), or that no one will answer.
     */
    record Decision(
            boolean approved,
            String reason,
            boolean timedOut,
            @Nullable Map<String, Object> content,
            boolean unanswered) {
        Decision(boolean approved, String reason, boolean timedOut) {
            this(approved, reason, timedOut, null, false);
        }
    }

    private static final Decision ENDED = new Decision(false, "the run ended", false);

    private final Map<String, CompletableFuture<Decision>> calls = new ConcurrentHashMap<>();
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile TaskListener tasks = (callId, toolName, taskId) -> {};

    private ToolApprovals() {}

    /** {@return a new, empty mailbox for one run} */
    public static ToolApprovals create() {
        return new ToolApprovals();
    }

    /**
     * Decides a call that waits for approval.
     *
     * @param callId the call's id, as in {@link AgentEvent.ApprovalRequested#id()}
     * @param approved true to run the call, false to deny it
     * @param reason why, for the model to read when denied; may be null or empty
     * @return true if the call was waiting and is now decided; false if no call of that id waits
     *     (unknown, already decided, timed out, or its run ended)
     * @throws NullPointerException if callId is null
     */
    public boolean decide(String callId, boolean approved, @Nullable String reason) {
        Objects.requireNonNull(callId, "callId");
        CompletableFuture<Decision> call = calls.get(callId);
        return call != null && call.complete(new Decision(approved, reason == null ? "" : reason.strip(), false));
    }

    /**
     * Answers a tool's question ({@link AgentEvent.InputRequested}): the tool gets the content.
     *
     * @param callId the call's id, as in {@link AgentEvent.InputRequested#id()}
     * @param content the answer, an object matching the question's schema, in the JSON value model
     *     of {@link dev.sluice.chat.PartialJson}
     * @return true if the call was waiting and now has its answer; false if no call of that id waits
     * @throws NullPointerException if an argument is null
     */
    public boolean answer(String callId, Map<String, Object> content) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(content, "content");
        CompletableFuture<Decision> call = calls.get(callId);
        return call != null && call.complete(new Decision(true, "", false, Map.copyOf(content), false));
    }

    /**
     * Says that no one will answer a tool's question (no person is at hand): the tool is told at
     * once, and an MCP task that asked is cancelled, the model reading {@code reason}. To decline
     * an answer instead, {@link #decide} with false.
     *
     * @param callId the call's id, as in {@link AgentEvent.InputRequested#id()}
     * @param reason why no one answers, for the model to read
     * @return true if the call was waiting and is now told; false if no call of that id waits
     * @throws NullPointerException if an argument is null
     */
    public boolean unanswered(String callId, String reason) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(reason, "reason");
        CompletableFuture<Decision> call = calls.get(callId);
        return call != null && call.complete(new Decision(false, reason.strip(), false, null, true));
    }

    /**
     * Receives the handles of the tasks the run's tool calls start on their servers (MCP Tasks):
     * the run's owner keeps them where the run is kept — and nowhere a third party could read them,
     * since whoever holds a handle may poll, answer or cancel the task — so that a task can be
     * followed to its end from elsewhere ({@link ToolHandler#follow}) when the process running the
     * run stops. A relay with a shared store keeps them with the stream.
     */
    @FunctionalInterface
    public interface TaskListener {
        /**
         * A call's task was created. Called on the call's thread, once per task, before its first
         * status; it should not block for long (the call waits).
         *
         * @param callId the call's id, as in {@link AgentEvent.ToolStarted#id()}
         * @param toolName the tool's name
         * @param taskId the task's id, as its server gave it
         */
        void started(String callId, String toolName, String taskId);

        /**
         * A turn's model has called tools: where the run stands, to keep with the handles so that
         * the run can go on elsewhere ({@link ToolRunner#resume}). Called on the run's thread once
         * per such turn, as its calls start (a call's task may have begun while the model still
         * streamed the turn); it should not block for long. What it throws is ignored. The default
         * drops it.
         *
         * @param checkpoint the run's conversation up to the turn's calls
         */
        default void calledTools(TurnCheckpoint checkpoint) {}
    }

    /**
     * Sets who receives the handles of the tasks the run's calls start (replacing the one set
     * before; by default they are dropped).
     *
     * @param listener receives each task's handle
     * @return this mailbox
     * @throws NullPointerException if listener is null
     */
    public ToolApprovals onTask(TaskListener listener) {
        tasks = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** A call's task was created: its handle goes to the {@link #onTask} listener. */
    void taskStarted(String callId, String toolName, String taskId) {
        tasks.started(callId, toolName, taskId);
    }

    /** A turn's model has called tools: the checkpoint goes to the {@link #onTask} listener. */
    void turnCalled(TurnCheckpoint checkpoint) {
        try {
            tasks.calledTools(checkpoint);
        } catch (RuntimeException e) {
            // the owner could not keep it: the run goes on here all the same
        }
    }

    /** {@return the ids of the calls waiting for a decision now, in no particular order; a copy} */
    public Set<String> pending() {
        Set<String> ids = new LinkedHashSet<>();
        calls.forEach((id, call) -> {
            if (!call.isDone()) ids.add(id);
        });
        return Set.copyOf(ids);
    }

    @Override
    public String toString() {
        return "ToolApprovals[pending=" + pending().size() + "]";
    }

    /**
     * Binds the mailbox to a run.
     *
     * @throws IllegalStateException if another run already uses it
     */
    void claim() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "these ToolApprovals belong to another run: make one per run with ToolApprovals.create()");
        }
    }

    /**
     * Opens a call's entry (the run's producer thread, before it emits the call's request). An
     * earlier call of the same id (one a fallback chain's restart dropped) is closed to decisions.
     */
    CompletableFuture<Decision> open(String callId) {
        CompletableFuture<Decision> call = new CompletableFuture<>();
        CompletableFuture<Decision> earlier = calls.put(callId, call);
        if (earlier != null) earlier.complete(ENDED);
        return call;
    }

    /**
     * Waits for a call's decision, parking the calling thread, at most {@code timeout}.
     *
     * @return the decision; a timed-out one when no one decided in time
     * @throws InterruptedException when the thread is interrupted (the run was cancelled); the call
     *     is then closed to decisions
     */
    static Decision await(CompletableFuture<Decision> call, Duration timeout) throws InterruptedException {
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.complete(new Decision(false, "", true));
            return call.join(); // a decision that raced the timeout wins
        } catch (InterruptedException e) {
            call.complete(ENDED);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    /** Closes a call to decisions without a decision (its run ended). */
    static void end(CompletableFuture<Decision> call) {
        call.complete(ENDED);
    }
}
