package dev.sluice.mcp;

import dev.sluice.McpException;
import dev.sluice.McpException.Kind;
import dev.sluice.mcp.Transport.Exchange;
import dev.sluice.mcp.Transport.Failed;
import dev.sluice.mcp.Transport.Message;
import dev.sluice.mcp.Transport.Refused;
import dev.sluice.mcp.Transport.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The MCP protocol over a {@link Transport}: finding the server's era and connecting, listing
 * tools page by page, calling a tool with a progress token of its own.
 *
 * <p>Eras (2026-07-28 basic/versioning, "Backward Compatibility with Initialization-Based
 * Versions"): a {@code server/discover} request with the 2026-07-28 metadata comes first; a
 * server that answers it, or answers with a modern error, is modern: every request then carries
 * {@code _meta} with the protocol version, the client's identity and capabilities. Anything else
 * (an HTTP 4xx without a modern JSON-RPC error, on stdio any other error) is a legacy server: the
 * 2025-11-25 lifecycle follows ({@code initialize}, then {@code notifications/initialized}).
 *
 * <p>What the server sends goes into a message only through {@link ServerTexts}: every
 * {@link McpException} made here is cleaned of the client's secrets and of URLs' credentials.
 *
 * <p>Threads: connecting happens on the constructing thread; after it the fields are fixed and
 * each request runs on its caller's thread.
 *
 * <p>Why this file is long: the protocol's eras, its requests, its pagination and its progress share the
 * one negotiated session, so they stay together; the transports are their own classes.
 */
final class McpSession {
    static final String MODERN = "2026-07-28";
    static final String LEGACY = "2025-11-25";
    /** The legacy versions whose tools (list, call, progress, cancellation) this client speaks. */
    private static final Set<String> LEGACY_VERSIONS = Set.of(LEGACY, "2025-06-18", "2025-03-26", "2024-11-05");
    /** The modern errors (2026-07-28 basic/index "Error Codes"): HeaderMismatch, MissingRequiredClientCapability, UnsupportedProtocolVersion. */
    private static final Set<Long> MODERN_ERRORS = Set.of(-32020L, -32021L, -32022L);

    /** The tasks calls follow now: cancelled on the server when the session closes. */
    private final Set<TaskCall> tasks = ConcurrentHashMap.newKeySet();

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, Object> CLIENT_INFO = Map.of("name", "sluice", "version", version());

    private final Transport transport;
    private final ServerTexts texts;
    private final Duration progressTimeout;
    private final Duration callTimeout;
    private final LongSupplier nanoTime;
    private final AtomicLong ids = new AtomicLong();
    private boolean probing = true; // the constructing thread's, until the server's era is known
    private final ReentrantLock renewing = new ReentrantLock();
    private final boolean modern;
    /** The 2025-11-25 server's capabilities: task-augmented tools/call, and tasks/cancel. */
    private final boolean legacyTasks;

    private final boolean legacyCancel;
    /** The 2026-07-28 server advertised the tasks extension: each request declares it too. */
    private final boolean tasksExtension;

    private final String name;
    private final @Nullable String instructions;

    /** A tool call's result, and whether the server's message was longer than the transport reads (this its start). */
    record ToolAnswer(Map<String, Object> result, boolean truncated) {}

    McpSession(
            Transport transport,
            ServerTexts texts,
            @Nullable String givenName,
            String fallbackName,
            Duration progressTimeout,
            Duration callTimeout,
            LongSupplier nanoTime) {
        this.transport = transport;
        this.texts = texts;
        this.progressTimeout = progressTimeout;
        this.callTimeout = callTimeout;
        this.nanoTime = nanoTime;
        String label = givenName != null ? givenName : fallbackName;
        Map<String, Object> discovered = discover(label);
        probing = false;
        boolean isModern = discovered != null;
        Map<String, Object> server = discovered != null ? discovered : initialize(label);
        this.modern = isModern;
        Map<String, Object> capabilities = cast(server.get("capabilities"));
        Map<String, Object> tasks = capabilities == null ? null : cast(capabilities.get("tasks"));
        Map<String, Object> requests = tasks == null ? null : cast(tasks.get("requests"));
        Map<String, Object> tools = requests == null ? null : cast(requests.get("tools"));
        this.legacyTasks = !isModern && tools != null && tools.get("call") instanceof Map<?, ?>;
        this.legacyCancel = legacyTasks && tasks != null && tasks.get("cancel") instanceof Map<?, ?>;
        Map<String, Object> extensions = capabilities == null ? null : cast(capabilities.get("extensions"));
        this.tasksExtension = isModern && extensions != null && extensions.get(TaskCall.EXTENSION) instanceof Map<?, ?>;
        String reported = server.get("serverInfo") instanceof Map<?, ?> info
                        && info.get("name") instanceof String n
                        && !n.isBlank()
                ? texts.message(n)
                : meta(server, "io.modelcontextprotocol/serverInfo");
        this.name = givenName != null ? givenName : reported != null ? reported : fallbackName;
        this.instructions = server.get("instructions") instanceof String s && !s.isBlank() ? texts.whole(s) : null;
    }

    private @Nullable String meta(Map<String, Object> result, String key) {
        return result.get("_meta") instanceof Map<?, ?> meta
                        && meta.get(key) instanceof Map<?, ?> info
                        && info.get("name") instanceof String n
                        && !n.isBlank()
                ? texts.message(n)
                : null;
    }

    /** {@return an exception whose message, which may quote the server, is cleaned} */
    McpException failure(Kind kind, String label, @Nullable String tool, String message, @Nullable Throwable cause) {
        return new McpException(kind, label, tool, texts.message(message), cause);
    }

    /** {@return what a failure message adds: the cleaned end of a process's stderr, or nothing} */
    private String stderr() {
        String tail = transport.stderrTail().strip();
        return tail.isEmpty() ? "" : "; its stderr ends: " + texts.tail(tail);
    }

    /** {@return the server/discover result of a modern server; null for a legacy one} */
    private @Nullable Map<String, Object> discover(String label) {
        if (transport instanceof StreamableHttp http) http.version = MODERN;
        Map<String, Object> request = request("server/discover", new LinkedHashMap<>(), true, null);
        Exchange exchange = transport.send(request, null, Map.of());
        Signal answer = awaitAnswer(exchange, label, PROBE_TIMEOUT, transport instanceof StdioProcess);
        if (answer == null) return null; // stdio: a silent probe means a legacy server
        if (answer instanceof Message m) {
            if (m.json().get("result") instanceof Map<?, ?> result) return cast(result);
            Map<String, Object> error = cast(m.json().get("error"));
            if (error != null && isModern(error)) return unsupported(label, error);
            return null;
        }
        if (answer instanceof Refused r) {
            if (r.error() != null && isModern(r.error())) return unsupported(label, r.error());
            if (r.status() == 400 || r.status() == 404 || r.status() == 405) return null;
            throw refused(label, null, r);
        }
        Failed f = (Failed) answer;
        throw failure(
                Kind.UNAVAILABLE,
                label,
                null,
                "MCP server '" + label + "' is unavailable: " + f.why() + stderr(),
                f.cause());
    }

    private static boolean isModern(Map<String, Object> error) {
        return error.get("code") instanceof Long code && MODERN_ERRORS.contains(code);
    }

    /** A modern server that refused the modern version: the legacy handshake is tried when it lists a legacy version. */
    private @Nullable Map<String, Object> unsupported(String label, Map<String, Object> error) {
        if (error.get("data") instanceof Map<?, ?> data
                && data.get("supported") instanceof List<?> supported
                && supported.stream().anyMatch(LEGACY_VERSIONS::contains)) {
            return null;
        }
        throw failure(
                Kind.PROTOCOL,
                label,
                null,
                "MCP server '" + label + "' speaks none of the protocol versions " + MODERN + " and " + LEGACY + ": "
                        + describe(error),
                null);
    }

    /** The 2025-11-25 lifecycle: {@code initialize}, then {@code notifications/initialized}. {@return the result} */
    private Map<String, Object> initialize(String label) {
        if (transport instanceof StreamableHttp http) http.version = null; // the initialize request carries none
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("protocolVersion", LEGACY);
        params.put("capabilities", Map.of("elicitation", Map.of("form", Map.of())));
        params.put("clientInfo", CLIENT_INFO);
        Map<String, Object> result = call("initialize", params, label, null, false);
        Object version = result.get("protocolVersion");
        if (!(version instanceof String v) || !LEGACY_VERSIONS.contains(v)) {
            throw failure(
                    Kind.PROTOCOL,
                    label,
                    null,
                    "MCP server '" + label + "' chose protocol version " + version
                            + ", which this client does not speak (it speaks " + MODERN + " and " + LEGACY + ")",
                    null);
        }
        if (transport instanceof StreamableHttp http) http.version = v;
        transport.post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        return result;
    }

    String name() {
        return name;
    }

    Transport transport() {
        return transport;
    }

    ServerTexts texts() {
        return texts;
    }

    Duration progressTimeout() {
        return progressTimeout;
    }

    Duration callTimeout() {
        return callTimeout;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** {@return whether the server declared task-augmented {@code tools/call} (2025-11-25)} */
    boolean legacyTasks() {
        return legacyTasks;
    }

    /** {@return whether {@code tasks/cancel} may be sent: the extension always has it; a 2025-11-25 server declares it} */
    boolean cancelsTasks() {
        return modern || legacyCancel;
    }

    /** {@return whether the session's stdio server died (its process ended or its output could not be read), not closed by the client} */
    boolean dead() {
        return transport instanceof StdioProcess p && p.dead();
    }

    /** {@return the most bytes of one message the transport reads} */
    int maxMessageBytes() {
        return transport.maxMessageBytes();
    }

    @Nullable
    String instructions() {
        return instructions;
    }

    boolean modern() {
        return modern;
    }

    /** {@return whether tool parameters marked {@code x-mcp-header} go into headers: on 2026-07-28 Streamable HTTP} */
    boolean mirrorsParams() {
        return modern && transport instanceof StreamableHttp;
    }

    /** {@return every tool of {@code tools/list}, following {@code nextCursor} to the last page} */
    List<Map<String, Object>> listTools() {
        List<Map<String, Object>> tools = new ArrayList<>();
        Set<Object> cursors = new HashSet<>();
        Object cursor = null;
        do {
            Map<String, Object> params = new LinkedHashMap<>();
            if (cursor != null) params.put("cursor", cursor);
            Map<String, Object> result = call("tools/list", params, name, null, modern);
            if (result.get("tools") instanceof List<?> page) {
                for (Object t : page) if (t instanceof Map<?, ?> m) tools.add(cast(m));
            }
            cursor = result.get("nextCursor");
            if (cursor != null && !cursors.add(cursor)) {
                throw failure(
                        Kind.PROTOCOL,
                        name,
                        null,
                        "MCP server '" + name + "' repeated the tools/list cursor " + cursor,
                        null);
            }
        } while (cursor != null);
        return tools;
    }

    /** A request that is not a tool call: its answer within the progress timeout, notifications ignored. */
    private Map<String, Object> call(
            String method, Map<String, Object> params, String label, @Nullable String tool, boolean withMeta) {
        Signal answer = awaitAnswer(
                transport.send(request(method, params, withMeta, null), null, Map.of()), label, progressTimeout, false);
        if (sessionExpired(answer)) {
            renewSession(label);
            answer = awaitAnswer(
                    transport.send(request(method, params, withMeta, null), null, Map.of()),
                    label,
                    progressTimeout,
                    false);
        }
        return result(Objects.requireNonNull(answer, "silence is not allowed here"), label, tool, method);
    }

    private @Nullable Signal awaitAnswer(Exchange exchange, String label, Duration timeout, boolean silenceAllowed) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - nanoTime.getAsLong();
                Signal s = left > 0 ? exchange.poll(left) : null;
                if (s == null) {
                    exchange.cancel();
                    if (silenceAllowed) return null;
                    throw failure(
                            Kind.TIMEOUT,
                            label,
                            null,
                            "MCP server '" + label + "' did not answer within " + seconds(timeout) + stderr(),
                            null);
                }
                if (s instanceof Message m
                        && !(m.json().containsKey("result") || m.json().containsKey("error"))) {
                    answerIfRequest(m.json());
                    continue;
                }
                return s;
            }
        } catch (InterruptedException e) {
            exchange.cancel();
            Thread.currentThread().interrupt();
            throw failure(Kind.CANCELLED, label, null, "interrupted while waiting for MCP server '" + label + "'", e);
        }
    }

    Map<String, Object> result(Signal answer, String label, @Nullable String tool, String method) {
        switch (answer) {
            case Message m -> {
                if (m.json().get("result") instanceof Map<?, ?> r) return Objects.requireNonNull(cast(r), "a map");
                if (m.json().get("error") instanceof Map<?, ?> error) {
                    throw failure(
                            Kind.ERROR,
                            label,
                            tool,
                            "MCP server '" + label + "' answered " + what(method, tool) + " with an error: "
                                    + describe(Objects.requireNonNull(cast(error), "a map")),
                            null);
                }
                throw failure(
                        Kind.PROTOCOL,
                        label,
                        tool,
                        "MCP server '" + label + "' answered " + what(method, tool)
                                + " with something that is not a JSON-RPC response: "
                                + StreamableHttp.cut(String.valueOf(m.json())),
                        null);
            }
            case Refused r -> throw refused(label, tool, r);
            case Failed f ->
                throw failure(
                        Kind.UNAVAILABLE,
                        label,
                        tool,
                        "MCP server '" + label + "' failed during " + what(method, tool) + ": " + f.why() + stderr(),
                        f.cause());
        }
    }

    private static String what(String method, @Nullable String tool) {
        return tool != null ? "the call of tool '" + tool + "'" : method;
    }

    private McpException refused(String label, @Nullable String tool, Refused r) {
        Map<String, Object> error = r.error();
        String detail =
                error != null ? describe(error) : StreamableHttp.cut(r.body().strip());
        Kind kind = r.error() != null
                ? Kind.ERROR
                : r.status() >= 500 || r.status() == 401 || r.status() == 403 || r.status() == 404
                        ? Kind.UNAVAILABLE
                        : Kind.PROTOCOL;
        return failure(
                kind,
                label,
                tool,
                "MCP server '" + label + "' answered HTTP " + r.status()
                        + (tool != null ? " to the call of tool '" + tool + "'" : "")
                        + (detail.isEmpty() ? "" : ": " + detail),
                null);
    }

    private String describe(Map<String, Object> error) {
        Object message = error.get("message");
        return (message instanceof String s && !s.isBlank() ? s : "no message") + " (code " + error.get("code") + ")";
    }

    /**
     * Calls a tool and waits for its result: progress notifications go to the listener and each
     * resets the progress timeout; the call timeout caps the whole call; {@code cancelled} turning
     * true or an interrupt cancels it (2026-07-28 basic/patterns/progress and cancellation; 2025-11-25
     * basic/utilities/progress and cancellation: on stdio and in a legacy HTTP session a
     * {@code notifications/cancelled}, on modern HTTP the response stream closed).
     *
     * {@return the call's result}
     */
    ToolAnswer callTool(
            String tool,
            Map<String, Object> arguments,
            ProgressListener listener,
            BooleanSupplier cancelled,
            Map<String, String> headers,
            InputHandler input,
            boolean asTask) {
        String token = "sluice-progress-" + ids.incrementAndGet();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments);
        // 2025-11-25 tasks, "Creating Tasks": the ttl asked for is as long as the call may last
        if (asTask && legacyTasks) params.put("task", Map.of("ttl", callTimeout.toMillis()));
        Map<String, Object> request = request("tools/call", params, modern, token);
        long start = nanoTime.getAsLong();
        long callDeadline = start + callTimeout.toNanos();
        long quietDeadline = start + progressTimeout.toNanos();
        Exchange exchange = transport.send(request, token, headers);
        Progress progress = new Progress(listener);
        boolean renewed = false;
        boolean task = false;
        try {
            while (true) {
                if (cancelled.getAsBoolean()) throw cancelled(exchange, request, tool, null);
                long now = nanoTime.getAsLong();
                long left = Math.min(callDeadline, quietDeadline) - now;
                if (left <= 0) {
                    boolean total = callDeadline <= quietDeadline;
                    cancel(exchange, request, total ? "call timeout" : "progress timeout");
                    throw failure(
                            Kind.TIMEOUT,
                            name,
                            tool,
                            total
                                    ? "tool '" + tool + "' of MCP server '" + name + "' did not finish within "
                                            + seconds(callTimeout) + "; the call was cancelled"
                                    : "tool '" + tool + "' of MCP server '" + name
                                            + "' sent no progress and no result for " + seconds(progressTimeout)
                                            + "; the call was cancelled",
                            null);
                }
                Signal s = exchange.poll(Math.min(left, Duration.ofMillis(250).toNanos()));
                if (s == null) continue;
                if (s instanceof Message m
                        && !(m.json().containsKey("result") || m.json().containsKey("error"))) {
                    boolean reported;
                    try {
                        reported = progress.accept(m.json(), token);
                    } catch (RuntimeException e) {
                        cancel(exchange, request, "the client failed");
                        throw e; // the listener's failure: the call is not left running on the server
                    }
                    if (reported) quietDeadline = nanoTime.getAsLong() + progressTimeout.toNanos();
                    else {
                        try {
                            if (!answerQuestion(m.json(), tool, input, null)) answerIfRequest(m.json());
                        } catch (NoAnswer e) {
                            // answered cancel: the tool goes on without the answer, as it decides
                        }
                    }
                    continue;
                }
                if (!renewed && sessionExpired(s)) {
                    renewed = true;
                    renewSession(name);
                    exchange = transport.send(request, token, headers);
                    continue;
                }
                Map<String, Object> result = result(s, name, tool, "tools/call");
                Map<String, Object> seed = TaskCall.seed(result, modern);
                if (seed != null) {
                    task = true;
                    return new TaskCall(
                                    this, tool, seed, exchange, token, listener, cancelled, input, callDeadline, false)
                            .run();
                }
                return new ToolAnswer(result, s instanceof Message m && m.truncated());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(exchange, request, tool, e);
        } finally {
            if (!task) exchange.cancel(); // its progress token is free; the task's own ends with the task
        }
    }

    /**
     * Follows a task that a call elsewhere started (another client of the same server, another
     * node), from its id, to its end, as {@link #callTool} follows the task it starts: no
     * {@code tools/call} is sent. {@return the task's result}
     *
     * @throws McpException when this session has no tasks (the server did not negotiate them with
     *     this client) or the server does not give this client the task
     */
    ToolAnswer followTask(
            String tool, String taskId, ProgressListener listener, BooleanSupplier cancelled, InputHandler input) {
        if (!(modern ? tasksExtension : legacyTasks)) {
            throw failure(
                    Kind.UNAVAILABLE,
                    name,
                    tool,
                    "the task of tool '" + tool + "' cannot be followed from here: MCP server '" + name
                            + "' runs no tasks for this client",
                    null);
        }
        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("taskId", taskId);
        seed.put("status", "working");
        String token = "sluice-progress-" + ids.incrementAndGet();
        Exchange none = new Exchange(() -> {}); // no tools/call of its own: nothing arrives on it
        long callDeadline = nanoTime.getAsLong() + callTimeout.toNanos();
        try {
            return new TaskCall(this, tool, seed, none, token, listener, cancelled, input, callDeadline, true).run();
        } catch (InterruptedException e) { // the task call cancelled the task on its way out
            Thread.currentThread().interrupt();
            throw new McpException(
                    Kind.CANCELLED,
                    name,
                    tool,
                    "the call of tool '" + tool + "' of MCP server '" + name + "' was cancelled; so was its task",
                    e);
        }
    }

    /**
     * Answers a server's question ({@code elicitation/create}) asked while a call runs, through the
     * call's {@link InputHandler}: {@code accept} with the person's answer, {@code decline}, or
     * {@code cancel} when no one can answer. {@return false when the message is no question}
     *
     * @param task the task the question belongs to, named in the answer's {@code _meta}; null for a plain call
     * @throws NoAnswer when no one can answer (the caller cancels the task)
     * @throws InterruptedException when the call was cancelled while the person was asked
     */
    boolean answerQuestion(Map<String, Object> message, String tool, InputHandler input, @Nullable String task)
            throws InterruptedException {
        if (!"elicitation/create".equals(message.get("method")) || !message.containsKey("id")) return false;
        Map<String, Object> params = cast(message.get("params"));
        Map<String, Object> result;
        NoAnswer none = null;
        if (params != null && "url".equals(params.get("mode"))) {
            result = Map.of("action", "decline"); // this client declares form elicitation only
        } else {
            try {
                result = answer(question(params), input);
            } catch (NoAnswer e) {
                none = e;
                result = Map.of("action", "cancel");
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", message.get("id"));
        Map<String, Object> withMeta = new LinkedHashMap<>(result);
        if (task != null) withMeta.put("_meta", Map.of(TaskCall.RELATED_TASK, Map.of("taskId", task)));
        answer.put("result", withMeta);
        transport.post(answer);
        if (none != null) throw none;
        return true;
    }

    /** {@return an elicitation's result for a question: {@code accept} with the content, or {@code decline}} */
    static Map<String, Object> answer(InputRequest question, InputHandler input) throws InterruptedException {
        Optional<Map<String, Object>> content;
        try {
            content = input.answer(question);
        } catch (UnsupportedOperationException e) {
            throw new NoAnswer(question, e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>(); // action first, as the specification shows it
        result.put("action", content.isPresent() ? "accept" : "decline");
        content.ifPresent(c -> result.put("content", c));
        return result;
    }

    /** The server asked what no one can answer: {@link InputHandler#NONE}'s, or a handler's refusal. */
    static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient InputRequest question;

        NoAnswer(InputRequest question, @Nullable String why) {
            super(why == null ? "no one can answer" : why, null, false, false);
            this.question = question;
        }
    }

    /** {@return a server's question as a person gets it: its message and schema cleaned and bounded} */
    InputRequest question(@Nullable Map<String, Object> params) {
        String message = params != null && params.get("message") instanceof String m ? texts.message(m) : "";
        Map<String, Object> schema = params == null ? null : cast(params.get("requestedSchema"));
        return new InputRequest(message, TaskCall.cleanSchema(schema, texts));
    }

    /** {@return whether the server ended the legacy HTTP session: 404 to a request that carried it (2025-11-25 "Session Management")} */
    private boolean sessionExpired(@Nullable Signal s) {
        return !modern
                && s instanceof Refused r
                && r.status() == 404
                && transport instanceof StreamableHttp http
                && http.session != null;
    }

    /** Starts a new session, as a client MUST after that 404: a new {@code initialize} without a session id. */
    private void renewSession(String label) {
        StreamableHttp http = (StreamableHttp) transport;
        String expired = http.session;
        renewing.lock();
        try {
            if (Objects.equals(http.session, expired)) {
                http.session = null;
                initialize(label);
            }
        } finally {
            renewing.unlock();
        }
    }

    private McpException cancelled(
            Exchange exchange, Map<String, Object> request, String tool, @Nullable InterruptedException e) {
        cancel(exchange, request, "the run was cancelled");
        return failure(
                Kind.CANCELLED,
                name,
                tool,
                "the call of tool '" + tool + "' of MCP server '" + name + "' was cancelled",
                e);
    }

    private void cancel(Exchange exchange, Map<String, Object> request, String reason) {
        exchange.cancel();
        if (modern && transport instanceof StreamableHttp) return; // closing the response stream is the cancellation
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", request.get("id"));
        params.put("reason", reason);
        if (modern) params.put("_meta", modernMeta());
        Thread.ofVirtual()
                .name("sluice-mcp-cancel-" + name)
                .start(() -> transport.post(
                        Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", params)));
    }

    /** Answers a request the server sent on a legacy stream that no call took: {@code ping}, nothing else (this client offers no sampling or roots). */
    void answerIfRequest(Map<String, Object> message) {
        if (message.containsKey("id") && message.get("method") instanceof String method) {
            transport.post(answerServerRequest(message.get("id"), method));
        }
    }

    static Map<String, Object> answerServerRequest(Object id, String method) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", id);
        if (method.equals("ping")) answer.put("result", Map.of());
        // a question no call can take (it names none, or several are in flight on stdio): dismissed
        else if (method.equals("elicitation/create")) answer.put("result", Map.of("action", "cancel"));
        else answer.put("error", Map.of("code", -32601L, "message", "this client does not offer " + method));
        return answer;
    }

    Map<String, Object> request(
            String method, Map<String, Object> params, boolean withMeta, @Nullable String progressToken) {
        Map<String, Object> meta = withMeta ? modernMeta() : new LinkedHashMap<>();
        if (progressToken != null) meta.put("progressToken", progressToken);
        if (!meta.isEmpty()) params.put("_meta", meta);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        request.put("params", params);
        return request;
    }

    /**
     * The per-request metadata of 2026-07-28 (basic/index "_meta"). The client's capabilities: form
     * elicitation, and the tasks extension (SEP-2663 "Capability Negotiation") in the probe and,
     * once the server advertised it, in every request.
     */
    private Map<String, Object> modernMeta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", MODERN);
        meta.put("io.modelcontextprotocol/clientInfo", CLIENT_INFO);
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("elicitation", Map.of("form", Map.of()));
        if (probing || tasksExtension) capabilities.put("extensions", Map.of(TaskCall.EXTENSION, Map.of()));
        meta.put("io.modelcontextprotocol/clientCapabilities", capabilities);
        return meta;
    }

    /**
     * Ends the session: first {@code tasks/cancel} for each task still followed (its call may not
     * get to send it before the transport closes: a run cancelled while its tool works closes its
     * MCP clients as its tool's thread is being interrupted), then the transport.
     */
    void close() {
        for (TaskCall task : tasks) task.cancelTask("the MCP client closed");
        transport.close();
    }

    /** A task followed by a call of this session, until the call ends. */
    void following(TaskCall task, boolean following) {
        if (following) tasks.add(task);
        else tasks.remove(task);
    }

    @SuppressWarnings("unchecked")
    static @Nullable Map<String, Object> cast(@Nullable Object map) {
        return map instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String version() {
        String v = McpSession.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
