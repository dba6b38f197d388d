package dev.sluice.internal.low.http;

import static dev.sluice.FakeServers.released;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the transport gives up on an exchange, a response that arrives anyway is closed, not
 * leaked with its connection: here, a response that completes as the opening thread is
 * interrupted. The JDK's {@code CompletableFuture.get()} throws {@code InterruptedException} when
 * the interrupt lands just before the result, and cancelling the future then does nothing;
 * {@link InterruptedAsAnsweredClient} makes that interleaving happen every time.
 */
class HttpTransportGiveUpTest {
    private static final String EVENT = "event: ping\ndata: {}\n\n";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final CountDownLatch answered = new CountDownLatch(1);
    private HttpClient jdkClient;

    /** Answers with the headers and one event, then keeps the stream open until the client closes the connection. */
    @BeforeEach
    void start() {
        FAKE.server().enqueue(FakeResponse.sse(EVENT).signalAfter(1, answered).stallAfter(1));
        jdkClient = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterEach
    void stop() {
        jdkClient.shutdownNow();
    }

    @Test
    void openStream_responseCompletesAsTheOpenerIsInterrupted_responseClosedAndConnectionReleased() throws Exception {
        HttpTransport transport = HttpTransport.builder()
                .client(new InterruptedAsAnsweredClient(jdkClient))
                .build();
        HttpPost post = HttpPost.json(FAKE.server().baseUrl().resolve("/v1/messages"), Map.of(), "{}");

        assertThrows(InterruptedException.class, () -> transport.openStream(post, Cancellation.NONE));
        Thread.interrupted(); // clear what the opener's interrupt left, if anything

        // the client had the headers; the server says it has also sent the event (it may say so a moment later)
        assertTrue(answered.await(10, TimeUnit.SECONDS), "the response had arrived");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> released(FAKE.server(), 1)); // its connection is closed, not leaked
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
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(
                HttpRequest request, HttpResponse.BodyHandler<T> handler) {
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
