package dev.sluice.mcp;

import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One tool of an MCP server, as {@link McpClient#tools()} lists it, and the way to call it. The
 * tool runner offers it to a model through {@code dev.sluice.agent.McpTools}.
 *
 * <p>Thread-safe: a tool may be called from many threads at once; each call blocks its own.
 */
public final class McpTool {
    private final McpClient client;
    private final String name;
    private final String modelName;
    private final String description;
    private final Map<String, Object> inputSchema;
    private final ParamHeaders headers;
    private final boolean task;

    McpTool(
            McpClient client,
            String name,
            String modelName,
            String description,
            Map<String, Object> inputSchema,
            ParamHeaders headers,
            boolean task) {
        this.client = client;
        this.name = name;
        this.modelName = modelName;
        this.description = description;
        this.inputSchema = inputSchema;
        this.headers = headers;
        this.task = task;
    }

    /**
     * {@return whether the client asks for this tool's calls to run as tasks (MCP 2025-11-25
     * basic/utilities/tasks, "Tool-Level Negotiation"): the server declared task-augmented
     * {@code tools/call} and the tool's {@code execution.taskSupport} is {@code required} or
     * {@code optional}} Under the 2026-07-28 tasks extension the server decides per call instead,
     * and this is false: any call may come back as a task.
     */
    public boolean task() {
        return task;
    }

    /** {@return the tool's name as the server gives it, which {@code tools/call} uses} */
    public String name() {
        return name;
    }

    /**
     * {@return the tool's name as every provider accepts it: {@link #name()} with each character
     * other than {@code a-z A-Z 0-9 _ -} made {@code _}, and a {@code _} before a leading digit or
     * hyphen; at most 64 characters}
     */
    public String modelName() {
        return modelName;
    }

    /** {@return the server's description of the tool; {@code ""} when it gives none} */
    public String description() {
        return description;
    }

    /** {@return the JSON Schema of the tool's arguments, as the server gives it ({@code {"type":"object"}} when it gives none)} */
    public Map<String, Object> inputSchema() {
        return inputSchema;
    }

    /** {@return the name of the server that offers the tool: its client's {@link McpClient#name()}} */
    public String server() {
        return client.name();
    }

    /**
     * Calls the tool and waits for its result, as {@link #call(Map, ProgressListener, BooleanSupplier)}
     * does; only an interrupt of the calling thread cancels the call.
     *
     * @param arguments the call's arguments, a JSON object
     * @param progress receives the call's progress reports, on the calling thread
     * @return what the model reads as the tool's result
     * @throws dev.sluice.McpException as {@link #call(Map, ProgressListener, BooleanSupplier)} does
     * @throws NullPointerException if an argument is null
     */
    public String call(Map<String, Object> arguments, ProgressListener progress) {
        return call(arguments, progress, () -> false);
    }

    /**
     * Calls the tool ({@code tools/call} with a progress token of this call's own) and waits for
     * its result. Each {@code notifications/progress} of the call goes to {@code progress} and
     * starts the client's {@linkplain McpClient.Builder#progressTimeout progress timeout} again;
     * the {@linkplain McpClient.Builder#callTimeout call timeout} caps the whole call. When
     * {@code cancelled} turns true (it is read a few times a second) or the calling thread is
     * interrupted, the call is cancelled on the server ({@code notifications/cancelled}, or on
     * 2026-07-28 HTTP its response stream closed) and this method throws; an interrupt stays set.
     *
     * @param arguments the call's arguments, a JSON object in the value model of
     *     {@link dev.sluice.chat.PartialJson}
     * @param progress receives the call's progress reports, on the calling thread
     * @param cancelled read while the call waits: true cancels it
     * @return what the model reads as the tool's result: text as it is, other content as a note,
     *     structured content as its JSON text, blocks joined with a line feed
     * @throws dev.sluice.McpException if the tool reports an error ({@code isError}) or asks for
     *     input, the server answers with an error, goes away or runs past a timeout, or the call is
     *     cancelled
     * @throws NullPointerException if an argument is null
     * @throws RuntimeException what {@code progress} throws; the call is then cancelled on the server
     */
    public String call(Map<String, Object> arguments, ProgressListener progress, BooleanSupplier cancelled) {
        return call(arguments, progress, cancelled, InputHandler.NONE);
    }

    /**
     * Calls the tool as {@link #call(Map, ProgressListener, BooleanSupplier)} does, with a person
     * to answer the server's questions, and runs it as a task when the server offers it as one
     * (MCP Tasks: the 2025-11-25 specification's experimental tasks, negotiated per tool, or the
     * 2026-07-28 extension {@code io.modelcontextprotocol/tasks}, where the server decides):
     * the client then polls the task ({@code tasks/get}, as often as the server's
     * {@code pollInterval} asks, else from 250 ms growing to 5 s while nothing changes, and reads
     * the server's status notifications as they come), reports each new status message to
     * {@code progress} ({@link ProgressListener#status}), and returns the task's result as a plain
     * call's. A task that ends {@code failed} or {@code cancelled} throws, as a tool error does.
     *
     * <p>A question of the server (an {@code elicitation/create} request, or a task's
     * {@code input_required} with its {@code inputRequests}) goes to {@code input}; its answer goes
     * back ({@code accept} with the content, or {@code decline}). When {@code input} has no one to
     * ask ({@link InputHandler#NONE}), a task is cancelled and the call throws saying so.
     *
     * <p>Cancelling the call ({@code cancelled} true or an interrupt) sends {@code tasks/cancel}
     * for a task within a second (on a thread of its own, so the call returns at once).
     *
     * @param input answers the server's questions for the person behind the call
     * @return what the model reads as the tool's result
     * @throws dev.sluice.McpException as {@link #call(Map, ProgressListener, BooleanSupplier)} does,
     *     and when a task fails, is cancelled, or asks a question no one can answer
     * @throws NullPointerException if an argument is null
     */
    public String call(
            Map<String, Object> arguments, ProgressListener progress, BooleanSupplier cancelled, InputHandler input) {
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(input, "input");
        return client.call(name, arguments, progress, cancelled, headers.headers(arguments), input, task);
    }

    /**
     * Follows a task of this tool that another call started — a call of another client of the same
     * server, such as one on a relay node that stopped — from its id ({@link ProgressListener#task})
     * to its end, as {@link #call(Map, ProgressListener, BooleanSupplier, InputHandler)} follows the
     * task it starts: the status messages go to {@code progress}, the server's questions to
     * {@code input}, a cancel sends {@code tasks/cancel}, and the task's result is returned as a
     * plain call's. No {@code tools/call} is sent: the tool does not run again.
     *
     * @param taskId the task's id, as the server gave it
     * @param progress receives the task's status messages, on the calling thread
     * @param cancelled read while the task is followed: true cancels it
     * @param input answers the server's questions for the person behind the call
     * @return what the model reads as the tool's result
     * @throws dev.sluice.McpException as {@link #call(Map, ProgressListener, BooleanSupplier, InputHandler)}
     *     does; of kind {@link dev.sluice.McpException.Kind#UNAVAILABLE UNAVAILABLE}, saying the task
     *     cannot be followed from here, when the server runs no tasks for this client or does not
     *     know the task here (a stdio server's process of another machine, a server that keeps its
     *     tasks per session)
     * @throws NullPointerException if an argument is null
     */
    public String follow(String taskId, ProgressListener progress, BooleanSupplier cancelled, InputHandler input) {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(input, "input");
        return client.follow(name, taskId, progress, cancelled, input);
    }

    @Override
    public String toString() {
        return "McpTool[" + server() + "/" + name + "]";
    }
}
