package dev.sluice.mcp;

import dev.sluice.LimitExceededException;
import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.ServerUrls;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The Streamable HTTP transport: each JSON-RPC message its own POST to the MCP endpoint, each
 * request's notifications and response on that POST's own response, a JSON object or an SSE
 * stream (MCP 2026-07-28, basic/transports/streamable-http: "Sending Messages", "Receiving
 * Messages", "Request Metadata"; and 2025-11-25, basic/transports "Streamable HTTP" for the
 * session form: {@code Mcp-Session-Id} on every request once the server gave one, {@code DELETE}
 * at the end).
 *
 * <p>Threads: each request's response is read on a virtual thread of its own, which hands the
 * messages over through the request's {@link Exchange}; {@link #version} and {@link #session} are
 * set by the session's thread while it connects and read by any.
 *
 * <p>A response is read up to the message bound: a JSON body longer than it is read that far and
 * handed over as a {@linkplain Message#truncated() truncated} message; an SSE event longer than it
 * (on a request's response or on the session's GET stream) is logged, refused when it is a request
 * of the server's whose id its start holds, and fails the call it belongs to at once
 * ({@link #tooLong}). Failures name the endpoint without its user information and query
 * ({@link ServerUrls}) and say what happened in words, never with a Java class name.
 *
 * <p>Requests go through an {@link HttpTransport}: blocking HTTP/1.1, each response read on its
 * request's own virtual thread, connections kept alive between requests; the JDK's HttpClient when
 * a proxy is configured for the endpoint.
 */
final class StreamableHttp implements Transport {
    private static final System.Logger LOG = System.getLogger(StreamableHttp.class.getName());
    /** The most of an error response's body that is read (and shown, cut shorter, in a message). */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI endpoint;
    private final Map<String, String> headers;
    private final HttpTransport http;
    private final String server;
    private final int maxMessage;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Exchange> byTask = new ConcurrentHashMap<>();
    private final Map<String, Exchange> byToken = new ConcurrentHashMap<>();
    /** Whether the session's GET stream is being read, or the server said it offers none (405). */
    private final AtomicBoolean listening = new AtomicBoolean();

    private volatile boolean noGetStream;
    private final AtomicReference<@Nullable InputStream> getStream = new AtomicReference<>();
    /** The {@code MCP-Protocol-Version} header's value. */
    volatile @Nullable String version;
    /** The legacy session's id, when the server gave one. */
    volatile @Nullable String session;

    StreamableHttp(URI endpoint, Map<String, String> headers, String server, int maxMessage) {
        this.endpoint = endpoint;
        this.maxMessage = maxMessage;
        this.headers = Map.copyOf(headers);
        this.server = server;
        this.http = HttpTransport.builder()
                .destination(endpoint)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public Exchange send(Map<String, Object> request, @Nullable String progressToken, Map<String, String> extra) {
        AtomicReference<InputStream> body = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread[] reader = new Thread[1];
        Exchange exchange = new Exchange(() -> {
            if (!cancelled.compareAndSet(false, true)) return;
            InputStream in = body.get();
            if (in != null) closeQuietly(in); // closing the response stream is the 2026-07-28 cancellation
            if (reader[0] != null) reader[0].interrupt();
        });
        HttpPost post = request(request, extra);
        reader[0] = Thread.ofVirtual().name("sluice-mcp-http-" + server).start(() -> {
            try {
                HttpTransport.RawResponse response;
                try {
                    response = http.exchange(post, ACCEPT);
                } catch (IOException e) {
                    if (!unanswered(e) || cancelled.get() || http.engine() == HttpTransport.Engine.BLOCKING) throw e;
                    // a kept-alive connection the server had closed as the request went out: it answered
                    // nothing, not even a status line, so the request goes once more, on another connection
                    // (the blocking transport does so itself)
                    response = http.exchange(post, ACCEPT);
                }
                body.set(response.body());
                if (cancelled.get()) {
                    closeQuietly(response.body());
                    return;
                }
                read(response, exchange);
            } catch (IOException e) {
                if (!cancelled.get()) exchange.end(new Failed(connectionFailure(e), e));
            } catch (InterruptedException e) {
                // cancelled
            } catch (RuntimeException | OutOfMemoryError e) {
                exchange.end(new Failed(
                        "the client failed while reading the response ("
                                + (e instanceof OutOfMemoryError ? "out of memory" : "a bug") + ")",
                        e instanceof OutOfMemoryError ? null : e));
            }
        });
        return exchange;
    }

    /** {@return what went wrong with the connection, in words: where, and what, never a class name or the URL's query} */
    private String connectionFailure(IOException e) {
        String where = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        String what = switch (e) {
            case HttpConnectTimeoutException t -> "could not connect to " + where + " (timed out)";
            case ConnectException c ->
                c.getCause() instanceof UnresolvedAddressException
                        ? "could not connect to " + where + " (unknown host)"
                        : "could not connect to " + where + " (connection refused)";
            case UnknownHostException u -> "could not connect to " + where + " (unknown host)";
            case HttpTimeoutException t -> "the connection to " + where + " timed out";
            case SSLException t -> "the TLS connection to " + where + " failed";
            default ->
                unanswered(e)
                        ? "the server at " + where + " closed the connection without answering"
                        : "the connection to " + where + " failed";
        };
        return what + " (" + ServerUrls.clean(endpoint) + ")";
    }

    /**
     * {@return whether the server closed the connection without a byte of an answer} (the JDK's
     * words for it, or the blocking transport's end of the stream before a status line)
     */
    private static boolean unanswered(IOException e) {
        return (e.getMessage() != null && e.getMessage().contains("received no bytes")) || e instanceof EOFException;
    }

    private static final String ACCEPT = "application/json, text/event-stream";

    /** {@return the headers every request of the session carries: the caller's, the protocol version, the session's id} */
    private Map<String, String> sessionHeaders() {
        Map<String, String> h = new LinkedHashMap<>(headers);
        String v = version;
        if (v != null) h.put("MCP-Protocol-Version", v);
        String s = session;
        if (s != null) h.put("Mcp-Session-Id", s);
        return h;
    }

    private HttpPost request(Map<String, Object> message, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", ACCEPT);
        h.putAll(sessionHeaders());
        if (message.get("method") instanceof String method && message.containsKey("id")) {
            h.put("Mcp-Method", method);
            if (message.get("params") instanceof Map<?, ?> params) {
                Object name = switch (method) {
                    case "tools/call", "prompts/get" -> params.get("name");
                    case "resources/read" -> params.get("uri");
                    // the tasks extension (SEP-2663, "Streamable HTTP: Routing Headers"): the task's id
                    case "tasks/get", "tasks/update", "tasks/cancel", "tasks/result" -> params.get("taskId");
                    default -> null;
                };
                if (name instanceof String n) h.put("Mcp-Name", headerValue(n));
            }
        }
        h.putAll(extra);
        return HttpPost.json(endpoint, h, JsonOut.write(message));
    }

    /**
     * {@return a value as a header may carry it: as it is when it is plain visible ASCII (spaces
     * inside), else {@code =?base64?…?=} of its UTF-8 bytes} (2026-07-28 streamable-http, "Value Encoding")
     */
    static String headerValue(String value) {
        boolean plain = !value.isEmpty()
                && value.charAt(0) != ' '
                && value.charAt(value.length() - 1) != ' '
                && !(value.startsWith("=?base64?") && value.endsWith("?="));
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c <= 0x7e;
        }
        return plain
                ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private void read(HttpTransport.RawResponse response, Exchange exchange) throws IOException {
        int status = response.statusCode();
        HttpHeaders responseHeaders = response.headers();
        responseHeaders.firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
        String type = responseHeaders.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        try (InputStream in = response.body()) {
            if (status < 200 || status > 299) {
                String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                exchange.end(new Refused(status, jsonRpcError(text), text));
            } else if (type.startsWith("text/event-stream")) {
                readEvents(in, exchange);
            } else if (type.startsWith("application/json")) {
                byte[] bytes = in.readNBytes(maxMessage + 1);
                if (bytes.length > maxMessage) {
                    deliverTruncated(new String(bytes, 0, maxMessage, StandardCharsets.UTF_8), exchange);
                } else {
                    deliver(new String(bytes, StandardCharsets.UTF_8), exchange, true);
                }
            } else {
                exchange.end(new Failed(
                        "the server answered with status " + status + " and content type '" + type
                                + "'; MCP allows application/json or text/event-stream",
                        null));
            }
        }
    }

    private void readEvents(InputStream in, Exchange exchange) throws IOException {
        boolean[] answered = new boolean[1];
        SseParser parser = new SseParser(
                new SseLimits(maxMessage, maxMessage),
                event -> {
                    if (!answered[0] && !event.data().isEmpty()) answered[0] = deliver(event.data(), exchange, false);
                },
                false);
        EventStart start = new EventStart();
        byte[] buffer = new byte[8192];
        try {
            for (int n; !answered[0] && (n = in.read(buffer)) != -1; ) {
                start.feed(buffer, 0, n);
                parser.feed(buffer, 0, n);
            }
        } catch (LimitExceededException e) {
            tooLong(start.data(), exchange, e);
            return;
        }
        if (!answered[0]) exchange.end(new Failed("the server closed the response stream before it answered", null));
    }

    /** Hands a message over; {@return whether it ended the exchange (a response, or a malformed message)} */
    @SuppressWarnings("unchecked")
    private static boolean deliver(String json, Exchange exchange, boolean last) {
        Object value;
        try {
            value = Json.readValue(json);
        } catch (IOException e) {
            exchange.end(new Failed("the server sent malformed JSON: " + cut(json), null));
            return true;
        }
        if (!(value instanceof Map<?, ?> map)) {
            exchange.end(new Failed("the server sent JSON that is not a JSON-RPC message: " + cut(json), null));
            return true;
        }
        Map<String, Object> m = (Map<String, Object>) map;
        boolean response = m.containsKey("result") || m.containsKey("error");
        if (response || last) {
            exchange.end(new Message(m));
            return true;
        }
        exchange.notification(m);
        return false;
    }

    /** Hands over the start of a JSON response longer than the bound, read as far as it goes. */
    @SuppressWarnings("unchecked")
    private static void deliverTruncated(String start, Exchange exchange) {
        if (PartialJson.parse(start).value() instanceof Map<?, ?> map
                && (map.containsKey("result") || map.containsKey("error"))) {
            exchange.end(new Message((Map<String, Object>) map, true));
        } else {
            exchange.end(new Failed(
                    "the server sent a JSON response longer than the " + start.length() + " characters read of it",
                    null));
        }
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> jsonRpcError(String body) {
        try {
            if (Json.readValue(body) instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?> error) {
                return (Map<String, Object>) error;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the caller shows the text
        }
        return null;
    }

    @Override
    public Exchange watch(String taskId, @Nullable String progressToken) {
        Exchange exchange = new Exchange(() -> {
            byTask.remove(taskId);
            if (progressToken != null) byToken.remove(progressToken);
        });
        byTask.put(taskId, exchange);
        if (progressToken != null) byToken.put(progressToken, exchange);
        if (session != null && !noGetStream && listening.compareAndSet(false, true)) listen();
        return exchange;
    }

    /**
     * Reads the legacy session's GET stream (2025-11-25 transports, "Listening for Messages from
     * the Server"), where a server sends what answers no request: a task's status notifications,
     * and the progress and questions of a task. Open while a task is watched; opened again after
     * a drop (a second later) while one is. A server that offers none (405) is not asked again.
     */
    private void listen() {
        Thread.ofVirtual().name("sluice-mcp-listen-" + server).start(() -> {
            try {
                while (!closed.get() && !byTask.isEmpty()) {
                    if (!readGetStream()) return;
                    try {
                        Thread.sleep(1000); // the pause before the stream is opened again after a drop
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            } finally {
                listening.set(false);
                if (!closed.get() && !noGetStream && !byTask.isEmpty() && listening.compareAndSet(false, true))
                    listen(); // a watch came as this reader left
            }
        });
    }

    /** {@return whether to open the stream again: false when the server offers none or the client closed} */
    private boolean readGetStream() {
        try {
            // its headers bounded: the blocking transport's close leaves an exchange that waits for them
            HttpTransport.RawResponse response = http.exchange(
                    HttpPost.get(endpoint, sessionHeaders()).withTimeout(Duration.ofSeconds(10)), "text/event-stream");
            try (InputStream in = response.body()) {
                if (response.statusCode() == 405) {
                    noGetStream = true;
                    return false;
                }
                if (response.statusCode() != 200
                        || !response.headers()
                                .firstValue("Content-Type")
                                .orElse("")
                                .toLowerCase(Locale.ROOT)
                                .startsWith("text/event-stream")) return true;
                getStream.set(in);
                if (closed.get()) return false;
                SseParser parser =
                        new SseParser(new SseLimits(maxMessage, maxMessage), event -> dispatch(event.data()), false);
                EventStart start = new EventStart();
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        start.feed(buffer, 0, n);
                        parser.feed(buffer, 0, n);
                    }
                } catch (LimitExceededException e) {
                    tooLong(start.data(), null, e); // the stream is opened again while a task is watched
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server {0}: the session's GET stream ended: {1}",
                    server,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            getStream.set(null);
        }
        return !closed.get();
    }

    /**
     * An SSE event longer than the message bound, of which {@code start} is the data read: not
     * dropped in silence but logged ({@code WARNING}, naming the bound), answered with a JSON-RPC
     * error when it is a request of the server's (a huge question) whose id {@code start} holds, and
     * the call it belongs to failed at once, saying which bound it passed: {@code own}'s (a
     * request's response stream); on the session's GET stream ({@code own} null) the watch of the
     * task it names, else every watch, since any of them may be waiting for it.
     */
    @SuppressWarnings("unchecked")
    private void tooLong(String start, @Nullable Exchange own, LimitExceededException e) {
        Map<String, Object> m =
                PartialJson.parse(start).value() instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        boolean response = m.containsKey("result") || m.containsKey("error");
        // the method goes into a log line and a message: only a plain method name
        String method =
                !response && m.get("method") instanceof String s && s.matches("[A-Za-z0-9/_.-]{1,64}") ? s : null;
        Object id = m.get("id") instanceof Number || m.get("id") instanceof String ? m.get("id") : null;
        String what = response
                ? "a response"
                : method == null ? "a message" : (id != null ? "a request (" : "a message (") + method + ")";
        String why = Transport.tooLong(server, what, maxMessage);
        List<Exchange> calls;
        if (own != null) {
            calls = List.of(own);
        } else {
            String task = TaskCall.statusOf(m);
            if (task == null) task = TaskCall.relatedTask(m);
            Exchange one = task != null ? byTask.get(task) : null;
            calls = one != null ? List.of(one) : List.copyOf(new LinkedHashSet<>(byTask.values()));
        }
        String answer = method == null || response
                ? ""
                : id != null ? "; it was refused" : "; its id is not in the part read, so it was not answered";
        LOG.log(
                System.Logger.Level.WARNING,
                why
                        + answer
                        + (own != null
                                ? "; the call it came with failed"
                                : "; on the session's GET stream: " + calls.size() + " call(s) waiting on it failed"));
        if (method != null && id != null) post(Transport.refusalOfTooLong(id));
        for (Exchange call : calls) call.end(new Failed(why, e));
    }

    /** Hands a message of the GET stream to the task it concerns; answers a request no task takes. */
    @SuppressWarnings("unchecked")
    private void dispatch(String json) {
        if (json.isEmpty()) return;
        Map<String, Object> m;
        try {
            if (!(Json.readValue(json) instanceof Map<?, ?> map)) return;
            m = (Map<String, Object>) map;
        } catch (IOException e) {
            return;
        }
        Exchange e = null;
        String task = TaskCall.statusOf(m);
        if (task == null) task = TaskCall.relatedTask(m);
        if (task != null) e = byTask.get(task);
        else if ("notifications/progress".equals(m.get("method"))
                && m.get("params") instanceof Map<?, ?> p
                && p.get("progressToken") instanceof String token) e = byToken.get(token);
        if (e != null) e.notification(m);
        else if (m.containsKey("id") && m.get("method") instanceof String method)
            post(McpSession.answerServerRequest(m.get("id"), method));
    }

    @Override
    public void post(Map<String, Object> message) {
        HttpPost request = request(message, Map.of()).withTimeout(Duration.ofSeconds(5));
        try {
            HttpTransport.RawResponse r = http.exchange(request, ACCEPT);
            try (InputStream in = r.body()) {
                in.readNBytes(MAX_ERROR_BODY); // read to its end, the connection is kept for the next request
            }
            if (r.statusCode() != 202 && r.statusCode() / 100 != 2) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "MCP server {0} answered {1} to {2}",
                        server,
                        r.statusCode(),
                        message.get("method"));
            }
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "MCP server {0}: sending {1} failed: {2}",
                    server,
                    message.get("method"),
                    connectionFailure(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String stderrTail() {
        return "";
    }

    @Override
    public int maxMessageBytes() {
        return maxMessage;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        InputStream listened = getStream.get();
        if (listened != null) closeQuietly(listened);
        String s = session;
        if (s != null) { // 2025-11-25: a client that no longer needs the session SHOULD end it with DELETE
            HttpPost delete = new HttpPost(endpoint, sessionHeaders(), "", Duration.ofSeconds(5), null, "DELETE");
            try {
                closeQuietly(http.exchange(delete, ACCEPT).body()); // 405: the server keeps sessions itself
            } catch (IOException e) {
                // the session ends with the server anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
    }

    static String cut(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }
}
