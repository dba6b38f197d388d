package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.http.HttpRefusals.Refused;
import dev.sluice.relay.internal.Json;
import dev.sluice.relay.protocol.GatewayAnswerWriter;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Responses API over a WebSocket, {@code GET /v1/responses} upgraded (as OpenAI's WebSocket mode,
 * which Codex speaks to a provider with {@code supports_websockets = true}). Each client message is
 * {@code {"type":"response.create", ...a Responses body...}}, run by the {@code POST /v1/responses}
 * door itself ({@link GatewayHttp}: the same admission, limits, access log, passthrough or
 * translation), streamed; each event its SSE stream carries is sent as one text message, its
 * {@code data}, the last {@code response.completed}, {@code response.failed} or
 * {@code response.incomplete}. A failure before anything was sent (a refusal, an upstream that fails
 * first) is one {@code {"type":"error","status":S,"error":{...}}} message, {@code S} the status the
 * SSE door answers with, {@code error} its body's. Responses follow one another: a
 * {@code response.create} while one runs is refused with code {@code concurrent_response} (409).
 *
 * <ul>
 * <li>{@code "generate": false} (Codex's warm-up) is answered {@code response.created} and
 *     {@code response.completed}, with no output and no upstream call.</li>
 * <li>{@code previous_response_id} may name the socket's last response (a warm-up's included): the
 *     socket keeps its conversation (its input, then its {@code response.completed}'s {@code output}
 *     items, without their ids, as Codex sends its own back) and sends it whole upstream before the new {@code input}, as an upstream asked with
 *     {@code store: false} keeps nothing. Another id is refused, {@code previous_response_not_found}
 *     (400), as OpenAI's WebSocket mode keeps only the last response.</li>
 * <li>Bounds: a message of at most the request-body limit ({@link RelayAdmission#maxRequestBytes()};
 *     the server closes the socket with 1009 past it), and the body sent upstream, the kept
 *     conversation included, held to the same limit as a {@code POST}: past it, an {@code error}
 *     message with status 413 ({@code request_too_large}); the socket then still takes a new
 *     conversation. Only the last response's conversation is kept. The socket closes when silent for
 *     the gateway's answer timeout ({@link GatewayHttp.Builder#answerTimeout}); heartbeats are pings.</li>
 * <li>{@code {"type":"response.processed"}} messages (Codex's acknowledgements) are taken without an
 *     answer; other types are refused (400).</li>
 * </ul>
 *
 * <p>Threading: the server calls {@link #onText} and {@link #onClose} one at a time; each response
 * runs on a virtual thread of its own, which sends its messages. {@code lock} guards {@code running},
 * {@code busy} and {@code last}.
 */
public final class ResponsesSocket implements SocketSession {
    /** The code of the refusal of a {@code response.create} sent while a response runs. */
    public static final String CONCURRENT_RESPONSE = "concurrent_response";
    /** The code of the refusal of a {@code previous_response_id} that is not the socket's last response. */
    public static final String PREVIOUS_RESPONSE_NOT_FOUND = "previous_response_not_found";

    private final GatewayHttp gateway;
    private final String clientAddress;
    private final Function<String, @Nullable String> headers;
    private final @Nullable KeyCaller caller; // the minted key the upgrade came with: each response is held to it
    private final RelaySocket.Peer peer;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean busy;
    private long turns; // the responses started: the number of the one running, while busy
    private @Nullable Completion running;
    private @Nullable Turn last;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger unsent = new AtomicInteger(); // refusals not yet written to the socket

    /** The socket's last response: its id, and its conversation (every input item, then its output). */
    private record Turn(String id, List<Object> items) {}

    ResponsesSocket(
            GatewayHttp gateway,
            String clientAddress,
            Function<String, @Nullable String> headers,
            @Nullable KeyCaller caller,
            RelaySocket.Peer peer) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clientAddress = clientAddress;
        this.headers = headers;
        this.caller = caller;
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public int maxTextMessageBytes() {
        return gateway.admission().maxRequestBytes();
    }

    @Override
    public Optional<Duration> idleTimeout() {
        return Optional.of(gateway.answerTimeout());
    }

    @Override
    public void onText(String text) {
        if (closed.get()) return;
        Map<?, ?> frame = Json.object(text);
        Object type = frame == null ? null : frame.get("type");
        if (frame == null || !(type instanceof String t)) {
            refuseAsync(new HttpRefusal(
                    400,
                    "invalid_request",
                    "send a JSON object {\"type\":\"response.create\", ...a Responses body...}"));
            return;
        }
        switch (t) {
            case "response.create" -> create(frame);
            case "response.processed" -> {} // an acknowledgement: nothing to answer
            default ->
                refuseAsync(new HttpRefusal(
                        400,
                        "invalid_request",
                        "unknown message type \"" + Json.shorten(t, 40) + "\"; send response.create"));
        }
    }

    @Override
    public void onClose() {
        closed.set(true);
        Completion c;
        lock.lock();
        try {
            c = running;
        } finally {
            lock.unlock();
        }
        if (c != null) gateway.abandon(c);
    }

    private void create(Map<?, ?> frame) {
        long mine;
        lock.lock();
        try {
            if (busy) {
                refuseAsync(new HttpRefusal(
                        409,
                        CONCURRENT_RESPONSE,
                        "a response is in progress on this socket: send response.create once it has ended"));
                return;
            }
            busy = true;
            mine = ++turns;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("sluice-responses-ws").start(() -> {
            try {
                respond(frame, mine);
            } catch (Refused e) {
                release(mine);
                refuse(e.refusal());
            } catch (RelayException e) { // the relay's own, where the door left it unmapped
                release(mine);
                refuse(HttpRefusal.of(e));
            } catch (IOException | UncheckedIOException e) {
                // the socket is gone: nothing to tell it
            } finally {
                release(mine);
            }
        });
    }

    /**
     * Ends the socket's response {@code mine}, before its last message is sent: the client may send the next
     * {@code response.create} as soon as it reads it. Idempotent.
     */
    private void release(long mine) {
        lock.lock();
        try {
            if (turns != mine) return; // a later response's
            busy = false;
            running = null;
        } finally {
            lock.unlock();
        }
    }

    /** Runs one {@code response.create}: its warm-up, or the door's answer sent as messages. */
    private void respond(Map<?, ?> frame, long mine) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        frame.forEach((k, v) -> body.put(String.valueOf(k), v));
        body.remove("type");
        Object generate = body.remove("generate");
        Object previous = body.remove("previous_response_id");
        List<Object> input = new ArrayList<>();
        if (previous != null) {
            Turn turn = lastTurn();
            if (!(previous instanceof String id) || turn == null || !turn.id().equals(id))
                throw HttpRefusals.of(
                        400,
                        PREVIOUS_RESPONSE_NOT_FOUND,
                        "Previous response with id '" + Json.shorten(previous, 80)
                                + "' not found: this socket keeps its last response only");
            input.addAll(turn.items());
        }
        Object more = body.get("input");
        if (more instanceof String s) {
            input.add(Map.of("type", "message", "role", "user", "content", s));
        } else if (more instanceof List<?> items) {
            input.addAll(items);
        } else if (more != null) {
            throw HttpRefusals.of(400, "invalid_request_error", "'input' must be a string or an array of items");
        }
        body.put("input", input);
        if (Boolean.FALSE.equals(generate)) {
            warmUp(body, input, mine);
            return;
        }
        body.put("stream", true);
        byte[] json = Json.write(body).getBytes(StandardCharsets.UTF_8);
        Completion c = gateway.start(
                Doors.RESPONSES,
                "application/json",
                json.length,
                new ByteArrayInputStream(json),
                clientAddress,
                headers,
                caller);
        lock.lock();
        try {
            running = c;
        } finally {
            lock.unlock();
        }
        if (closed.get()) gateway.abandon(c);
        // the conversation kept, and the socket free for the next response, before the last event is sent
        Frames frames = new Frames(peer, gateway.admission().relay().limits().maxReplayBytes(), completed -> {
            if (completed != null
                    && completed.get("id") instanceof String id
                    && completed.get("output") instanceof List<?> output) {
                List<Object> items = new ArrayList<>(input);
                for (Object item : output) items.add(replayable(item));
                keep(new Turn(id, items));
            }
            release(mine);
        });
        GatewayAnswerWriter writer = c.writer(frames);
        Subscription.Outcome outcome;
        try {
            outcome = gateway.deliver(c, new Pinging(writer, peer))
                    .toCompletableFuture()
                    .join();
        } catch (CompletionException e) {
            gateway.abandon(c);
            throw e;
        }
        if (outcome != Subscription.Outcome.COMPLETE) gateway.abandon(c);
        Optional<RelayEvent.Error> failure = writer.failure();
        if (failure.isPresent() && !writer.written()) {
            RelayEvent.Error e = failure.get();
            release(mine);
            peer.send("{\"type\":\"error\",\"status\":" + writer.status(e) + ","
                    + writer.errorJson(e).substring(1));
        }
    }

    /** {@code "generate": false}: {@code response.created} and {@code response.completed}, no output, no upstream. */
    private void warmUp(Map<String, Object> body, List<Object> input, long mine) throws IOException {
        String id = GatewayHttp.answerId(Doors.RESPONSES);
        long created = System.currentTimeMillis() / 1000;
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", created);
        response.put("status", "in_progress");
        response.put("model", body.get("model") instanceof String m ? m : "");
        response.put("output", List.of());
        response.put("usage", null);
        peer.send(Json.write(Map.of("type", "response.created", "sequence_number", 0, "response", response)));
        response.put("status", "completed");
        response.put("usage", Map.of("input_tokens", 0, "output_tokens", 0, "total_tokens", 0));
        keep(new Turn(id, input));
        release(mine);
        peer.send(Json.write(Map.of("type", "response.completed", "sequence_number", 1, "response", response)));
    }

    /**
     * {@return an output item as it goes back as input, as Codex sends its own back: without its
     * {@code id} (an upstream asked with {@code store: false} kept no item to name), a message also
     * without its {@code status}}
     */
    private static Object replayable(Object item) {
        if (!(item instanceof Map<?, ?> m)) return item;
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.remove("id");
        if ("message".equals(copy.get("type"))) copy.remove("status");
        return copy;
    }

    private @Nullable Turn lastTurn() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    private void keep(Turn turn) {
        lock.lock();
        try {
            last = turn;
        } finally {
            lock.unlock();
        }
    }

    /** A refusal, as the door's error body with the status it would have answered, from a response's thread. */
    private void refuse(HttpRefusal e) {
        if (!peer.isOpen()) return;
        try {
            peer.send(errorMessage(e));
        } catch (IOException gone) {
            // nothing to tell a socket that is gone
        }
    }

    /** A refusal from the server's message thread: not waited for, at most {@value RelaySocket#MAX_QUEUED_FRAMES} waiting. */
    private void refuseAsync(HttpRefusal e) {
        if (!peer.isOpen()) return;
        if (unsent.incrementAndGet() > RelaySocket.MAX_QUEUED_FRAMES) {
            if (!closed.getAndSet(true))
                peer.close(RelaySocket.POLICY_VIOLATION, "too many frames wait to be sent: read them");
            return;
        }
        peer.sendAsync(errorMessage(e), unsent::decrementAndGet);
    }

    private static String errorMessage(HttpRefusal e) {
        return "{\"type\":\"error\",\"status\":" + e.status() + ","
                + Doors.RESPONSES.errorJson(e).substring(1);
    }

    /**
     * The door's event stream as it writes it, each event's {@code data} sent as one message; before
     * the last ({@code response.completed}, {@code response.failed}, {@code response.incomplete}),
     * {@code ending} is given the {@code response} of a {@code response.completed}, else null.
     */
    private static final class Frames extends OutputStream {
        private static final Set<String> TERMINAL =
                Set.of("response.completed", "response.failed", "response.incomplete");
        private final RelaySocket.Peer peer;
        private final SseParser parser;
        private final Consumer<@Nullable Map<?, ?>> ending;

        Frames(RelaySocket.Peer peer, long maxEventBytes, Consumer<@Nullable Map<?, ?>> ending) {
            this.peer = peer;
            this.ending = ending;
            int max = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(SseLimits.DEFAULT_MAX_BYTES, maxEventBytes * 2));
            this.parser =
                    new SseParser(SseLimits.defaults().withMaxEventBytes(max).withMaxLineBytes(max), this::event);
        }

        private void event(SseEvent event) {
            String data = event.data();
            if (data.equals("[DONE]")) return;
            if (TERMINAL.contains(event.type())
                    || (event.type().equals(SseEvent.DEFAULT_TYPE)
                            && TERMINAL.stream().anyMatch(t -> data.contains("\"" + t + "\"")))) {
                Map<?, ?> json = Json.object(data);
                Object type = json == null ? null : json.get("type");
                if (json != null && type != null && TERMINAL.contains(type))
                    ending.accept(
                            type.equals("response.completed") && json.get("response") instanceof Map<?, ?> r
                                    ? r
                                    : null);
            }
            try {
                peer.send(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                parser.feed(b, off, len);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** The door's writer, with each heartbeat also a WebSocket ping (its own are left out before the first byte). */
    private record Pinging(GatewayAnswerWriter writer, RelaySocket.Peer peer) implements RelayWriter {
        @Override
        public void send(long id, RelayEvent event) throws IOException {
            writer.send(id, event);
        }

        @Override
        public void heartbeat() throws IOException {
            writer.heartbeat();
            peer.ping();
        }

        @Override
        public void flush() throws IOException {
            writer.flush();
        }

        @Override
        public long bytesWritten() {
            return writer.bytesWritten();
        }

        @Override
        public void caughtUp() throws IOException {
            writer.caughtUp();
        }

        @Override
        public boolean responseEnded() {
            return writer.responseEnded();
        }
    }
}
