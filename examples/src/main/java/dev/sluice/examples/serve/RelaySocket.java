package dev.sluice.examples.serve;

import dev.sluice.relay.Created;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayClient;
import dev.sluice.relay.RelayError;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Heartbeats are WebSocket pings.
 *
 * <p>Public only because Jetty calls its methods reflectively; made by {@link RelayServer}.
 *
 * <p>Threading: Jetty calls the listener methods one at a time; each delivery runs on its own
 * virtual thread and blocks on each frame's send, so a slow socket slows only its own stream.
 * {@code lock} guards {@code session}, {@code current} and {@code streamId}.
 */
public final class RelaySocket implements Session.Listener.AutoDemanding {
    private static final long SEND_TIMEOUT_SECONDS = 60;

    private final Relay relay;
    private final String clientAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private Session session;
    private Subscription current;
    private String streamId;

    RelaySocket(Relay relay, String clientAddress) {
        this.relay = relay;
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
        Map<?, ?> frame = Json.object(text);
        Object type = frame == null ? null : frame.get("type");
        if (type == null) {
            refuse(new RelayError(400, "invalid_request", "send a JSON object with a \"type\": start, cancel or resume"));
            return;
        }
        switch (String.valueOf(type)) {
            case "start" -> start(text);
            case "cancel" -> {
                String id = currentStream();
                if (id != null) relay.cancel(id);
            }
            case "resume" -> {
                Object stream = frame.get("stream");
                Object last = frame.get("lastEventId");
                if (!(stream instanceof String s) || !(last == null || last instanceof Long)) {
                    refuse(new RelayError(400, "invalid_request", "resume needs \"stream\" (a string) and \"lastEventId\" (a number)"));
                    return;
                }
                deliver(s, relay.subscribe(s, last == null ? null : last.toString()));
            }
            default -> refuse(new RelayError(400, "invalid_request", "unknown frame type \"" + type + "\"; send start, cancel or resume"));
        }
    }

    private void start(String text) {
        StartRequest request;
        try {
            request = StartRequest.parse(text);
        } catch (IllegalArgumentException e) {
            refuse(new RelayError(400, "invalid_request", e.getMessage()));
            return;
        }
        switch (relay.create(request, clientAddress)) {
            case RelayError e -> refuse(e);
            case Created c -> deliver(c.id(), relay.subscribe(c.id(), null));
        }
    }

    private void deliver(String id, Relay.SubscribeOutcome outcome) {
        switch (outcome) {
            case RelayError e -> refuse(e);
            case Subscription s -> {
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
        }
    }

    private String currentStream() {
        lock.lock();
        try {
            return streamId;
        } finally {
            lock.unlock();
        }
    }

    private void refuse(RelayError e) {
        Session ws;
        lock.lock();
        try {
            ws = session;
        } finally {
            lock.unlock();
        }
        String json = "{\"type\":\"error\",\"status\":" + e.status() + "," + e.json().substring(1);
        if (ws != null && ws.isOpen()) ws.sendText(json, Callback.NOOP);
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
