package dev.sluice.examples.fake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers every request of a {@link FakeAnthropicServer}: routing, header checks, validation,
 * faults, then the message as an event stream or as JSON.
 *
 * <p>Threading: {@link #handle} runs on one virtual thread per request, which owns its exchange.
 * Shared state is thread-safe: the request count, the per-model {@code fake-flaky-N} counters,
 * the set of running request threads, and the {@code closing} latch that {@link #shutDown}
 * opens to end every wait at once.
 */
final class MessagesHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(MessagesHandler.class.getName());
    private static final String PATH = "/v1/messages";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final String PING = "{\"type\": \"ping\"}";
    private static final String OVERLOADED_EVENT =
            "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}";

    private final ReplyPlanner planner;
    private final Pacing pacing;
    private final long stallLimitNanos;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicInteger> flakyCounts = new ConcurrentHashMap<>();
    private final Set<Thread> active = ConcurrentHashMap.newKeySet();

    MessagesHandler(ReplyPlanner planner, Pacing pacing, Duration stallLimit) {
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
        exchange.getResponseHeaders().set("request-id", requestId);
        try {
            try {
                respond(exchange);
            } catch (ApiError e) {
                sendError(exchange, requestId, e);
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

    private void respond(HttpExchange exchange) throws ApiError, IOException, Pacing.ServerClosing, DropConnection {
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            throw new ApiError(404, "not_found_error", "Not found: " + exchange.getRequestURI().getPath(), Map.of());
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new ApiError(405, "invalid_request_error", "Method not allowed: use POST " + PATH, Map.of("allow", "POST"));
        }
        String key = exchange.getRequestHeaders().getFirst("x-api-key");
        if (key == null || key.isBlank()) {
            throw new ApiError(401, "authentication_error", "x-api-key header is required", Map.of());
        }
        String version = exchange.getRequestHeaders().getFirst("anthropic-version");
        if (version == null || version.isBlank()) {
            throw ApiError.invalid("anthropic-version: header is required");
        }
        String contentType = exchange.getRequestHeaders().getFirst("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiError.invalid("content-type: must be application/json, not " + contentType);
        }
        FakeRequest request = FakeRequest.from(readJson(exchange.getRequestBody()));
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
        if (request.stream() && fault.kind() != Fault.Kind.NOT_SSE) {
            stream(exchange, reply, fault, schedule);
            return;
        }
        switch (fault.kind()) {
            case ERROR_MID_STREAM -> throw ApiError.overloaded();
            case DROP -> throw new DropConnection();
            case STALL -> stall(schedule);
            default -> { }
        }
        schedule.awaitToken(Math.max(0, reply.outputTokens() - 1));
        send(exchange, 200, Json.write(reply.message()));
    }

    private static JsonNode readJson(InputStream body) throws ApiError, IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes", Map.of());
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiError.invalid("There was an error parsing the body of your request: " + e.getOriginalMessage());
        }
    }

    private void stream(HttpExchange exchange, Reply reply, Fault fault, Pacing.Schedule schedule)
            throws IOException, Pacing.ServerClosing, DropConnection {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SseWriter out = new SseWriter(exchange.getResponseBody());
        out.flush(); // the headers go now, the first event after the first-token delay
        schedule.awaitFirst();
        ObjectNode start = Json.object();
        start.put("type", "message_start");
        start.set("message", reply.startMessage());
        writeEvent(out, "message_start", Json.write(start));
        int token = 0;
        for (int index = 0; index < reply.blocks().size(); index++) {
            Reply.Block block = reply.blocks().get(index);
            ObjectNode blockStart = Json.object();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            blockStart.set("content_block", Reply.emptyBlock(block));
            writeEvent(out, "content_block_start", Json.write(blockStart));
            if (index == 0) writeEvent(out, "ping", PING);
            if (block instanceof Reply.ToolUse) writeEvent(out, "content_block_delta", delta(index, "input_json_delta", "partial_json", ""));
            for (String piece : block.deltas()) {
                if (fault.midStream() && token == Fault.DELTAS_BEFORE_FAULT && strike(out, fault, schedule)) return;
                schedule.awaitToken(token++);
                writeEvent(out, "content_block_delta", switch (block) {
                    case Reply.Thinking t -> delta(index, "thinking_delta", "thinking", piece);
                    case Reply.Text t -> delta(index, "text_delta", "text", piece);
                    case Reply.ToolUse u -> delta(index, "input_json_delta", "partial_json", piece);
                });
            }
            if (block instanceof Reply.Thinking t) writeEvent(out, "content_block_delta", delta(index, "signature_delta", "signature", t.signature()));
            ObjectNode stop = Json.object();
            stop.put("type", "content_block_stop");
            stop.put("index", index);
            writeEvent(out, "content_block_stop", Json.write(stop));
        }
        if (fault.midStream() && strike(out, fault, schedule)) return;
        ObjectNode messageDelta = Json.object();
        messageDelta.put("type", "message_delta");
        ObjectNode d = messageDelta.putObject("delta");
        d.put("stop_reason", reply.stopReason());
        d.put("stop_sequence", reply.stopSequence());
        messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
        writeEvent(out, "message_delta", Json.write(messageDelta));
        writeEvent(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /**
     * Applies a mid-stream fault. {@return true when the response is over and ends normally}
     *
     * @throws DropConnection when the connection must be cut
     */
    private boolean strike(SseWriter out, Fault fault, Pacing.Schedule schedule) throws DropConnection {
        switch (fault.kind()) {
            case ERROR_MID_STREAM -> {
                writeEvent(out, "error", OVERLOADED_EVENT);
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

    private static String delta(int index, String type, String field, String value) {
        ObjectNode event = Json.object();
        event.put("type", "content_block_delta");
        event.put("index", index);
        ObjectNode d = event.putObject("delta");
        d.put("type", type);
        d.put(field, value);
        return Json.write(event);
    }

    /**
     * Writes one event and flushes it, so that pacing reaches the client.
     *
     * @throws TransportException if the client has gone
     */
    private static void writeEvent(SseWriter out, String type, String data) {
        out.write(SseEvent.of(type, data));
        out.flush();
    }

    private static void sendError(HttpExchange exchange, String requestId, ApiError e) throws IOException {
        ObjectNode body = Json.object();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", e.type());
        error.put("message", e.getMessage());
        body.put("request_id", requestId);
        e.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, e.status(), Json.write(body));
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
