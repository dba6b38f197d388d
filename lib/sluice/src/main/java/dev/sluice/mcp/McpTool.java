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

    McpTool(
            McpClient client,
            String name,
            String modelName,
            String description,
            Map<String, Object> inputSchema,
            ParamHeaders headers) {
        this.client = client;
        this.name = name;
        this.modelName = modelName;
        this.description = description;
        this.inputSchema = inputSchema;
        this.headers = headers;
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
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        return client.call(name, arguments, progress, cancelled, headers.headers(arguments));
    }

    @Override
    public String toString() {
        return "McpTool[" + server() + "/" + name + "]";
    }
}
