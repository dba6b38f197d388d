package dev.sluice.mcp;

import dev.sluice.McpException;
import dev.sluice.McpException.Kind;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.ServerUrls;
import dev.sluice.internal.low.value.ResultBound;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 * its tools are over. Thread-safe: tools may be called concurrently, at most
 * {@linkplain Builder#maxConcurrentCalls a bound} at once (more wait their turn).
 *
 * <p>A stdio server's process gets a clean environment: {@code PATH}, {@code HOME}, the locale and
 * the few other variables of {@link Builder#environment(Map)}, and the variables given there,
 * never the rest of this JVM's (its API keys). A stdio server whose process dies (or whose output
 * can no longer be read) is started again at the next call or listing, its tools with it; when it
 * keeps dying, each new start waits longer ({@link RetryPolicy}'s back-off: 1 s doubling up to
 * 60 s), and a call in that wait fails at once saying when the next start is due.
 *
 * <p>What a server sends is untrusted: every message of an {@link McpException}, a progress
 * message, a tool's result and the server's instructions and name are cleaned of the secrets this
 * client knows (its credential headers; the values of this JVM's environment variables whose
 * names say they hold one, such as {@code ANTHROPIC_API_KEY} or {@code GITHUB_TOKEN}, and of the
 * variables given to a child) in every form the provider clients' cleaner catches, and URLs in it
 * lose their user information, query string and fragment. A tool's result is bounded
 * ({@link Builder#maxResultChars}, default {@value #DEFAULT_MAX_RESULT_CHARS} characters): a longer
 * one is cut, ending with a line that says so; a server's message is read up to four times that in
 * bytes (and 64 KiB more), so a server cannot make the client hold more.
 *
 * <p>Why this file is long: a third Javadoc; the public face of both transports and their builder,
 * documented once.
 */
public final class McpClient implements AutoCloseable {
    // Threading: session is replaced (a restart) by a caller holding the restarting lock, read by
    // any; restarts and nextStartNanos are guarded by that lock; closed is set once by close().
    private static final System.Logger LOG = System.getLogger(McpClient.class.getName());
    /** The default bound of a tool's result, in characters: about 25,000 tokens. */
    public static final int DEFAULT_MAX_RESULT_CHARS = 100_000;
    /** The default number of calls in flight at once. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 8;
    /** The back-off between restarts of a stdio server that keeps dying. */
    static final RetryPolicy RESTARTS = new RetryPolicy(
            Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(60), 2, 0.25, Duration.ofSeconds(60));

    private final @Nullable Supplier<McpSession> connect; // null for HTTP: nothing to restart
    private final ServerTexts texts;
    private final int maxResultChars;
    private final Semaphore slots;
    private final LongSupplier nanoTime;
    private final ReentrantLock restarting = new ReentrantLock();
    private volatile McpSession session;
    private volatile boolean closed;
    private volatile int restarts;
    private long nextStartNanos;

    private McpClient(
            McpSession session,
            @Nullable Supplier<McpSession> connect,
            ServerTexts texts,
            int maxResultChars,
            int maxConcurrentCalls,
            LongSupplier nanoTime) {
        this.session = session;
        this.connect = connect;
        this.texts = texts;
        this.maxResultChars = maxResultChars;
        this.slots = new Semaphore(maxConcurrentCalls, true);
        this.nanoTime = nanoTime;
    }

    /**
     * {@return the session to use: this one, or, when its stdio server died, a new one with the
     * server started again} Never more often than the back-off allows.
     *
     * @throws McpException if the server cannot be started again, or the back-off's wait is not over
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // restarts is written under the restarting lock only
    private McpSession live() {
        McpSession s = session;
        if (connect == null || closed || !s.dead()) return s;
        restarting.lock();
        try {
            if (session != s || closed) return session;
            long now = nanoTime.getAsLong();
            if (restarts > 0 && now - nextStartNanos < 0) {
                throw new McpException(
                        Kind.UNAVAILABLE,
                        name(),
                        null,
                        "MCP server '" + name() + "' died and is started again in "
                                + Math.max(
                                        1,
                                        Duration.ofNanos(nextStartNanos - now).toSeconds()) + " s",
                        null);
            }
            restarts++;
            nextStartNanos = now
                    + RESTARTS.delay(restarts, ThreadLocalRandom.current().nextDouble())
                            .toNanos();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "MCP server {0} died; starting it again (start {1} in a row)",
                    name(),
                    restarts);
            s.close();
            McpSession fresh = connect.get();
            if (closed) {
                fresh.close();
                return s;
            }
            session = fresh;
            return fresh;
        } finally {
            restarting.unlock();
        }
    }

    /** A call went through: a server that died before starts again at once the next time. */
    private void healthy() {
        if (restarts == 0) return;
        restarting.lock();
        try {
            restarts = 0;
        } finally {
            restarting.unlock();
        }
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

    /** {@return the bound of a tool's result, in characters} */
    public int maxResultChars() {
        return maxResultChars;
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
        McpSession session = live();
        for (Map<String, Object> t : session.listTools()) {
            if (!(t.get("name") instanceof String mcpName) || mcpName.isBlank()) continue;
            String name = ToolNames.forModels(mcpName);
            if (name == null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "MCP server {0}: tool {1} left out: its name is longer than {2} characters",
                        name(),
                        mcpName,
                        ToolNames.MAX);
                continue;
            }
            String earlier = seen.putIfAbsent(name, mcpName);
            if (earlier != null) {
                throw new IllegalArgumentException("MCP server '" + name() + "' offers tools '" + earlier + "' and '"
                        + mcpName + "', which both become '" + name + "' under the providers' naming rules");
            }
            String description = t.get("description") instanceof String d ? texts.whole(d) : "";
            Map<String, Object> schema = McpSession.cast(t.get("inputSchema"));
            if (schema == null) schema = Map.of("type", "object");
            ParamHeaders params = ParamHeaders.NONE;
            if (session.mirrorsParams()) {
                try {
                    params = ParamHeaders.of(schema);
                } catch (IllegalArgumentException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "MCP server {0}: tool {1} left out: {2}",
                            name(),
                            mcpName,
                            e.getMessage());
                    continue;
                }
            }
            boolean task = session.legacyTasks()
                    && t.get("execution") instanceof Map<?, ?> execution
                    && ("required".equals(execution.get("taskSupport"))
                            || "optional".equals(execution.get("taskSupport")));
            tools.add(new McpTool(this, mcpName, name, description, schema, params, task));
        }
        return List.copyOf(tools);
    }

    /** Calls a tool by the server's name for it; see {@link McpTool#call(Map, ProgressListener, BooleanSupplier, InputHandler)}. */
    String call(
            String tool,
            Map<String, Object> arguments,
            ProgressListener listener,
            BooleanSupplier cancelled,
            Map<String, String> headers,
            InputHandler input,
            boolean task) {
        acquire(tool, cancelled);
        try {
            McpSession session = live();
            McpSession.ToolAnswer answer =
                    session.callTool(tool, arguments, cleaned(listener), cancelled, headers, input, task);
            return text(session, tool, answer);
        } finally {
            slots.release();
        }
    }

    /** Follows a task another call started; see {@link McpTool#follow}. */
    String follow(
            String tool, String taskId, ProgressListener listener, BooleanSupplier cancelled, InputHandler input) {
        acquire(tool, cancelled);
        try {
            McpSession session = live();
            McpSession.ToolAnswer answer = session.followTask(tool, taskId, cleaned(listener), cancelled, input);
            return text(session, tool, answer);
        } finally {
            slots.release();
        }
    }

    /** {@return the listener with the server's progress messages cleaned} */
    private ProgressListener cleaned(ProgressListener listener) {
        return new ProgressListener() {
            @Override
            public void progress(String message, double progress, @Nullable Double total) {
                listener.progress(message.isEmpty() ? message : texts.message(message), progress, total);
            }

            @Override
            public void status(String message) {
                listener.status(message); // the task's reader cleans it: it compares cleaned messages
            }

            @Override
            public void alive() {
                listener.alive();
            }

            @Override
            public void task(String taskId) {
                listener.task(taskId);
            }
        };
    }

    /** {@return what the model reads of a call's answer} */
    private String text(McpSession session, String tool, McpSession.ToolAnswer answer) {
        healthy();
        Map<String, Object> result = answer.result();
        if ("input_required".equals(result.get("resultType"))) {
            throw new McpException(
                    Kind.TOOL_ERROR,
                    name(),
                    tool,
                    "tool '" + tool + "' of MCP server '" + name()
                            + "' asked for input (elicitation or sampling), which this client does not give",
                    null);
        }
        // cleaned before it is cut, so that a [redacted] longer than what it replaced cannot push it past the bound
        String text = texts.whole(CallResults.text(result));
        text = answer.truncated()
                ? ResultBound.partial(text, maxResultChars, session.maxMessageBytes())
                : ResultBound.cut(text, maxResultChars);
        if (Boolean.TRUE.equals(result.get("isError"))) { // the tool's own words for the model: whole, as a result is
            throw new McpException(
                    Kind.TOOL_ERROR,
                    name(),
                    tool,
                    "tool '" + tool + "' of MCP server '" + name() + "' failed: "
                            + (text.isBlank() ? "(no message)" : text),
                    null);
        }
        return text;
    }

    /** Waits for a place among the calls in flight, as long as the call may last, until cancelled. */
    private void acquire(String tool, BooleanSupplier cancelled) {
        try {
            while (!slots.tryAcquire(250, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new McpException(
                            Kind.CANCELLED,
                            name(),
                            tool,
                            "the call of tool '" + tool + "' of MCP server '" + name() + "' was cancelled",
                            null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(
                    Kind.CANCELLED,
                    name(),
                    tool,
                    "the call of tool '" + tool + "' of MCP server '" + name() + "' was cancelled",
                    e);
        }
    }

    /** {@return how many calls wait for a place among those in flight, for tests} */
    int waitingCalls() {
        return slots.getQueueLength();
    }

    /** {@return whether the server speaks the 2026-07-28 protocol (false: the 2025-11-25 session form), for tests} */
    boolean modern() {
        return session.modern();
    }

    /** Ends the session or the process; calls in flight fail. Idempotent, safe from any thread. */
    @Override
    public void close() {
        closed = true;
        session.close();
        restarting.lock(); // a restart under way: its new session is closed by it, or here
        try {
            session.close();
        } finally {
            restarting.unlock();
        }
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
        private @Nullable URI endpoint;
        private Map<String, String> headers = Map.of();
        private @Nullable List<String> command;
        private @Nullable String name;
        private Duration progressTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofMinutes(10);
        private Map<String, String> environment = Map.of();
        private int maxResultChars = DEFAULT_MAX_RESULT_CHARS;
        private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
        private LongSupplier nanoTime = System::nanoTime;

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
                throw new IllegalArgumentException(
                        "endpoint must be an absolute http:// or https:// URI: " + ServerUrls.clean(endpoint));
            }
            headers.forEach((k, v) -> {
                Objects.requireNonNull(k, "header name");
                Objects.requireNonNull(v, "value of header " + k);
                String lower = k.toLowerCase(Locale.ROOT);
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
            if (command.isEmpty() || command.get(0).isBlank())
                throw new IllegalArgumentException("command must name a program");
            this.command = List.copyOf(command);
            this.endpoint = null;
            return this;
        }

        /**
         * Gives a stdio server's process these environment variables, besides the few it gets from
         * this JVM's environment: {@code PATH}, {@code HOME}, {@code USER}, {@code LOGNAME},
         * {@code SHELL}, {@code TMPDIR}, {@code TZ}, {@code LANG}, {@code LANGUAGE}, {@code LC_*},
         * {@code TERM} (and on Windows {@code SYSTEMROOT}, {@code TEMP}, {@code USERPROFILE},
         * {@code APPDATA} and the like). Nothing else of this JVM's environment reaches the child;
         * pass a variable it needs (its own API token, say) here. The values of those whose names
         * say they hold a secret ({@code *_TOKEN}, {@code *_KEY}, {@code *_SECRET},
         * {@code *PASSWORD*}) are cleaned out of what the server sends. Ignored over HTTP.
         *
         * @param variables names and values, replacing those given before
         * @return this builder
         * @throws IllegalArgumentException if a name is empty or contains {@code =} or a NUL, or a value a NUL
         */
        public Builder environment(Map<String, String> variables) {
            Objects.requireNonNull(variables, "variables");
            variables.forEach((k, v) -> {
                Objects.requireNonNull(k, "variable name");
                Objects.requireNonNull(v, "value of variable " + k);
                if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("not an environment variable's name: '" + k + "'");
                }
                if (v.indexOf('\0') >= 0)
                    throw new IllegalArgumentException("the value of variable " + k + " contains a NUL");
            });
            this.environment = Map.copyOf(variables);
            return this;
        }

        /**
         * Bounds a tool's result: a longer one is cut to this many characters, the last line saying
         * it was cut and how long it was. A server's message is read up to {@code 4 × maxChars + 64 KiB}
         * bytes; the start of a longer one (over stdio, or as one JSON response over HTTP) is read as far
         * as it goes and cut the same way; a longer SSE event fails the call.
         *
         * @param maxChars at least 1024; default {@value McpClient#DEFAULT_MAX_RESULT_CHARS}, about 25,000 tokens
         * @return this builder
         * @throws IllegalArgumentException if below 1024 or above 64 Mi
         */
        public Builder maxResultChars(int maxChars) {
            if (maxChars < ResultBound.MIN_CHARS || maxChars > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxResultChars must be between 1024 and 67108864: " + maxChars);
            }
            this.maxResultChars = maxChars;
            return this;
        }

        /**
         * Bounds the calls in flight at once; more wait for a place (a cancel ends the wait). With
         * {@link #maxResultChars} it bounds what the client's calls hold at once.
         *
         * @param calls at least 1; default {@value McpClient#DEFAULT_MAX_CONCURRENT_CALLS}
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConcurrentCalls(int calls) {
            if (calls < 1) throw new IllegalArgumentException("maxConcurrentCalls must be at least 1: " + calls);
            this.maxConcurrentCalls = calls;
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

        /** The clock of the restarts' back-off, in nanoseconds ({@link System#nanoTime()}): tests give a fake one. */
        Builder nanoTime(LongSupplier clock) {
            this.nanoTime = Objects.requireNonNull(clock, "nanoTime");
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
            String fallback = endpoint != null
                    ? endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "")
                    : Path.of(Objects.requireNonNull(command, "command").get(0))
                            .getFileName()
                            .toString();
            String label = name != null ? name : fallback;
            ServerTexts texts = ServerTexts.of(System.getenv(), endpoint != null ? Map.of() : environment, headers);
            int maxMessage = (int) Math.min(Integer.MAX_VALUE - 8, 4L * maxResultChars + 64 * 1024);
            if (endpoint != null) {
                return new McpClient(
                        connect(new StreamableHttp(endpoint, headers, label, maxMessage), texts, fallback),
                        null,
                        texts,
                        maxResultChars,
                        maxConcurrentCalls,
                        System::nanoTime);
            }
            List<String> program = Objects.requireNonNull(command, "command"); // no endpoint: a command
            Map<String, String> variables = environment;
            Supplier<McpSession> start = () -> {
                Transport process;
                try {
                    process = new StdioProcess(program, variables, label, maxMessage);
                } catch (IOException e) {
                    throw new McpException(
                            Kind.UNAVAILABLE,
                            label,
                            null,
                            // the program only: its arguments may hold a token
                            texts.message("MCP server '" + label + "' could not be started (" + program.getFirst()
                                    + "): " + e.getMessage()),
                            e);
                }
                return connect(process, texts, fallback);
            };
            return new McpClient(start.get(), start, texts, maxResultChars, maxConcurrentCalls, nanoTime);
        }

        private McpSession connect(Transport transport, ServerTexts texts, String fallback) {
            try {
                return new McpSession(transport, texts, name, fallback, progressTimeout, callTimeout, System::nanoTime);
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
        }
    }
}
