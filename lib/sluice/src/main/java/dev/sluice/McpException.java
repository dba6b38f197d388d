package dev.sluice;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An MCP server could not be used, or one of its tool calls failed: {@link #kind()} says how,
 * {@link #server()} names the server and {@link #tool()} the tool, when a call failed. Thrown by
 * {@code dev.sluice.mcp.McpClient} (connecting, listing tools) and by the handlers of the tools it
 * offers, where the tool runner turns it into a failed tool result: the message is written for the
 * model (and a person) to read, naming the server and the tool, and what the server said.
 *
 * <p>The message never holds the request's headers (an {@code Authorization} header stays out).
 */
public final class McpException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** How the server or the call failed. */
    public enum Kind {
        /** The server could not be reached or started, or it went away (the connection closed, the process exited). */
        UNAVAILABLE,
        /** The server answered with something MCP does not allow (malformed JSON, an unexpected status or content type). */
        PROTOCOL,
        /** The server answered the request with a JSON-RPC error. */
        ERROR,
        /** The tool ran and reported a failure ({@code isError} in its result), or asked for input this client does not give. */
        TOOL_ERROR,
        /** The server sent nothing (no progress, no result) for the progress timeout, or the call ran past its call timeout. */
        TIMEOUT,
        /** The call was cancelled (the run was cancelled, or the waiting thread interrupted). */
        CANCELLED;

        /** {@return the kind's name in lower case: {@code tool_error} ...} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String server;
    private final @Nullable String tool;

    /**
     * @param kind how it failed
     * @param server the server's name
     * @param tool the tool called, or null when no call was under way
     * @param message what happened, for a person and a model to read; never credentials
     * @param cause the underlying failure, or null
     * @throws NullPointerException if kind, server or message is null
     */
    public McpException(Kind kind, String server, @Nullable String tool, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.server = Objects.requireNonNull(server, "server");
        this.tool = tool;
    }

    /** {@return how the server or the call failed} */
    public Kind kind() {
        return kind;
    }

    /** {@return the server's name} */
    public String server() {
        return server;
    }

    /** {@return the tool whose call failed; empty when the failure was not a call's} */
    public Optional<String> tool() {
        return Optional.ofNullable(tool);
    }
}
