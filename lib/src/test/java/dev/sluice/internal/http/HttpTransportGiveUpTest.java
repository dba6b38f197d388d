package dev.sluice.internal.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the transport gives up on an exchange, a response that arrives anyway is closed, not
 * leaked with its connection: here, a response that completes as the opening thread is
 * interrupted. The JDK's {@code CompletableFuture.get()} throws {@code InterruptedException} when
 * the interrupt lands just before the result, and cancelling the future then does nothing;
 * {@link InterruptedAsAnsweredClient} makes that interleaving happen every time.
 */
class HttpTransportGiveUpTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String EVENT = "event: ping\ndata: {}\n\n";

    private ServerSocket server;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger hungUp = new AtomicInteger();
    private HttpClient jdkClient;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("give-up-test-server").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> streamUntilTheClientHangsUp(s));
                } catch (IOException e) {
                    return; // the server socket closed at the end of the test
                }
            }
        });
        jdkClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Answers with the headers and one event, then keeps the stream open until the client closes the connection. */
    private void streamUntilTheClientHangsUp(Socket s) {
        try (s) {
            LosslessBodyStreamTest.readRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);
            out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
            out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(event);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answered.incrementAndGet();
            while (s.getInputStream().read() >= 0) { /* the client sends nothing more */ }
            hungUp.incrementAndGet();
        } catch (IOException e) {
            hungUp.incrementAndGet(); // a reset is a hang-up too
        }
    }

    @AfterEach
    void stop() throws IOException {
        server.close(); // first: a leaked response would hold up the client's close
        jdkClient.shutdownNow();
    }

    @Test
    void openStream_responseCompletesAsTheOpenerIsInterrupted_responseClosedAndConnectionReleased() {
        HttpTransport transport = HttpTransport.builder().client(new InterruptedAsAnsweredClient(jdkClient)).build();
        HttpPost post = HttpPost.json(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/messages"),
                Map.of(), "{}");

        assertThrows(InterruptedException.class, () -> transport.openStream(post, Cancellation.NONE));
        Thread.interrupted(); // clear what the opener's interrupt left, if anything

        assertEquals(1, answered.get(), "the response had arrived");
        await().atMost(Duration.ofSeconds(10)).until(() -> hungUp.get() == 1); // its connection is closed, not leaked
    }

    /**
     * A real {@link HttpClient} whose response futures report an interrupt that landed as the
     * response arrived: {@code get()} waits for the real response (headers received, body handed
     * to the handler), then throws {@code InterruptedException}, as the JDK's future does when the
     * interrupt comes a moment before the result; {@code cancel} then has nothing to cancel.
     */
    private static final class InterruptedAsAnsweredClient extends DelegatingHttpClient {
        InterruptedAsAnsweredClient(HttpClient delegate) {
            super(delegate);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            CompletableFuture<HttpResponse<T>> real = delegate.sendAsync(request, handler);
            return new CompletableFuture<>() {
                @Override
                public HttpResponse<T> get() throws InterruptedException {
                    real.join();
                    throw new InterruptedException("interrupted as the response arrived");
                }

                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    return real.cancel(mayInterruptIfRunning); // done already: nothing happens
                }
            };
        }
    }
}
