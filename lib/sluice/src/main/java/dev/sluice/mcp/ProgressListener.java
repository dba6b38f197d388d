package dev.sluice.mcp;

import org.jspecify.annotations.Nullable;

/**
 * Receives the progress of one tool call as the server reports it ({@code notifications/progress}
 * with that call's progress token) and, for a call the server runs as a task (MCP Tasks), each new
 * status message of the task. Called on the thread that made the call, between the call's start
 * and its end, once per notification or new status, in the server's order.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that drops every report. */
    ProgressListener NONE = (message, progress, total) -> {};

    /**
     * Takes one progress report.
     *
     * @param message what the server says is happening; {@code ""} when it says nothing
     * @param progress how much is done, in the tool's own unit; finite and not negative
     * @param total how much there is to do, in the same unit, not less than {@code progress}; null
     *     when the server does not say
     */
    void progress(String message, double progress, @Nullable Double total);

    /**
     * Takes a task's new status message: what the server says the task is doing now (its
     * {@code statusMessage}, from a {@code tasks/get} answer or a status notification). Called once
     * per new message, in the order the server changed them; a message the server repeats is not
     * reported again. Does nothing by default.
     *
     * @param message the server's status message, cleaned; not empty
     */
    default void status(String message) {}

    /**
     * Says that a task is still working though nothing new was reported: the server answered a
     * poll. Does nothing by default; the tool runner takes it as a sign of life for its per-tool
     * timeout.
     */
    default void alive() {}

    /**
     * Says that the server runs the call as a task, and gives the task's id: its handle, for the
     * caller to keep with the run (only there: whoever holds it may poll, answer or cancel the task
     * through its server), so that the task can be followed to its end from elsewhere with
     * {@link McpTool#follow} when this call cannot go on (its process stopped). Called once, on the
     * calling thread, before the task's first status. Does nothing by default.
     *
     * @param taskId the id the server gave the task
     */
    default void task(String taskId) {}
}
