package dev.sluice.examples.fake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.TransportException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers every request of a {@link FakeAnthropicServer}, whatever the API: routes it to the
 * {@link WireFormat} that serves its path, which checks and reads it; then the shared scenario —
 * faults by model name, the planned {@link Reply}, pacing, the walk through blocks and deltas —
 * with only the rendering left to the format. A path no format serves is answered in the first
 * format's error shape.
 *
 * <p>Threading: {@link #handle} runs on one virtual thread per request, which owns its exchange.
 * Shared state is thread-safe: the request count, the per-model {@code fake-flaky-N} counters,
 * the set of running request threads, and the {@code closing} latch that {@link #shutDown}
 * opens to end every wait at once.
 */
final class FakeHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(FakeHandler.class.getName());
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final List<WireFormat> formats;
    private final ReplyPlanner planner;
    private final Pacing pacing;
    private final long stallLimitNanos;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicInteger> flakyCounts = new ConcurrentHashMap<>();
    private final Set<Thread> active = ConcurrentHashMap.newKeySet();

    /** @param formats the APIs served, at least one; the first also answers paths none serves */
    FakeHandler(List<WireFormat> formats, ReplyPlanner planner, Pacing pacing, Duration stallLimit) {
        this.formats = List.copyOf(formats);
        if (this.formats.isEmpty()) throw new IllegalArgumentException("at least one wire format is required");
        this.planner = planner;
        this.pacing = pacing;
        this.stallLimitNanos = stallLimit.toNanos();
    }

    long requestCount() {
        return requests.get();
    }

    int activeHandlers() {
        return active.size();
    }

    /** Ends every pacing wait and stall now; requests still running drop their connections. */
    void shutDown() {
        closing.countDown();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Thread me = Thread.currentThread();
        active.add(me);
        requests.incrementAndGet();
        String requestId = Ids.request();
        String path = exchange.getRequestURI().getPath();
        WireFormat wire = formats.stream().filter(f -> f.serves(path.equals(COUNT_TOKENS) ? AnthropicWire.PATH : path))
                .findFirst().orElse(null);
        WireFormat shape = wire != null ? wire : formats.getFirst();
        exchange.getResponseHeaders().set(shape.requestIdHeader(), requestId);
        try {
            try {
                respond(exchange, wire, path);
            } catch (ApiError e) {
                sendError(exchange, shape, requestId, e);
            }
            exchange.close();
        } catch (Pacing.ServerClosing | DropConnection e) {
            // Escaping the handler without closing the exchange makes the HttpServer close the
            // connection at once, without the final chunk: the client sees the body cut off.
            throw new IOException(e.getMessage());
        } catch (IOException | TransportException e) {
            // The client went away (or closed the stream early): the normal end of a cancelled stream.
            LOG.log(System.Logger.Level.DEBUG, "fake server: request {0} ended early: {1}", requestId, e.toString());
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } finally {
            active.remove(me);
        }
    }

    private void respond(HttpExchange exchange, WireFormat wire, String path)
            throws ApiError, IOException, Pacing.ServerClosing, DropConnection {
        if (wire == null) throw new ApiError(ApiError.Kind.NOT_FOUND, "Not found: " + path);
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new ApiError(ApiError.Kind.METHOD_NOT_ALLOWED, "Method not allowed: use POST " + path, Map.of("allow", "POST"));
        }
        wire.checkHeaders(exchange.getRequestHeaders());
        String contentType = exchange.getRequestHeaders().getFirst("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiError.invalid("content-type: must be application/json, not " + contentType);
        }
        if (path.equals(COUNT_TOKENS)) {
            countTokens(exchange, wire, readJson(exchange.getRequestBody()));
            return;
        }
        FakeRequest request = wire.parse(path, readJson(exchange.getRequestBody()));
        Fault fault = Fault.of(request.model());
        Pacing.Schedule schedule = pacing.start(closing);
        switch (fault.kind()) {
            case OVERLOADED -> throw ApiError.overloaded();
            case RATE_LIMITED -> throw ApiError.rateLimited();
            case FLAKY -> {
                int seen = flakyCounts.computeIfAbsent(request.model(), m -> new AtomicInteger()).incrementAndGet();
                if (seen <= fault.failures()) throw ApiError.overloaded();
            }
            default -> { }
        }
        Reply reply = planner.plan(request);
        if (fault.kind() == Fault.Kind.DROP && !request.prefill().isEmpty()) {
            fault = Fault.NONE; // a continuation after a drop (a resuming client) is answered in full
        }
        if (request.stream() && fault.kind() != Fault.Kind.NOT_SSE) {
            wire.rateLimitHeaders().forEach(exchange.getResponseHeaders()::set);
            stream(exchange, wire.streamRenderer(request, reply), reply, fault, schedule);
            return;
        }
        switch (fault.kind()) {
            case ERROR_MID_STREAM -> throw ApiError.overloaded();
            case DROP -> throw new DropConnection();
            case STALL -> stall(schedule);
            default -> { }
        }
        schedule.awaitToken(Math.max(0, reply.outputTokens() - 1));
        send(exchange, 200, wire.message(reply));
    }

    /**
     * Anthropic's {@code POST /v1/messages/count_tokens}: the request of a message without
     * {@code max_tokens} (refused, as the API does) or {@code stream}, checked like one, answered
     * with {@code {"input_tokens":N}}, the count a message's usage would report.
     */
    private static void countTokens(HttpExchange exchange, WireFormat wire, JsonNode body) throws ApiError, IOException {
        if (!body.isObject()) throw ApiError.invalid("Input should be a valid JSON object");
        for (String extra : List.of("max_tokens", "stream", "temperature", "top_p", "top_k", "stop_sequences", "metadata")) {
            if (body.has(extra)) throw ApiError.invalid(extra + ": Extra inputs are not permitted");
        }
        com.fasterxml.jackson.databind.node.ObjectNode asMessage = ((com.fasterxml.jackson.databind.node.ObjectNode) body).deepCopy();
        asMessage.put("max_tokens", Integer.MAX_VALUE); // only to check the rest as a message request
        asMessage.remove("thinking"); // its budget is checked against max_tokens, which count_tokens has none of
        FakeRequest request = wire.parse(AnthropicWire.PATH, asMessage);
        Fault.of(request.model()); // an unknown fake- model is a 404 here too
        send(exchange, 200, "{\"input_tokens\":" + ReplyPlanner.inputTokens(request) + "}");
    }

    private static JsonNode readJson(InputStream body) throws ApiError, IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiError(ApiError.Kind.REQUEST_TOO_LARGE, "Request exceeds the maximum allowed number of bytes");
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiError.invalid("There was an error parsing the body of your request: " + e.getOriginalMessage());
        }
    }

    private void stream(HttpExchange exchange, WireFormat.StreamRenderer render, Reply reply, Fault fault,
                        Pacing.Schedule schedule) throws IOException, Pacing.ServerClosing, DropConnection {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SseWriter out = new SseWriter(exchange.getResponseBody());
        out.flush(); // the headers go now, the first event after the first-token delay
        schedule.awaitFirst();
        write(out, render.begin());
        int token = 0;
        for (int index = 0; index < reply.blocks().size(); index++) {
            Reply.Block block = reply.blocks().get(index);
            write(out, render.blockStart(index, block));
            for (String piece : block.deltas()) {
                if (fault.midStream() && token == Fault.DELTAS_BEFORE_FAULT && strike(out, render, fault, schedule)) return;
                schedule.awaitToken(token++);
                write(out, List.of(render.delta(index, block, piece)));
            }
            write(out, render.blockEnd(index, block));
        }
        if (fault.midStream() && strike(out, render, fault, schedule)) return;
        write(out, render.end());
    }

    /**
     * Applies a mid-stream fault. {@return true when the response is over and ends normally}
     *
     * @throws DropConnection when the connection must be cut
     */
    private boolean strike(SseWriter out, WireFormat.StreamRenderer render, Fault fault, Pacing.Schedule schedule)
            throws DropConnection {
        switch (fault.kind()) {
            case ERROR_MID_STREAM -> {
                write(out, List.of(render.midStreamError()));
                return true;
            }
            case DROP -> throw new DropConnection();
            case STALL -> {
                stall(schedule);
                return true;
            }
            default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
        }
    }

    /** Sends nothing until the server closes or the stall limit passes; then the connection is cut. */
    private void stall(Pacing.Schedule schedule) throws DropConnection {
        schedule.awaitClosing(stallLimitNanos);
        throw new DropConnection();
    }

    /**
     * Writes events and flushes them, so that pacing reaches the client.
     *
     * @throws TransportException if the client has gone
     */
    private static void write(SseWriter out, List<SseEvent> events) {
        if (events.isEmpty()) return;
        for (SseEvent e : events) out.write(e);
        out.flush();
    }

    private static void sendError(HttpExchange exchange, WireFormat shape, String requestId, ApiError e) throws IOException {
        WireFormat.Rendered rendered = shape.error(e, requestId);
        e.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, rendered.status(), rendered.body());
    }
    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The connection must be cut without ending the response properly. */
    static final class DropConnection extends Exception {
        private static final long serialVersionUID = 1L;

        DropConnection() {
            super("connection dropped on purpose (fake-drop or fake-stall)", null, false, false);
        }
    }
}
