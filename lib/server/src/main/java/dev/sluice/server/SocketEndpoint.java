package dev.sluice.server;

import dev.sluice.relay.http.RelaySocket;
import dev.sluice.relay.http.SocketSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket ({@code /api/ws}, {@code /v1/responses}) on Jakarta WebSocket: the container's
 * messages handed to its {@link SocketSession}, its writes made through the session's blocking
 * remote, one at a time.
 *
 * <p>Public only because the container instantiates the endpoint's class through its configurator;
 * made by {@link ServletExchange#upgrade}.
 *
 * <p>Threading: the container calls {@link #onOpen}, the message handler and {@link #onClose} one at
 * a time; a delivery's virtual thread and the refusals' threads send, one at a time under {@code sending}.
 */
public final class SocketEndpoint extends Endpoint {
    private final Function<RelaySocket.Peer, SocketSession> sessions;
    private final Duration idleTimeout;
    private volatile @Nullable SocketSession socket;

    SocketEndpoint(Function<RelaySocket.Peer, SocketSession> sessions, Duration idleTimeout) {
        this.sessions = sessions;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        SocketSession s = sessions.apply(new SessionPeer(session));
        session.setMaxTextMessageBufferSize(s.maxTextMessageBytes());
        session.setMaxBinaryMessageBufferSize(RelaySocket.MAX_BINARY_MESSAGE_BYTES);
        session.setMaxIdleTimeout(s.idleTimeout().orElse(idleTimeout).toMillis());
        socket = s;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        SocketSession s = socket;
        if (s != null) s.onClose();
    }

    @Override
    public void onError(Session session, Throwable thr) {
        SocketSession s = socket;
        if (s != null) s.onClose();
    }

    /** The session's blocking remote, one send at a time (a container may refuse a send while another runs). */
    private static final class SessionPeer implements RelaySocket.Peer {
        private final Session session;
        private final ReentrantLock sending = new ReentrantLock();

        SessionPeer(Session session) {
            this.session = session;
        }

        @Override
        public void send(String text) throws IOException {
            sending.lock();
            try {
                session.getBasicRemote().sendText(text);
            } catch (IllegalStateException e) {
                throw new IOException("the WebSocket cannot send: " + e.getMessage(), e);
            } finally {
                sending.unlock();
            }
        }

        @Override
        public void sendAsync(String text, Runnable done) {
            Thread.ofVirtual().name("sluice-ws-refusal").start(() -> {
                try {
                    send(text);
                } catch (IOException e) {
                    // the socket is gone: nothing to tell it
                } finally {
                    done.run();
                }
            });
        }

        @Override
        public void ping() throws IOException {
            sending.lock();
            try {
                session.getBasicRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IllegalStateException e) {
                throw new IOException("the WebSocket cannot send: " + e.getMessage(), e);
            } finally {
                sending.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            return session.isOpen();
        }

        /**
         * Closes on a thread of its own, after the send in progress: a container refuses a close
         * frame in the middle of a message, and may block it behind a send the client does not read.
         */
        @Override
        public void close(int code, String reason) {
            Thread.ofVirtual().name("sluice-ws-close").start(() -> {
                sending.lock();
                try {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
                } catch (IOException | IllegalStateException e) {
                    // already closed
                } finally {
                    sending.unlock();
                }
            });
        }

        @Override
        public void disconnect() {
            close(CloseReason.CloseCodes.GOING_AWAY.getCode(), "dropped by the server: resume");
        }
    }
}
