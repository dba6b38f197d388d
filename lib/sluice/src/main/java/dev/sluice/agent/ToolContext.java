package dev.sluice.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a running {@link ToolHandler} can ask and tell the tool runner: report progress (an
 * {@link AgentEvent.ToolProgress} in the run's event stream), see whether it should stop, and when
 * its time runs out. Each call has its own context; the methods are safe from any thread (a
 * handler may fan out).
 */
public interface ToolContext {

    /** {@return the id of the tool call being answered} */
    String callId();

    /** {@return the name of the tool called} */
    String toolName();

    /**
     * Reports progress without a percentage. Each report, in any of the three forms, starts the
     * runner's per-tool timeout again. Blocks while the run's consumer is far behind
     * (backpressure); after the call has ended or been cancelled, does nothing.
     *
     * @param message what is happening, for a person to read; not null
     */
    void progress(String message);

    /**
     * Reports progress with a percentage, for a progress bar.
     *
     * @param message what is happening, for a person to read; not null
     * @param percent how far the call has come, from 0 to 100
     * @throws IllegalArgumentException if percent is not within 0 to 100
     */
    void progress(String message, double percent);

    /**
     * Reports progress as an amount done of a total, as MCP's {@code notifications/progress} does:
     * the event carries both, and its {@code percent} is {@code 100 * progress / total} when the
     * total is known (null when it is not). A handler that cannot tell the total passes null and
     * may let {@code progress} grow without bound.
     *
     * <p>The default implementation (for contexts other than the runner's) reports the derived
     * percent, or no percent, through the two other methods.
     *
     * @param message what is happening, for a person to read; not null
     * @param progress how much is done, in the tool's own unit; finite and not negative
     * @param total how much there is to do, in the same unit; null when unknown, else finite,
     *     positive, and not less than {@code progress}
     * @throws IllegalArgumentException if progress is negative or not finite, or total is not
     *     finite, not positive, or less than progress (a tool that overshoots its total should
     *     raise the total it reports)
     */
    default void progress(String message, double progress, @Nullable Double total) {
        Double percent = ToolExecution.percent(progress, total);
        if (percent == null) progress(message);
        else progress(message, percent);
    }

    /**
     * Says the call is alive without reporting anything a person would read (an MCP task whose
     * server answered a poll, still working): starts the runner's per-tool timeout again, as a
     * progress report does, and emits nothing. Does nothing by default (for contexts other than
     * the runner's).
     */
    default void keepAlive() {}

    /**
     * Says that the call runs as a task on its server (an MCP task) and gives the task's handle, so
     * that whoever runs the run can keep it where the run is kept and follow the task to its end
     * from elsewhere should this process stop ({@link ToolHandler#follow}). The runner hands it to
     * the run's {@link ToolApprovals} ({@link ToolApprovals#onTask}); it is in no event of the run.
     * Does nothing by default (for contexts other than the runner's).
     *
     * @param taskId the task's id, as its server gave it
     */
    default void task(String taskId) {}

    /**
     * Asks the person behind the run a question for the tool (an MCP server's elicitation, a task's
     * {@code input_required}) and waits for the answer, parked: the run emits
     * {@link AgentEvent.InputRequested} ({@code tool_input}), and the answer comes through the
     * run's {@link ToolApprovals} ({@link ToolApprovals#answer}, or {@link ToolApprovals#decide}
     * with false to decline), within the runner's {@linkplain ToolRunner.Builder#approvalTimeout
     * approval timeout}. The per-tool timeout does not run while the person is asked.
     *
     * <p>The default implementation (for contexts other than the runner's) has no one to ask.
     *
     * @param message the question, for a person to read
     * @param schema the JSON Schema of the answer: an object of primitive properties
     * @return the answer, an object matching the schema; empty when the person declined
     * @throws InterruptedException when the call was cancelled while it waited
     * @throws UnsupportedOperationException when no one can answer: the run has no
     *     {@link ToolApprovals}, its application said so ({@link ToolApprovals#unanswered}), or no
     *     one answered within the approval timeout; the message says which
     */
    default Optional<Map<String, Object>> requestInput(String message, Map<String, Object> schema)
            throws InterruptedException {
        throw new UnsupportedOperationException("no one can answer the tool's questions here");
    }

    /**
     * {@return whether the call should stop: the run was cancelled, or the call ran past its
     * {@linkplain #deadline() deadline}} The handler's thread is interrupted at the same moment.
     */
    boolean isCancelled();

    /**
     * {@return when the call's time runs out unless it reports progress (the runner's per-tool
     * timeout, which each progress report starts again: the deadline then moves later); empty
     * when it has none}
     */
    Optional<Instant> deadline();

    /** {@return the time left until the {@linkplain #deadline() deadline}, never negative; empty when there is none} */
    Optional<Duration> remaining();
}
