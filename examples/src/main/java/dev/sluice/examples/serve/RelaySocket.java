package dev.sluice.examples.serve;

import dev.sluice.relay.RelayClient;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket side of the relay, {@code /api/ws}. Frames from the client:
 * {@code {"type":"start", ...the fields of POST /api/streams...}},
 * {@code {"type":"cancel"}} (the socket's stream), and
 * {@code {"type":"resume","stream":"ID","lastEventId":n}} (on a new socket, after a cut). Frames to
 * the client: one JSON text frame per event, {@link RelayEvent#frame} (the SSE data plus
 * {@code "id"} and {@code "type"}, and {@code "stream"} in the first frame of a delivery); a refused
 * request is {@code {"type":"error","status":4xx,"error":{"type","message"}}} without an id.
 * Heartbeats are WebSocket pings. A client that sends frames but does not read the answers is
 * closed with 1008 (policy violation) once {@value #MAX_QUEUED_FRAMES} frames wait to be sent to
 * it: its outgoing queue, and so the memory it holds, is bounded.
 *
 * <p>Public only because Jetty calls its methods reflectively; made by {@link RelayServer}.
 *
 * <p>Threading: Jetty calls the listener methods one at a time; each delivery runs on its own
 * virtual thread and blocks on each frame's send, so a slow socket slows only its own stream.
 * {@code lock} guards {@code session}, {@code current} and {@code streamId}.
 */
public final class RelaySocket implements Session.Listener.AutoDemanding {
    private static final System.Logger LOG = System.getLogger(RelaySocket.class.getName());
    private static final long SEND_TIMEOUT_SECONDS = 60;
    /** The most refusals waiting to be sent to one socket; one more closes it. */
    static final int MAX_QUEUED_FRAMES = 32;
    /** Jetty's own bound on a socket's waiting frames, a backstop far above what a socket here queues. */
    static final int MAX_OUTGOING_FRAMES = 256;
    /** The close code for a client that does not read what it asked for: policy violation. */
    static final int POLICY_VIOLATION = 1008;

    private final RelayHttp http;
    private final String clientAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private Session session;
    private Subscription current;
    private String streamId;
    private final AtomicInteger unsent = new AtomicInteger(); // refusals not yet written to the socket
    private final AtomicBoolean closing = new AtomicBoolean();

    RelaySocket(RelayHttp http, String clientAddress) {
        this.http = http;
        this.clientAddress = clientAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        lock.lock();
        try {
            this.session = session;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onWebSocketText(String text) {
        if (closing.get()) return;
        try {
            Map<?, ?> frame = Json.object(text);
            Object type = frame == null ? null : frame.get("type");
            if (type == null) throw new HttpError(400, "invalid_request", "send a JSON object with a \"type\": start, cancel or resume");
            switch (String.valueOf(type)) {
                case "start" -> {
                    String id = http.start(text, clientAddress);
                    deliver(id, http.subscribe(id, null));
                }
                case "cancel" -> {
                    String id = currentStream();
                    if (id != null) http.cancel(id);
                }
                case "resume" -> {
                    Object stream = frame.get("stream");
                    Object last = frame.get("lastEventId");
                    if (!(stream instanceof String s) || !(last == null || last instanceof Long)) {
                        throw new HttpError(400, "invalid_request", "resume needs \"stream\" (a string) and \"lastEventId\" (a number)");
                    }
                    deliver(s, http.subscribe(s, last == null ? null : last.toString()));
                }
                default -> throw new HttpError(400, "invalid_request", "unknown frame type \"" + type + "\"; send start, cancel or resume");
            }
        } catch (HttpError e) {
            refuse(e);
        }
    }

    private void deliver(String id, Subscription s) {
        Subscription previous;
        Session ws;
        lock.lock();
        try {
            previous = current;
            current = s;
            streamId = id;
            ws = session;
        } finally {
            lock.unlock();
        }
        if (previous != null) previous.close();
        Thread.ofVirtual().name("sluice-ws-" + id).start(() -> {
            // dropped by the relay: cut the socket, as a lost connection would be (the page resumes)
            if (s.deliver(new Frames(ws, id)) == Subscription.Outcome.DROPPED) ws.disconnect();
        });
    }

    private String currentStream() {
        lock.lock();
        try {
            return streamId;
        } finally {
            lock.unlock();
        }
    }

    private void refuse(HttpError e) {
        Session ws;
        lock.lock();
        try {
            ws = session;
        } finally {
            lock.unlock();
        }
        if (ws == null || !ws.isOpen()) return;
        if (unsent.incrementAndGet() > MAX_QUEUED_FRAMES) {
            // a client that asks and asks but does not read: it would make the server hold every answer
            if (closing.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "closing the WebSocket of " + clientAddress + " with " + POLICY_VIOLATION
                        + ": " + MAX_QUEUED_FRAMES + " answers wait for it to read them");
                ws.close(POLICY_VIOLATION, "too many frames wait to be sent: read them", Callback.NOOP);
            }
            return;
        }
        String json = "{\"type\":\"error\",\"status\":" + e.status() + "," + e.json().substring(1);
        ws.sendText(json, Callback.from(unsent::decrementAndGet, x -> unsent.decrementAndGet()));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        Subscription s;
        lock.lock();
        try {
            s = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (s != null) s.close(); // the resume window starts
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        onWebSocketClose(1006, String.valueOf(cause), Callback.NOOP);
    }

    /** One delivery's frames: blocking sends, the stream id in the first. */
    private static final class Frames implements RelayClient {
        private final Session session;
        private String streamId;

        Frames(Session session, String streamId) {
            this.session = session;
            this.streamId = streamId;
        }

        @Override
        public void send(long id, RelayEvent event) throws IOException {
            String frame = event.frame(id, streamId);
            streamId = null;
            await(Callback.Completable.with(c -> session.sendText(frame, c)));
        }

        @Override
        public void heartbeat() throws IOException {
            await(Callback.Completable.with(c -> session.sendPing(ByteBuffer.allocate(0), c)));
        }

        @Override
        public void flush() {
            // each frame is sent whole as it is written
        }

        private static void await(Callback.Completable sent) throws IOException {
            try {
                sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the WebSocket send failed: " + e, e);
            }
        }
    }
}
