package dev.sluice.mcp;

import dev.sluice.McpException;
import dev.sluice.McpException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A connection to one MCP server: its tools, listed and called. Over Streamable HTTP
 * ({@link #http(URI)}: the stateless form of MCP 2026-07-28 first, the 2025-11-25 session form
 * when the server answers as an older one) or stdio ({@link #stdio(List)}: the server a child
 * process of this JVM). The tool runner offers a client's tools to the model through
 * {@code dev.sluice.agent.McpTools}:
 *
 * <pre>{@code
 * try (McpClient files = McpClient.stdio(List.of("npx", "-y", "@modelcontextprotocol/server-filesystem", "/tmp"))) {
 *     ToolRunner.Builder runner = ToolRunner.builder(provider);
 *     McpTools.of(files).forEach(runner::tool);
 *     ...
 * }
 * }</pre>
 *
 * <p>Each {@linkplain McpTool#call call} of a tool has a progress token of its own: each
 * {@code notifications/progress} of that call goes to that call's {@link ProgressListener} (in a
 * run, the run's progress event for that tool call, with a percentage when the server gives a
 * total). A call ends with an {@link McpException} (which the runner hands the model as a failed
 * tool result) when the server answers with an error or an {@code isError} result, goes away,
 * sends nothing for the {@linkplain Builder#progressTimeout progress timeout} (each progress
 * notification starts it again), runs past the {@linkplain Builder#callTimeout call timeout}, or
 * when the call is cancelled (the server is told: {@code notifications/cancelled}, or on stateless
 * HTTP the response stream closed).
 *
 * <p>Connecting happens in the factory methods and {@link Builder#build()}, which throw
 * {@link McpException} when the server cannot be reached or started, or does not speak MCP.
 * {@link #close()} ends the session (HTTP) or the process (stdio: its stdin closed, then
 * terminated, then killed) and fails the calls in flight; close the client when the runs using
 * its tools are over. Thread-safe: tools may be called concurrently.
 */
public final class McpClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(McpClient.class.getName());

    private final McpSession session;

    private McpClient(McpSession session) {
        this.session = session;
    }

    /**
     * Connects to an MCP server over Streamable HTTP, with the default timeouts.
     *
     * @param endpoint the server's MCP endpoint, {@code http://} or {@code https://}
     * @return the connected client
     * @throws McpException if the server cannot be reached or does not speak MCP
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI
     */
    public static McpClient http(URI endpoint) {
        return builder().http(endpoint).build();
    }

    /**
     * Connects over Streamable HTTP, sending these headers with every request (an
     * {@code Authorization} header, say; never written into a message or log).
     *
     * @return the connected client
     * @throws McpException if the server cannot be reached or does not speak MCP
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI, or a header is one
     *     the client sets itself or not a valid header
     */
    public static McpClient http(URI endpoint, Map<String, String> headers) {
        return builder().http(endpoint, headers).build();
    }

    /**
     * Starts an MCP server as a child process and connects to it over its stdin and stdout.
     *
     * @param command the program and its arguments, as {@link ProcessBuilder} takes them
     * @return the connected client
     * @throws McpException if the process cannot be started, or does not speak MCP
     * @throws IllegalArgumentException if the command is empty
     */
    public static McpClient stdio(List<String> command) {
        return builder().stdio(command).build();
    }

    /** {@return a builder, for a name of your own or other timeouts} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the server's name: the one given to the builder, else the one the server reports, else its host or program} */
    public String name() {
        return session.name();
    }

    /** {@return the server's instructions for the model (to add to a system prompt), when it gives any} */
    public Optional<String> instructions() {
        return Optional.ofNullable(session.instructions());
    }

    /**
     * Lists the server's tools ({@code tools/list}, every page). Each keeps the server's name,
     * description and input schema, and gets a {@linkplain McpTool#modelName() name for models}: a
     * name providers do not accept is mapped (each character other than {@code a-z A-Z 0-9 _ -}
     * becomes {@code _}) and the call still uses the server's name; a tool whose name stays longer
     * than 64 characters is left out, with a warning in the log. So is, over stateless HTTP, a tool
     * whose schema breaks the rules of {@code x-mcp-header} (2026-07-28 streamable-http, "Custom
     * Headers from Tool Parameters"); the parameters it marks are sent as {@code Mcp-Param-*}
     * headers too.
     *
     * @return the tools, in the server's order
     * @throws McpException if the server fails to list them
     * @throws IllegalArgumentException if two of the server's tools map to the same name for models
     */
    public List<McpTool> tools() {
        List<McpTool> tools = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map<String, Object> t : session.listTools()) {
            if (!(t.get("name") instanceof String mcpName) || mcpName.isBlank()) continue;
            String name = ToolNames.forModels(mcpName);
            if (name == null) {
                LOG.log(System.Logger.Level.WARNING, "MCP server {0}: tool {1} left out: its name is longer than {2} characters",
                        name(), mcpName, ToolNames.MAX);
                continue;
            }
            String earlier = seen.putIfAbsent(name, mcpName);
            if (earlier != null) {
                throw new IllegalArgumentException("MCP server '" + name() + "' offers tools '" + earlier + "' and '" + mcpName
                        + "', which both become '" + name + "' under the providers' naming rules");
            }
            String description = t.get("description") instanceof String d ? d : "";
            Map<String, Object> schema = McpSession.cast(t.get("inputSchema"));
            if (schema == null) schema = Map.of("type", "object");
            ParamHeaders params = ParamHeaders.NONE;
            if (session.mirrorsParams()) {
                try {
                    params = ParamHeaders.of(schema);
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "MCP server {0}: tool {1} left out: {2}", name(), mcpName, e.getMessage());
                    continue;
                }
            }
            tools.add(new McpTool(this, mcpName, name, description, schema, params));
        }
        return List.copyOf(tools);
    }

    /** Calls a tool by the server's name for it; see {@link McpTool#call(Map, ProgressListener, BooleanSupplier)}. */
    String call(String tool, Map<String, Object> arguments, ProgressListener listener, BooleanSupplier cancelled,
            Map<String, String> headers) {
        Map<String, Object> result = session.callTool(tool, arguments, listener, cancelled, headers);
        if ("input_required".equals(result.get("resultType"))) {
            throw new McpException(Kind.TOOL_ERROR, name(), tool, "tool '" + tool + "' of MCP server '" + name()
                    + "' asked for input (elicitation or sampling), which this client does not give", null);
        }
        String text = CallResults.text(result);
        if (Boolean.TRUE.equals(result.get("isError"))) {
            throw new McpException(Kind.TOOL_ERROR, name(), tool, "tool '" + tool + "' of MCP server '" + name()
                    + "' failed: " + (text.isBlank() ? "(no message)" : text), null);
        }
        return text;
    }

    /** {@return whether the server speaks the 2026-07-28 protocol (false: the 2025-11-25 session form), for tests} */
    boolean modern() {
        return session.modern();
    }

    /** Ends the session or the process; calls in flight fail. Idempotent, safe from any thread. */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "McpClient[" + name() + "]";
    }

    /**
     * Configures and connects an {@link McpClient}. Each setter checks its argument; {@link #build()}
     * connects.
     */
    public static final class Builder {
        private URI endpoint;
        private Map<String, String> headers = Map.of();
        private List<String> command;
        private String name;
        private Duration progressTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofMinutes(10);

        private Builder() {}

        /**
         * Connects over Streamable HTTP to this endpoint (replacing a command given before).
         *
         * @return this builder
         * @throws IllegalArgumentException if the URI is not an absolute http(s) URI
         */
        public Builder http(URI endpoint) {
            return http(endpoint, Map.of());
        }

        /**
         * Connects over Streamable HTTP with these headers on every request.
         *
         * @return this builder
         * @throws IllegalArgumentException if the URI is not an absolute http(s) URI, or a header is
         *     one the client sets itself ({@code Content-Type}, {@code Accept}, {@code Mcp-*}) or empty
         */
        public Builder http(URI endpoint, Map<String, String> headers) {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(headers, "headers");
            String scheme = endpoint.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an absolute http:// or https:// URI: " + endpoint);
            }
            headers.forEach((k, v) -> {
                Objects.requireNonNull(k, "header name");
                Objects.requireNonNull(v, "value of header " + k);
                String lower = k.toLowerCase(java.util.Locale.ROOT);
                if (k.isBlank() || lower.startsWith("mcp-") || lower.equals("content-type") || lower.equals("accept")) {
                    throw new IllegalArgumentException("header '" + k + "' is set by the client itself; leave it out");
                }
            });
            this.endpoint = endpoint;
            this.headers = Map.copyOf(headers);
            this.command = null;
            return this;
        }

        /**
         * Starts the server as a child process (replacing an endpoint given before).
         *
         * @return this builder
         * @throws IllegalArgumentException if the command is empty
         */
        public Builder stdio(List<String> command) {
            Objects.requireNonNull(command, "command");
            if (command.isEmpty() || command.get(0).isBlank()) throw new IllegalArgumentException("command must name a program");
            this.command = List.copyOf(command);
            this.endpoint = null;
            return this;
        }

        /**
         * Names the server (in tools' source, messages, logs) instead of the name it reports.
         *
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
            this.name = name;
            return this;
        }

        /**
         * How long a request may go without any message from the server: for a tool call, without a
         * progress notification or the result (each progress notification starts it again); for the
         * other requests, without the answer. Default 60 seconds.
         *
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder progressTimeout(Duration timeout) {
            this.progressTimeout = positive(timeout, "progressTimeout");
            return this;
        }

        /**
         * The longest a tool call may take, whatever progress it reports. Default 10 minutes.
         *
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
            return d;
        }

        /**
         * Connects: starts the process or reaches the endpoint, and finds which protocol the server speaks.
         *
         * @return the connected client
         * @throws IllegalStateException if neither {@link #http(URI)} nor {@link #stdio(List)} was called
         * @throws McpException if the server cannot be reached or started, or does not speak MCP
         */
        public McpClient build() {
            if (endpoint == null && command == null) {
                throw new IllegalStateException("no server given: call http(URI) or stdio(List) first");
            }
            String fallback = endpoint != null ? endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "")
                    : Path.of(command.get(0)).getFileName().toString();
            String label = name != null ? name : fallback;
            Transport transport;
            if (endpoint != null) {
                transport = new StreamableHttp(endpoint, headers, label);
            } else {
                try {
                    transport = new StdioProcess(command, label);
                } catch (IOException e) {
                    throw new McpException(Kind.UNAVAILABLE, label, null, "MCP server '" + label + "' could not be started ("
                            + String.join(" ", command) + "): " + e.getMessage(), e);
                }
            }
            try {
                return new McpClient(new McpSession(transport, name, fallback, progressTimeout, callTimeout, System::nanoTime));
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
        }
    }
}
