package dev.sluice.agent;

import java.util.Map;

/**
 * What a tool does when the model calls it. Runs on a virtual thread of its own, one per call,
 * while the model may still be streaming and other tools may be running.
 *
 * <pre>{@code
 * ToolHandler weather = (arguments, context) -> {
 *     String city = (String) arguments.get("city");
 *     context.progress("asking the weather service");
 *     return "{\"city\":\"" + city + "\",\"celsius\":18}";
 * };
 * }</pre>
 *
 * <p>Whatever it throws is not the user's problem but the model's: the exception's message goes
 * back to the model as a tool result marked as an error ({@link AgentEvent.ToolFailed}), and the
 * run goes on. A handler should stop when it is {@linkplain ToolContext#isCancelled() cancelled}
 * (the run was cancelled, or its time ran out): its thread is then also interrupted, so blocking
 * calls throw {@link InterruptedException}. A handler that ignores both runs to its end on its own
 * thread, but its result is no longer used.
 */
@FunctionalInterface
public interface ToolHandler {

    /**
     * Runs the tool.
     *
     * @param arguments the call's arguments, checked to be a JSON object with every property the
     *     tool's schema lists as {@code required}; in the JSON value model of
     *     {@link dev.sluice.chat.PartialJson} (unmodifiable maps and lists, {@code String},
     *     {@code Long}/{@code BigInteger}/{@code BigDecimal}, {@code Boolean}, null)
     * @param context progress reports, the cancel flag and the deadline of this call
     * @return what the model reads as the tool's result: text, JSON text is fine; not null
     * @throws Exception when the tool fails; its message is what the model reads
     */
    String call(Map<String, Object> arguments, ToolContext context) throws Exception;

    /**
     * Follows to its end a task that a call of this tool started elsewhere and could not finish
     * (its relay node stopped): the call's {@linkplain ToolContext#task task handle} is all it is
     * given, and the tool does not run again. An MCP server's tool ({@link McpTools}) follows the
     * task on its server ({@link dev.sluice.mcp.McpTool#follow}); other tools start no tasks, and
     * by default throw {@link UnsupportedOperationException}.
     *
     * @param taskId the handle the call was given
     * @param context progress reports, questions, the cancel flag and the deadline, as a call's
     * @return what the model reads as the tool's result
     * @throws Exception when the task failed or cannot be followed from here; its message is what
     *     the model and the person read
     */
    default String follow(String taskId, ToolContext context) throws Exception {
        throw new UnsupportedOperationException("this tool starts no tasks to follow");
    }
}
