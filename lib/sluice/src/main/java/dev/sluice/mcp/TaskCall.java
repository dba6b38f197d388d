package dev.sluice.mcp;

import dev.sluice.McpException;
import dev.sluice.McpException.Kind;
import dev.sluice.mcp.Transport.Exchange;
import dev.sluice.mcp.Transport.Failed;
import dev.sluice.mcp.Transport.Message;
import dev.sluice.mcp.Transport.Signal;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One tool call that the server runs as a task, from its {@code CreateTaskResult} to its end, in
 * either shape of MCP Tasks:
 *
 * <ul>
 *   <li>the 2025-11-25 specification's experimental tasks (basic/utilities/tasks, SEP-1686): the
 *       client asked for a task ({@code "task"} in the call's params); it polls {@code tasks/get}
 *       ({@code pollInterval}), reads {@code notifications/tasks/status}, calls {@code tasks/result}
 *       when the task needs input (the server's {@code elicitation/create} comes while that call is
 *       in flight) or has ended, and cancels with {@code tasks/cancel} when the server declared it;
 *   <li>the 2026-07-28 extension {@code io.modelcontextprotocol/tasks} (SEP-2663): the server
 *       answered {@code resultType: "task"}; {@code tasks/get} ({@code pollIntervalMs}) carries the
 *       result or error inline and the task's {@code inputRequests}, answered with
 *       {@code tasks/update}; {@code tasks/result} and {@code tasks/list} are never sent.
 * </ul>
 *
 * <p>Each new status message goes to the listener once ({@link ProgressListener#status}), in the
 * order the server changed them: a poll's answer older than what a notification already said
 * ({@code lastUpdatedAt}) is passed over. Polls follow the server's interval (kept within 100 ms
 * and 60 s); without one, they start at 250 ms and double to 5 s while nothing changes. A poll
 * that fails on the way (a connection dropped) is sent again while the progress timeout since
 * the last answer allows.
 *
 * <p>Threading: everything runs on the calling thread, waiting on the exchanges a few dozen
 * milliseconds at a time (so a cancel is seen within that); {@code tasks/cancel} is sent on a
 * virtual thread of its own.
 *
 * <p>Why this file is long: one call's polling loop serves both task protocols above, sharing its
 * state (the task's status, the poll interval, the inputs answered), and cleans the server's input
 * requests' schemas before they are shown.
 */
final class TaskCall {
    static final String EXTENSION = "io.modelcontextprotocol/tasks";
    static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    private static final long TICK = Duration.ofMillis(50).toNanos();
    private static final long MIN_POLL = 100;
    private static final long MAX_POLL = 60_000;
    private static final long FIRST_BACKOFF = 250;
    private static final long MAX_BACKOFF = 5_000;
    /** How many times {@code tasks/result} is sent for a task that has ended before the call gives up. */
    private static final int RESULT_TRIES = 3;

    private final McpSession session;
    private final Transport transport;
    private final String tool;
    private final String server;
    private final String taskId;
    private final Map<String, Object> seed;
    private final Exchange call;
    private final String token;
    private final ProgressListener listener;
    private final Progress progress;
    private final BooleanSupplier cancelled;
    private final InputHandler input;
    private final long callDeadline;
    private final boolean modern;
    /** Followed from its handle ({@link McpTool#follow}), not started by this call: an unknown task is said so. */
    private final boolean adopted;

    private boolean polled; // a tasks/get was answered

    private String status = "working";
    private @Nullable String lastMessage;
    private @Nullable Instant lastUpdated;
    private @Nullable Long hintMillis;
    private long backoff = FIRST_BACKOFF;
    private volatile @Nullable Map<String, Object> ended;
    /** Whether {@code tasks/cancel} was sent: once, by the call or by the session's close. */
    private final AtomicBoolean cancelSent = new AtomicBoolean();

    private final Set<String> answered = new HashSet<>();
    private int resultTries;

    TaskCall(
            McpSession session,
            String tool,
            Map<String, Object> seed,
            Exchange call,
            String token,
            ProgressListener listener,
            BooleanSupplier cancelled,
            InputHandler input,
            long callDeadline,
            boolean adopted) {
        this.adopted = adopted;
        this.session = session;
        this.transport = session.transport();
        this.tool = tool;
        this.server = session.name();
        this.seed = seed;
        this.taskId = String.valueOf(seed.get("taskId")); // seed(..) checked it is a string
        this.call = call;
        this.token = token;
        this.listener = listener;
        this.progress = new Progress(listener);
        this.cancelled = cancelled;
        this.input = input;
        this.callDeadline = callDeadline;
        this.modern = session.modern();
    }

    /**
     * {@return the task's seed when a {@code tools/call} result is a {@code CreateTaskResult}: the
     * result itself under the extension ({@code resultType: "task"}), its {@code task} under
     * 2025-11-25; null for a plain result}
     */
    static @Nullable Map<String, Object> seed(Map<String, Object> result, boolean modern) {
        Map<String, Object> task = modern
                ? ("task".equals(result.get("resultType")) ? result : null)
                : result.containsKey("content") ? null : McpSession.cast(result.get("task"));
        return task != null && task.get("taskId") instanceof String id && !id.isBlank() ? task : null;
    }

    /** {@return the task a status notification is about ({@code notifications/tasks/status} or {@code notifications/tasks}); null for another message} */
    static @Nullable String statusOf(Map<String, Object> message) {
        return ("notifications/tasks/status".equals(message.get("method"))
                                || "notifications/tasks".equals(message.get("method")))
                        && message.get("params") instanceof Map<?, ?> p
                        && p.get("taskId") instanceof String id
                ? id
                : null;
    }

    /** {@return the task a server's request names in {@code _meta}'s {@code io.modelcontextprotocol/related-task}; null when none} */
    static @Nullable String relatedTask(Map<String, Object> message) {
        return message.get("params") instanceof Map<?, ?> p
                        && p.get("_meta") instanceof Map<?, ?> meta
                        && meta.get(RELATED_TASK) instanceof Map<?, ?> related
                        && related.get("taskId") instanceof String id
                ? id
                : null;
    }

    /** Follows the task to its end. {@return the tool's result, as a plain call's} */
    McpSession.ToolAnswer run() throws InterruptedException {
        session.following(this, true);
        Exchange watch = transport.watch(taskId, token);
        Exchange get = null;
        Exchange result = null;
        long getSent = 0;
        long lastAnswer = session.now();
        try {
            listener.task(taskId);
            boolean changed = apply(seed);
            long nextPoll = session.now() + millis(interval(changed));
            while (true) {
                if (cancelled.getAsBoolean()) throw cancel("the run was cancelled", null);
                long now = session.now();
                if (now - callDeadline >= 0) {
                    cancelTask("call timeout");
                    throw failure(
                            Kind.TIMEOUT,
                            "tool '" + tool + "' of MCP server '" + server + "' did not finish within "
                                    + McpSession.seconds(session.callTimeout())
                                    + "; its task was cancelled");
                }
                if (!modern && result == null && (ended != null || status.equals("input_required"))) {
                    if (ended != null && ++resultTries > RESULT_TRIES) {
                        throw failure(
                                Kind.UNAVAILABLE,
                                "MCP server '" + server + "' did not give the result of the task of tool '" + tool
                                        + "', which ended " + status);
                    }
                    result = send("tasks/result");
                }
                if (modern && ended != null) return finish(ended);
                if (get == null && ended == null && now - nextPoll >= 0) {
                    get = send("tasks/get");
                    getSent = now;
                }
                if (get != null && now - getSent > session.progressTimeout().toNanos()) {
                    cancelTask("progress timeout");
                    throw failure(
                            Kind.TIMEOUT,
                            "MCP server '" + server + "' did not answer tasks/get for the task of tool '" + tool
                                    + "' within " + McpSession.seconds(session.progressTimeout())
                                    + "; its task was cancelled");
                }
                Signal w = watch.poll(TICK);
                if (w != null) onMessage(w, true);
                for (Signal p; (p = call.poll(0)) != null; ) onMessage(p, false);
                if (get != null) {
                    Signal g = get.poll(0);
                    if (g != null) {
                        get.cancel();
                        get = null;
                        now = session.now();
                        if (g instanceof Failed f && f.tooLong()) throw tooLong(f);
                        if (g instanceof Failed
                                && transport instanceof StreamableHttp
                                && now - lastAnswer < session.progressTimeout().toNanos()) {
                            nextPoll = now + millis(interval(false)); // a dropped connection: asked again
                            continue;
                        }
                        Map<String, Object> state =
                                adopted && !polled ? adoptedState(g) : session.result(g, server, tool, "tasks/get");
                        polled = true;
                        lastAnswer = now;
                        listener.alive();
                        changed = apply(state);
                        nextPoll = session.now() + millis(interval(changed));
                    }
                }
                if (result != null) {
                    for (Signal r; (r = result.poll(0)) != null; ) {
                        if (r instanceof Message m && !isResponse(m.json())) {
                            onMessage(r, false);
                            continue;
                        }
                        result.cancel();
                        result = null;
                        if (r instanceof Message m) {
                            Map<String, Object> answer = session.result(r, server, tool, "tasks/result");
                            if ("failed".equals(status) && !answer.containsKey("isError")) {
                                answer = new LinkedHashMap<>(answer);
                                answer.put("isError", true);
                            }
                            return new McpSession.ToolAnswer(answer, m.truncated());
                        }
                        if (r instanceof Failed f && f.tooLong()) throw tooLong(f);
                        break; // the stream broke before the result: asked again when needed
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancel("the run was cancelled", e);
        } finally {
            session.following(this, false);
            watch.cancel();
            call.cancel();
            if (get != null) get.cancel();
            if (result != null) result.cancel();
        }
    }

    /**
     * The first answer about a task followed from its handle: a server that does not know the task
     * here (a stdio server's process of another node, a server that keeps tasks per session) is
     * said so in words a person can act on.
     */
    private Map<String, Object> adoptedState(Signal g) {
        try {
            return session.result(g, server, tool, "tasks/get");
        } catch (McpException e) {
            throw failure(
                    Kind.UNAVAILABLE,
                    "the task of tool '" + tool + "' cannot be followed from here: MCP server '" + server
                            + "' does not give it to this client (" + e.getMessage() + ")");
        }
    }

    private static boolean isResponse(Map<String, Object> m) {
        return m.containsKey("result") || m.containsKey("error");
    }

    /** A message that is not an answer to this call's polls: a status, a question, progress, or the end of a watch. */
    private void onMessage(Signal signal, boolean watched) throws InterruptedException {
        if (!(signal instanceof Message m)) {
            if (signal instanceof Failed f && f.tooLong()) throw tooLong(f);
            if (watched && signal instanceof Failed f) { // the server process is gone
                throw failure(
                        Kind.UNAVAILABLE,
                        "MCP server '" + server + "' went away while the task of tool '" + tool + "' worked: "
                                + f.why());
            }
            return;
        }
        Map<String, Object> json = m.json();
        if (isResponse(json)) return; // the tools/call's own answer, seen already
        if (statusOf(json) != null) {
            Map<String, Object> state = McpSession.cast(json.get("params"));
            if (state != null) apply(state);
        } else if (progress.accept(json, token)) {
            listener.alive();
        } else if (json.containsKey("id") && json.get("method") instanceof String) {
            try {
                if (!session.answerQuestion(json, tool, input, taskId)) session.answerIfRequest(json);
            } catch (McpSession.NoAnswer e) {
                throw noOneToAsk(e);
            }
        }
    }

    /**
     * Takes a task's state (a poll's answer, a notification, the seed): reports a new status
     * message, keeps the server's poll interval, notes the end, answers the extension's questions.
     * {@return whether something changed}
     */
    private boolean apply(Map<String, Object> task) throws InterruptedException {
        Instant updated = instant(task.get("lastUpdatedAt"));
        Instant last = lastUpdated;
        if (updated != null && last != null && updated.isBefore(last)) return false; // an older state
        if (updated != null) lastUpdated = updated;
        if (ended != null) return false;
        Object hint = task.get(modern ? "pollIntervalMs" : "pollInterval");
        if (hint instanceof Number n) hintMillis = n.longValue();
        boolean changed = false;
        if (task.get("status") instanceof String s && !s.equals(status)) {
            status = s;
            changed = true;
        }
        if (task.get("statusMessage") instanceof String text && !text.isBlank()) {
            String message = session.texts().message(text);
            if (!message.equals(lastMessage)) {
                lastMessage = message;
                listener.status(message);
                changed = true;
            }
        }
        switch (status) {
            case "completed", "failed", "cancelled" -> ended = task;
            case "input_required" -> {
                if (modern) answerInputs(task);
            }
            default -> {}
        }
        return changed;
    }

    /** The extension's input: each new {@code inputRequests} entry asked, the answers sent in one {@code tasks/update}. */
    private void answerInputs(Map<String, Object> task) throws InterruptedException {
        Map<String, Object> requests = McpSession.cast(task.get("inputRequests"));
        if (requests == null) return;
        Map<String, Object> responses = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : requests.entrySet()) {
            if (answered.contains(e.getKey())) continue; // the server repeats what is outstanding: asked once
            Map<String, Object> request = McpSession.cast(e.getValue());
            Object method = request == null ? null : request.get("method");
            if (!"elicitation/create".equals(method)) {
                cancelTask("the server asked for what this client does not offer");
                throw failure(
                        Kind.TOOL_ERROR,
                        "tool '" + tool + "' of MCP server '" + server + "' asked for " + method
                                + ", which this client does not offer; its task was cancelled");
            }
            Map<String, Object> params = McpSession.cast(request == null ? null : request.get("params"));
            Map<String, Object> response;
            if (params != null && "url".equals(params.get("mode"))) {
                response = Map.of("action", "decline");
            } else {
                try {
                    response = McpSession.answer(session.question(params), input);
                } catch (McpSession.NoAnswer none) {
                    throw noOneToAsk(none);
                }
            }
            answered.add(e.getKey());
            responses.put(e.getKey(), response);
        }
        if (responses.isEmpty()) return;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("taskId", taskId);
        params.put("inputResponses", responses);
        Exchange update = transport.send(session.request("tasks/update", params, true, null), null, Map.of());
        try {
            long deadline = session.now() + session.progressTimeout().toNanos();
            while (true) {
                if (cancelled.getAsBoolean()) throw cancel("the run was cancelled", null);
                Signal s = update.poll(TICK);
                if (s instanceof Message m && !isResponse(m.json())) continue;
                if (s != null) {
                    session.result(s, server, tool, "tasks/update");
                    return;
                }
                if (session.now() - deadline > 0) {
                    cancelTask("progress timeout");
                    throw failure(
                            Kind.TIMEOUT,
                            "MCP server '" + server + "' did not answer tasks/update for the task of tool '" + tool
                                    + "' within " + McpSession.seconds(session.progressTimeout())
                                    + "; its task was cancelled");
                }
            }
        } finally {
            update.cancel();
        }
    }

    /** The end of an extension task: its inline result, or why it did not complete. */
    private McpSession.ToolAnswer finish(Map<String, Object> task) {
        String why = lastMessage == null ? "" : ": " + lastMessage;
        return switch (status) {
            case "completed" -> {
                Map<String, Object> result = McpSession.cast(task.get("result"));
                if (result == null) {
                    throw failure(
                            Kind.PROTOCOL,
                            "MCP server '" + server + "' reported the task of tool '" + tool
                                    + "' completed without its result");
                }
                yield new McpSession.ToolAnswer(result, false);
            }
            case "failed" -> {
                Map<String, Object> error = McpSession.cast(task.get("error"));
                String said = error != null && error.get("message") instanceof String s && !s.isBlank()
                        ? ": " + session.texts().message(s) + " (code " + error.get("code") + ")"
                        : why;
                throw failure(Kind.TOOL_ERROR, "tool '" + tool + "' of MCP server '" + server + "' failed" + said);
            }
            default -> throw cancelledByServer(why);
        };
    }

    private McpException cancelledByServer(String why) {
        return failure(
                Kind.TOOL_ERROR, "the task of tool '" + tool + "' was cancelled by MCP server '" + server + "'" + why);
    }

    /** The run was cancelled: the task is cancelled on the server too. */
    private McpException cancel(String reason, @Nullable InterruptedException e) {
        cancelTask(reason);
        return new McpException(
                Kind.CANCELLED,
                server,
                tool,
                "the call of tool '" + tool + "' of MCP server '" + server + "' was cancelled; so was its task",
                e);
    }

    /**
     * A message about the task longer than the client reads (a poll's answer, a question): asking
     * again would bring the same, so the task is cancelled and the call fails at once saying which
     * bound the message passed.
     */
    private McpException tooLong(Failed f) {
        cancelTask("a message longer than the client reads");
        return session.failure(
                Kind.UNAVAILABLE,
                server,
                tool,
                f.why() + "; the call of tool '" + tool + "' failed and its task was cancelled",
                f.cause());
    }

    private McpException noOneToAsk(McpSession.NoAnswer none) {
        cancelTask("no one can answer the server's question");
        String asked = none.question.message().isEmpty() ? "" : " ('" + none.question.message() + "')";
        return failure(
                Kind.TOOL_ERROR,
                "tool '" + tool + "' of MCP server '" + server + "' asked for input" + asked
                        + " and no one can answer it here (" + none.getMessage() + "); its task was cancelled");
    }

    /**
     * Sends {@code tasks/cancel}; its answer is awaited a few seconds on a virtual thread of its
     * own (the call ends at once) and not used. Not for a server that declared no cancel, nor a
     * task that ended; once. Any thread (the call's, or the session's close).
     */
    void cancelTask(String reason) {
        if (!session.cancelsTasks() || ended != null || !cancelSent.compareAndSet(false, true)) return;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("taskId", taskId);
        Map<String, Object> request = session.request("tasks/cancel", params, modern, null);
        // sent here, the thread's interrupt set aside (a write to stdio gives up on it): out before the client may
        // close
        boolean interrupted = Thread.interrupted();
        Exchange x;
        try {
            x = transport.send(request, null, Map.of());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        Thread.ofVirtual().name("sluice-mcp-task-cancel-" + server).start(() -> {
            try {
                x.poll(Duration.ofSeconds(5).toNanos());
            } catch (InterruptedException e) {
                // the answer is not needed
            } finally {
                x.cancel();
            }
            System.getLogger(TaskCall.class.getName())
                    .log(
                            System.Logger.Level.DEBUG,
                            "MCP server {0}: task of tool {1} cancelled ({2})",
                            server,
                            tool,
                            reason);
        });
    }

    private Exchange send(String method) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("taskId", taskId);
        return transport.send(session.request(method, params, modern, null), null, Map.of());
    }

    /** {@return how long to wait before the next poll: the server's interval, else the back-off} */
    private long interval(boolean changed) {
        long wait = pollDelay(hintMillis, backoff, changed);
        if (hintMillis == null) backoff = wait;
        return wait;
    }

    /**
     * {@return the milliseconds to wait before the next poll: the server's interval {@code hint}
     * kept within 100 ms and 60 s; without one, the back-off after {@code previous}: 250 ms again
     * when something {@code changed}, else twice {@code previous}, at most 5 s}
     */
    static long pollDelay(@Nullable Long hint, long previous, boolean changed) {
        if (hint != null) return Math.max(MIN_POLL, Math.min(MAX_POLL, hint));
        return changed ? FIRST_BACKOFF : Math.min(MAX_BACKOFF, previous * 2);
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }

    private McpException failure(Kind kind, String message) {
        return session.failure(kind, server, tool, message, null);
    }

    private static @Nullable Instant instant(@Nullable Object value) {
        if (!(value instanceof String s)) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * {@return the flat form of an elicitation's {@code requestedSchema}: an object of primitive
     * properties, with only the keywords of that form, its texts cleaned, bounded; an object of no
     * property for a schema that is not an object}
     */
    static Map<String, Object> cleanSchema(@Nullable Map<String, Object> schema, ServerTexts texts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        Map<String, Object> properties = schema == null ? null : McpSession.cast(schema.get("properties"));
        Map<String, Object> kept = new LinkedHashMap<>();
        if (properties != null) {
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (kept.size() >= InputRequest.MAX_FIELDS) break;
                Map<String, Object> field = McpSession.cast(e.getValue());
                if (field == null || e.getKey().isEmpty() || e.getKey().length() > 128) continue;
                kept.put(e.getKey(), field(field, texts, true));
            }
        }
        out.put("properties", kept);
        List<Object> required = new ArrayList<>();
        if (schema != null && schema.get("required") instanceof List<?> names) {
            for (Object n : names) if (n instanceof String s && kept.containsKey(s)) required.add(s);
        }
        if (!required.isEmpty()) out.put("required", List.copyOf(required));
        return out;
    }

    private static Map<String, Object> field(Map<String, Object> field, ServerTexts texts, boolean top) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("type", "format")) {
            if (field.get(k) instanceof String s && s.length() <= 32) out.put(k, s);
        }
        for (String k : List.of("title", "description")) {
            if (field.get(k) instanceof String s && !s.isBlank()) out.put(k, texts.message(s));
        }
        for (String k : List.of("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")) {
            if (field.get(k) instanceof Number n) out.put(k, n instanceof BigDecimal d ? d : n);
        }
        Object d = field.get("default");
        if (d instanceof String s) out.put("default", texts.message(s));
        else if (d instanceof Number || d instanceof Boolean) out.put("default", d);
        if (field.get("enum") instanceof List<?> values) out.put("enum", choices(values));
        if (field.get("enumNames") instanceof List<?> names) {
            List<Object> cleaned = new ArrayList<>();
            for (Object n : names) {
                if (cleaned.size() >= InputRequest.MAX_CHOICES) break;
                cleaned.add(n instanceof String s ? texts.message(s) : "");
            }
            out.put("enumNames", List.copyOf(cleaned));
        }
        for (String k : List.of("oneOf", "anyOf")) {
            if (!(field.get(k) instanceof List<?> options)) continue;
            List<Object> kept = new ArrayList<>();
            for (Object o : options) {
                if (kept.size() >= InputRequest.MAX_CHOICES) break;
                if (o instanceof Map<?, ?> option && option.get("const") instanceof String c && c.length() <= 200) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("const", c);
                    if (option.get("title") instanceof String t) one.put("title", texts.message(t));
                    kept.add(one);
                }
            }
            out.put(k, List.copyOf(kept));
        }
        if (top && field.get("items") instanceof Map<?, ?> items) {
            out.put("items", field(Objects.requireNonNull(McpSession.cast(items), "a map"), texts, false));
        }
        return out;
    }

    private static List<Object> choices(List<?> values) {
        List<Object> kept = new ArrayList<>();
        for (Object v : values) {
            if (kept.size() >= InputRequest.MAX_CHOICES) break;
            if (v instanceof String s && s.length() <= 200) kept.add(s);
        }
        return List.copyOf(kept);
    }
}
