package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.Subscription;
import dev.sluice.relay.http.HttpRefusals.Refused;
import dev.sluice.relay.internal.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket side of the relay, {@code /api/ws}, without a WebSocket library: one session per
 * socket, fed the client's text messages by the server ({@link #onText}, {@link #onClose}) and
 * writing through the server's {@link Peer}. Messages from the client:
 * {@code {"type":"start", ...the fields of POST /api/streams...}} (a {@code "schema"} among them
 * asks for a structured answer),
 * {@code {"type":"cancel"}} (the socket's stream),
 * {@code {"type":"approval","stream":"ID","call":"CALL","approved":true|false,"reason"?:"..."}}
 * (a tool call's decision, as {@code POST /api/streams/ID/approvals/CALL}; answered only when refused: the stream's
 * {@code tool_approval_decided} event follows), and
 * {@code {"type":"resume","stream":"ID","lastEventId":n}} (on a new socket, after a cut). Messages
 * to the client: one JSON text message per event, {@link RelayEvent#frame} (the SSE data plus
 * {@code "id"} and {@code "type"}, and {@code "stream"} in the first message of a delivery); a
 * refused request is {@code {"type":"error","status":4xx,"error":{"type","message"}}} without an
 * id. Heartbeats are WebSocket pings. A client that sends messages but does not read the answers
 * is closed with 1008 (policy violation) once {@value #MAX_QUEUED_FRAMES} answers wait to be sent
 * to it: what it makes the server hold is bounded.
 *
 * <p>A server sets the socket's limits from the constants here: text messages of at most
 * {@value #MAX_TEXT_MESSAGE_BYTES} bytes, binary ones of at most {@value #MAX_BINARY_MESSAGE_BYTES}
 * (none is expected), and an idle timeout of {@link RelayHttpApi#idleTimeout()}.
 *
 * <p>Threading: the server calls {@link #onText} and {@link #onClose} one at a time; each delivery
 * runs on the relay's virtual threads ({@link Subscription#deliverAsync}: none once the stream
 * has been silent five seconds) and blocks on each message's send, so a slow socket slows only
 * its own stream. {@code lock} guards {@code current} and {@code streamId}.
 */
public final class RelaySocket implements SocketSession {
    private static final System.Logger LOG = System.getLogger(RelaySocket.class.getName());
    /** The most refusals waiting to be sent to one socket; one more closes it. */
    public static final int MAX_QUEUED_FRAMES = 32;
    /** The largest text message a client may send, in bytes. */
    public static final int MAX_TEXT_MESSAGE_BYTES = 64 * 1024;
    /** The largest binary message a client may send, in bytes (the protocol has none). */
    public static final int MAX_BINARY_MESSAGE_BYTES = 1024;
    /** The close code for a client that does not read what it asked for: policy violation. */
    public static final int POLICY_VIOLATION = 1008;

    /**
     * The server's side of one socket, as the session writes to it.
     *
     * <p>Threading: {@link #send} and {@link #ping} are called by one delivery thread at a time;
     * {@link #sendAsync}, {@link #close} and {@link #disconnect} by the server's message thread.
     */
    public interface Peer {
        /**
         * Sends a text message and waits until it is written, at most a minute.
         *
         * @param text the message
         * @throws IOException if the socket is gone or the send does not complete in time
         */
        void send(String text) throws IOException;

        /**
         * Sends a text message without waiting.
         *
         * @param text the message
         * @param done run once the send has completed or failed
         */
        void sendAsync(String text, Runnable done);

        /**
         * Sends a ping and waits until it is written, at most a minute.
         *
         * @throws IOException if the socket is gone or the send does not complete in time
         */
        void ping() throws IOException;

        /** {@return whether the socket is open} */
        boolean isOpen();

        /**
         * Closes the socket with a close message.
         *
         * @param code the close code
         * @param reason the reason, short
         */
        void close(int code, String reason);

        /** Cuts the connection without a close message, as a lost connection would be. */
        void disconnect();
    }

    private final RelayAdmission admission;
    private final ProtocolHttp protocols; // starts a frame's stream, a structured answer when it has a schema
    private final String clientAddress;
    private final Peer peer;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Subscription current;
    private @Nullable String streamId;
    private final AtomicInteger unsent = new AtomicInteger(); // refusals not yet written to the socket
    private final AtomicBoolean closing = new AtomicBoolean();

    RelaySocket(RelayAdmission admission, String clientAddress, Peer peer) {
        this(admission, new ProtocolHttp(admission), clientAddress, peer);
    }

    RelaySocket(RelayAdmission admission, ProtocolHttp protocols, String clientAddress, Peer peer) {
        this.admission = admission;
        this.protocols = Objects.requireNonNull(protocols, "protocols");
        this.clientAddress = clientAddress;
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    /**
     * A text message from the client.
     *
     * @param text the message
     */
    @Override
    public void onText(String text) {
        if (closing.get()) return;
        try {
            Map<?, ?> frame = Json.object(text);
            Object type = frame == null ? null : frame.get("type");
            if (frame == null || type == null)
                throw HttpRefusals.of(
                        400,
                        "invalid_request",
                        "send a JSON object with a \"type\": start, cancel, resume or approval");
            switch (String.valueOf(type)) {
                case "start" -> {
                    String id = protocols.stream(text, clientAddress);
                    deliver(id, admission.subscribe(id, null));
                }
                case "cancel" -> {
                    String id = currentStream();
                    if (id != null) admission.cancel(id);
                }
                case "approval" -> {
                    if (!(frame.get("stream") instanceof String s) || !(frame.get("call") instanceof String call)) {
                        throw HttpRefusals.of(
                                400,
                                "invalid_request",
                                "approval needs \"stream\" and \"call\" (strings) and \"approved\" (true or false)");
                    }
                    admission.approve(s, call, frame);
                }
                case "resume" -> {
                    Object stream = frame.get("stream");
                    Object last = frame.get("lastEventId");
                    if (!(stream instanceof String s) || !(last == null || last instanceof Long)) {
                        throw HttpRefusals.of(
                                400,
                                "invalid_request",
                                "resume needs \"stream\" (a string) and \"lastEventId\" (a number)");
                    }
                    deliver(s, admission.subscribe(s, last == null ? null : last.toString()));
                }
                default ->
                    throw HttpRefusals.of(
                            400,
                            "invalid_request",
                            "unknown frame type \"" + Json.shorten(type, 40)
                                    + "\"; send start, cancel, resume or approval");
            }
        } catch (Refused e) {
            refuse(e.refusal());
        } catch (RelayException e) { // the relay's own, where the frame's handler left it unmapped
            refuse(HttpRefusal.of(e));
        }
    }

    /** The socket closed, or failed: the delivery stops, and the stream's resume window starts. */
    @Override
    public void onClose() {
        Subscription s;
        lock.lock();
        try {
            s = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (s != null) s.close();
    }

    private void deliver(String id, Subscription s) {
        Subscription previous;
        lock.lock();
        try {
            previous = current;
            current = s;
            streamId = id;
        } finally {
            lock.unlock();
        }
        if (previous != null) previous.close();
        s.deliverAsync(new Frames(peer, id)).thenAccept(outcome -> {
            // dropped by the relay: cut the socket, as a lost connection would be (the page resumes)
            if (outcome == Subscription.Outcome.DROPPED) peer.disconnect();
        });
    }

    private @Nullable String currentStream() {
        lock.lock();
        try {
            return streamId;
        } finally {
            lock.unlock();
        }
    }

    private void refuse(HttpRefusal e) {
        if (!peer.isOpen()) return;
        if (unsent.incrementAndGet() > MAX_QUEUED_FRAMES) {
            // a client that asks and asks but does not read: it would make the server hold every answer
            if (closing.compareAndSet(false, true)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "closing the WebSocket of " + clientAddress + " with " + POLICY_VIOLATION + ": "
                                + MAX_QUEUED_FRAMES + " answers wait for it to read them");
                peer.close(POLICY_VIOLATION, "too many frames wait to be sent: read them");
            }
            return;
        }
        String json =
                "{\"type\":\"error\",\"status\":" + e.status() + "," + e.json().substring(1);
        peer.sendAsync(json, unsent::decrementAndGet);
    }

    /** One delivery's messages: blocking sends, the stream id in the first. */
    private static final class Frames implements RelayWriter {
        private final Peer peer;
        private @Nullable String streamId;

        Frames(Peer peer, @Nullable String streamId) {
            this.peer = peer;
            this.streamId = streamId;
        }

        @Override
        public void send(long id, RelayEvent event) throws IOException {
            String frame = event.frame(id, streamId);
            streamId = null;
            peer.send(frame);
        }

        @Override
        public void heartbeat() throws IOException {
            peer.ping();
        }

        @Override
        public void flush() {
            // each message is sent whole as it is written
        }
    }
}
