package dev.sluice.testkit;

import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.http.DropConnection;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.http.Pacing;
import dev.sluice.testkit.internal.http.PlainEndpoint;
import dev.sluice.testkit.internal.http.SlowStart;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.http.SseWriter;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Ids;
import dev.sluice.testkit.internal.wire.Reply;
import dev.sluice.testkit.internal.wire.WireFormat;
import dev.sluice.testkit.internal.wire.anthropic.AnthropicWire;
import dev.sluice.testkit.internal.wire.azure.AzureWire;
import dev.sluice.testkit.internal.wire.bedrock.BedrockCompatibleWire;
import dev.sluice.testkit.internal.wire.vertex.GoogleAuthRoutes;
import dev.sluice.testkit.internal.wire.vertex.VertexAnthropicWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Answers every request of a {@link FakeLlmServer}, whatever the API: routes it to the
 * {@link WireFormat} that serves its path, which checks and reads it; then the shared scenario —
 * faults by model name, the planned {@link Reply}, pacing, the walk through blocks and deltas —
 * with only the rendering left to the format. A path no format serves is answered in the first
 * format's error shape. A scripted {@link FakeResponse} takes the same walk with its own answer
 * and fault ({@link #scripted}), or is written as it is ({@link Replay}).
 *
 * <p>Threading: {@link #handle} runs on the request's connection thread, which owns its exchange.
 * Shared state is thread-safe: the request count, the per-model {@code fake-flaky-N} counters,
 * the set of running request threads, and the {@code closing} latch that {@link #shutDown}
 * opens to end every wait at once.
 */
final class FakeHandler {
    private static final System.Logger LOG = System.getLogger(FakeHandler.class.getName());
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final List<WireFormat> formats;
    private final List<PlainEndpoint> endpoints;
    private final ReplyPlanner planner;
    private final Pacing pacing;
    private final long stallLimitNanos;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong opaqueRejections =
            new AtomicLong(); // requests refused for an altered or foreign opaque value
    private final Map<String, AtomicInteger> flakyCounts = new ConcurrentHashMap<>();
    private final Set<Thread> active = ConcurrentHashMap.newKeySet();
    private final int rateLimitEvery; // 0: no periodic 429
    private final Duration rateLimitRetryAfter;
    private final AtomicLong modelRequests = new AtomicLong(); // counted for rateLimitEvery

    /**
     * @param formats the APIs served, at least one; the first also answers paths none serves
     * @param endpoints the endpoints that are not a model's API (token services), asked first
     */
    FakeHandler(
            List<WireFormat> formats,
            List<PlainEndpoint> endpoints,
            ReplyPlanner planner,
            Pacing pacing,
            Duration stallLimit) {
        this(formats, endpoints, planner, pacing, stallLimit, 0, Duration.ZERO);
    }

    /**
     * @param rateLimitEvery every this many model requests one is answered 429 (0: none)
     * @param rateLimitRetryAfter the {@code retry-after} of those 429s
     */
    FakeHandler(
            List<WireFormat> formats,
            List<PlainEndpoint> endpoints,
            ReplyPlanner planner,
            Pacing pacing,
            Duration stallLimit,
            int rateLimitEvery,
            Duration rateLimitRetryAfter) {
        this.rateLimitEvery = rateLimitEvery;
        this.rateLimitRetryAfter = rateLimitRetryAfter;
        this.formats = List.copyOf(formats);
        this.endpoints = List.copyOf(endpoints);
        if (this.formats.isEmpty()) throw new IllegalArgumentException("at least one wire format is required");
        this.planner = planner;
        this.pacing = pacing;
        this.stallLimitNanos = stallLimit.toNanos();
    }

    long requestCount() {
        return requests.get();
    }

    long opaqueRejections() {
        return opaqueRejections.get();
    }

    int activeHandlers() {
        return active.size();
    }

    /** Ends every pacing wait and stall now; requests still running drop their connections. */
    void shutDown() {
        closing.countDown();
    }

    /** Forgets the request count, the opaque rejections and the {@code fake-flaky-N} counts, as a new server would. */
    void reset() {
        requests.set(0);
        opaqueRejections.set(0);
        flakyCounts.clear();
        modelRequests.set(0);
    }

    /**
     * Answers one request with its response; returns normally when the connection may carry another.
     *
     * @throws IOException when the connection must be closed: the response was cut or stalled, or the client went away
     */
    void handle(Exchange exchange, FakeResponse response) throws IOException {
        Thread me = Thread.currentThread();
        active.add(me);
        requests.incrementAndGet();
        String requestId = Ids.request();
        String path = exchange.getRequestURI().getPath();
        String served = countsTokens(path) ? path.substring(0, path.length() - "/count_tokens".length()) : path;
        WireFormat wire = formats.stream()
                .filter(f -> f.serves(served, exchange.getRequestHeaders()))
                .findFirst()
                .orElse(null);
        WireFormat shape = wire != null ? wire : formats.getFirst();
        if (response.kind() != FakeResponse.Kind.RAW)
            exchange.getResponseHeaders().set(shape.requestIdHeader(), requestId);
        exchange.overrideHeaders(response.headers());
        exchange.chunkSize(response.chunkSize());
        Fault fault = response.fault();
        if (fault != null && fault.bodyLimit())
            exchange.limitBody(fault.after(), fault.kind() == Fault.Kind.STALL_BYTES, stallLimitNanos);
        try {
            try {
                if (rateLimitEvery > 0
                        && answers(wire, path, response)
                        && modelRequests.incrementAndGet() % rateLimitEvery == 0) {
                    throw ApiError.rateLimited(rateLimitRetryAfter);
                }
                switch (response.kind()) {
                    case PROMPT -> respond(exchange, wire, path, response);
                    case ANSWER, OBJECT -> scripted(exchange, shape, path, response);
                    case ERROR -> throw response.error();
                    case RAW ->
                        Replay.write(
                                exchange,
                                response,
                                (response.pacing() != null ? response.pacing() : pacing).start(closing, exchange),
                                fault != null ? fault : Fault.NONE,
                                f -> strikeReplay(exchange, f));
                    case SILENT -> stall(exchange);
                }
            } catch (ApiError e) {
                if (e.opaque()) opaqueRejections.incrementAndGet();
                sendError(exchange, shape, requestId, e);
            }
            exchange.close();
        } catch (Pacing.ServerClosing | DropConnection e) {
            // Escaping the handler without closing the exchange makes the server close the
            // connection at once, without the final chunk: the client sees the body cut off.
            throw new IOException(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            // The client went away (or closed the stream early): the normal end of a cancelled stream.
            LOG.log(System.Logger.Level.DEBUG, "fake server: request {0} ended early: {1}", requestId, e.toString());
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } finally {
            active.remove(me);
        }
    }

    /** {@return whether the request asks a model API for an answer that the server or a script gives: what rateLimitEvery counts} */
    private static boolean answers(@Nullable WireFormat wire, String path, FakeResponse response) {
        FakeResponse.Kind kind = response.kind();
        return wire != null
                && !countsTokens(path)
                && (kind == FakeResponse.Kind.PROMPT
                        || kind == FakeResponse.Kind.ANSWER
                        || kind == FakeResponse.Kind.OBJECT);
    }

    private void respond(Exchange exchange, @Nullable WireFormat wire, String path, FakeResponse response)
            throws ApiError, IOException, Pacing.ServerClosing, DropConnection {
        if (wire == null && GoogleAuthRoutes.serves(path)) {
            GoogleAuthRoutes.answer(exchange, path); // Google's token endpoint and metadata server (FakeVertex)
            return;
        }
        for (PlainEndpoint e : endpoints) {
            if (e.serves(exchange.getRequestMethod(), path)) {
                e.answer(exchange);
                return;
            }
        }
        if (wire == null) throw new ApiError(ApiError.Kind.NOT_FOUND, "Not found: " + path);
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new ApiError(
                    ApiError.Kind.METHOD_NOT_ALLOWED, "Method not allowed: use POST " + path, Map.of("allow", "POST"));
        }
        wire.checkRequest(
                exchange.getRequestMethod(), exchange.target(), exchange.getRequestHeaders(), exchange.requestBytes());
        String contentType = exchange.getRequestHeaders().getFirst("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiError.invalid("content-type: must be application/json, not " + contentType);
        }
        if (countsTokens(path)) {
            countTokens(exchange, wire, readJson(exchange.getRequestBody()));
            return;
        }
        if (wire instanceof VertexAnthropicWire vertex && vertex.countsTokens(path)) {
            countTokens(exchange, vertex.anthropic(), vertex.countTokensBody(readJson(exchange.getRequestBody())));
            return;
        }
        FakeRequest request = wire.parse(path, readJson(exchange.getRequestBody()));
        Fault fault = response.fault() != null ? response.fault() : Fault.of(request.model());
        Pacing.Schedule schedule = (response.pacing() != null
                        ? response.pacing()
                        : SlowStart.pacing(request.model(), pacing, requests.get()))
                .start(closing, exchange);
        switch (fault.kind()) {
            case OVERLOADED -> throw ApiError.overloaded();
            case RATE_LIMITED -> throw ApiError.rateLimited();
            case ECHO_HEADERS -> throw ApiError.invalid(echo(exchange));
            case FLAKY -> {
                int seen = flakyCounts
                        .computeIfAbsent(request.model(), m -> new AtomicInteger())
                        .incrementAndGet();
                if (seen <= fault.failures()) throw ApiError.overloaded();
            }
            default -> {}
        }
        Reply reply = planner.plan(request);
        if (fault.kind() == Fault.Kind.DROP && !request.prefill().isEmpty() && response.fault() == null) {
            fault = Fault.NONE; // a continuation after a drop (a resuming client) is answered in full
        }
        deliver(exchange, wire, request, reply, fault, response, schedule);
    }

    /** A scripted answer: the request read leniently, never refused, answered in the format of its path (else the first). */
    private void scripted(Exchange exchange, WireFormat wire, String path, FakeResponse response)
            throws ApiError, IOException, Pacing.ServerClosing, DropConnection {
        JsonNode body;
        try {
            body = Json.parse(exchange.requestBytes());
        } catch (Json.Malformed e) {
            body = Json.missing();
        }
        FakeRequest request =
                response.kind() == FakeResponse.Kind.OBJECT ? wire.peekStructured(path, body) : wire.peek(path, body);
        Fault fault = response.fault() != null ? response.fault() : Fault.NONE;
        Pacing.Schedule schedule = (response.pacing() != null ? response.pacing() : pacing).start(closing, exchange);
        deliver(exchange, wire, request, response.reply(request, wire, planner.seed()), fault, response, schedule);
    }

    /** Sends a planned or scripted answer: as a stream when asked for, else whole, with its fault and the response's pause and signal. */
    private void deliver(
            Exchange exchange,
            WireFormat wire,
            FakeRequest request,
            Reply reply,
            Fault fault,
            FakeResponse response,
            Pacing.Schedule schedule)
            throws ApiError, IOException, Pacing.ServerClosing, DropConnection {
        if (request.stream() && fault.kind() != Fault.Kind.NOT_SSE) {
            wire.rateLimitHeaders().forEach(exchange.getResponseHeaders()::set);
            stream(exchange, wire, wire.streamRenderer(request, reply), reply, fault, response, schedule);
            return;
        }
        String message = wire.message(reply);
        if (response.pause() != null)
            schedule.awaitLatch(response.pause().gate()); // a whole answer: before it is written
        switch (fault.kind()) {
            case ERROR_MID_STREAM -> throw ApiError.overloaded();
            case ECHO_HEADERS_MID_STREAM -> throw ApiError.invalid(echo(exchange));
            case DROP -> throw new DropConnection();
            case STALL -> stall(exchange);
            case MALFORMED -> message = message.substring(0, message.length() / 2);
            default -> {}
        }
        schedule.awaitToken(Math.max(0, reply.outputTokens() - 1));
        send(exchange, 200, message);
        if (response.signal() != null) response.signal().gate().countDown(); // a whole answer: once it is written
    }

    /** {@return whether the path is Anthropic's {@code count_tokens}, on its API or on Foundry's ({@code /anthropic/v1/messages/count_tokens})} */
    private static boolean countsTokens(String path) {
        return path.equals(COUNT_TOKENS)
                || path.equals(AzureWire.FOUNDRY_PATH + "/count_tokens")
                || path.equals(BedrockCompatibleWire.MANTLE_MESSAGES_PATH + "/count_tokens");
    }

    /**
     * Anthropic's {@code POST /v1/messages/count_tokens} (and Vertex AI's {@code count-tokens:rawPredict},
     * its body made Anthropic's first): the request of a message without
     * {@code max_tokens} (refused, as the API does) or {@code stream}, checked like one, answered
     * with {@code {"input_tokens":N}}, the count a message's usage would report.
     */
    private static void countTokens(Exchange exchange, WireFormat wire, JsonNode body) throws ApiError, IOException {
        if (!body.isObject()) throw ApiError.invalid("Input should be a valid JSON object");
        for (String extra :
                List.of("max_tokens", "stream", "temperature", "top_p", "top_k", "stop_sequences", "metadata")) {
            if (body.has(extra)) throw ApiError.invalid(extra + ": Extra inputs are not permitted");
        }
        ObjectNode asMessage = ((ObjectNode) body).deepCopy();
        asMessage.put("max_tokens", 1); // only to check the rest as a message request (within every model's limit)
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
            return Json.parse(bytes);
        } catch (Json.Malformed e) {
            throw ApiError.invalid("There was an error parsing the body of your request: " + e.getMessage());
        }
    }

    private void stream(
            Exchange exchange,
            WireFormat wire,
            WireFormat.StreamRenderer render,
            Reply reply,
            Fault fault,
            FakeResponse response,
            Pacing.Schedule schedule)
            throws IOException, Pacing.ServerClosing, DropConnection {
        exchange.getResponseHeaders().set("content-type", wire.streamContentType());
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SseWriter out = new SseWriter(exchange.getResponseBody(), wire::encode);
        out.flush(); // the headers go now, the first event after the first-token delay
        schedule.awaitFirst();
        write(out, render.begin());
        int token = 0;
        int due = 0; // the tokens before this delta: its place in the pacing
        boolean struck = false;
        for (int index = 0; index < reply.blocks().size(); index++) {
            Reply.Block block = reply.blocks().get(index);
            write(out, render.blockStart(index, block));
            for (String piece : block.deltas()) {
                int at = index;
                Replay.marks(token, false, response, schedule, out);
                if (!struck && fault.midStream() && token == fault.after()) {
                    struck = true;
                    if (strike(exchange, out, render, fault, response, () -> render.delta(at, block, piece))) return;
                }
                schedule.awaitToken(due);
                token++;
                due += reply.tokens(piece);
                SseEvent event = render.delta(index, block, piece);
                if (event != null) write(out, List.of(event));
            }
            write(out, render.blockEnd(index, block));
        }
        List<SseEvent> end = render.end();
        Replay.marks(token, true, response, schedule, out);
        if (!struck && fault.midStream() && strike(exchange, out, render, fault, response, end::getFirst)) return;
        write(out, end);
    }

    /**
     * Applies a mid-stream fault. {@return true when the response is over and ends normally,
     * false when it goes on}
     *
     * @param response the response, for a scripted error's type and message
     * @param next the event that would come next, for a malformed copy (answers only; when the API sends
     *     nothing for the next delta, nothing is sent)
     * @throws DropConnection when the connection must be cut
     */
    private boolean strike(
            Exchange exchange,
            SseWriter out,
            WireFormat.StreamRenderer render,
            Fault fault,
            FakeResponse response,
            Supplier<@Nullable SseEvent> next)
            throws DropConnection {
        return switch (fault.kind()) {
            case ERROR_MID_STREAM -> {
                String type = response.streamErrorType();
                write(out, List.of(render.midStreamError(type, type == null ? null : response.streamErrorMessage())));
                yield true;
            }
            case ECHO_HEADERS_MID_STREAM -> {
                write(out, List.of(render.midStreamError(null, echo(exchange))));
                yield true;
            }
            case DROP -> throw new DropConnection();
            case STALL -> {
                stall(exchange);
                yield true;
            }
            case END -> true;
            case MALFORMED -> {
                SseEvent e = next.get();
                if (e != null)
                    write(
                            out,
                            List.of(new SseEvent(
                                    e.type(), e.data().substring(0, e.data().length() / 2))));
                yield false;
            }
            default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
        };
    }

    /**
     * Applies a mid-stream fault to a replayed stream, which has no renderer: only the faults that
     * need none reach it. {@return true when the response is over and ends normally}
     *
     * @throws DropConnection when the connection must be cut
     */
    private boolean strikeReplay(Exchange exchange, Fault fault) throws DropConnection {
        return switch (fault.kind()) {
            case DROP -> throw new DropConnection();
            case STALL -> {
                stall(exchange);
                yield true;
            }
            case END -> true;
            default -> throw new IllegalStateException("not a fault a replay takes: " + fault);
        };
    }

    /**
     * {@return the message of {@code fake-echo-headers}: every request header with its value, keys
     * included, as a careless proxy or debugging server repeats them} For tests that the client
     * keeps the key out of what it reports.
     */
    private static String echo(Exchange exchange) {
        StringBuilder sb = new StringBuilder("Unexpected request; it had these headers:");
        new TreeMap<>(exchange.getRequestHeaders())
                .forEach((name, values) -> values.forEach(v -> sb.append(' ')
                        .append(name.toLowerCase(Locale.ROOT))
                        .append(": ")
                        .append(v)
                        .append(';')));
        return sb.toString();
    }

    /** Sends nothing until the client closes the connection, the server closes, or the stall limit passes; then the connection is cut. */
    private void stall(Exchange exchange) throws DropConnection {
        exchange.awaitClientClose(stallLimitNanos);
        throw new DropConnection();
    }

    /**
     * Writes events and flushes them, so that pacing reaches the client.
     *
     * @throws UncheckedIOException if the client has gone
     */
    private static void write(SseWriter out, List<SseEvent> events) {
        if (events.isEmpty()) return;
        for (SseEvent e : events) out.write(e);
        out.flush();
    }

    private static void sendError(Exchange exchange, WireFormat shape, String requestId, ApiError e)
            throws IOException {
        WireFormat.Rendered rendered = shape.error(e, requestId);
        e.headers().forEach(exchange.getResponseHeaders()::set);
        rendered.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, rendered.status(), rendered.body());
    }

    private static void send(Exchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
