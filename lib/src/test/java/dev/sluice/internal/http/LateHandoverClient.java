package dev.sluice.internal.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real {@link HttpClient} whose body subscribers hand their body over late: {@code getBody()}
 * completes only once the response future is done or the body has ended normally. This forces,
 * every time, the interleaving that the JDK's client otherwise produces now and then: its task
 * that hands the body over runs after its task that reads the body has seen the connection
 * fail, and the response future then fails with the body's error although the status and
 * headers had arrived. {@link #failedResponses()} counts those futures, so a test can check that
 * it exercised the interleaving.
 */
final class LateHandoverClient extends HttpClient {
    // Threading: delegate is final and thread-safe; failedResponses is atomic.
    private final HttpClient delegate;
    private final AtomicInteger failedResponses = new AtomicInteger();

    LateHandoverClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    /** {@return how many response futures failed after their body handler had been applied} */
    int failedResponses() {
        return failedResponses.get();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<Void> responseDone = new CompletableFuture<>();
        AtomicBoolean applied = new AtomicBoolean();
        CompletableFuture<HttpResponse<T>> response = delegate.sendAsync(request, info -> {
            applied.set(true);
            return new LateBody<>(handler.apply(info), responseDone);
        });
        response.whenComplete((r, t) -> {
            if (t != null && applied.get()) failedResponses.incrementAndGet();
            responseDone.complete(null);
        });
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        throw new UnsupportedOperationException("the transport sends asynchronously");
    }

    /** Forwards everything to the real subscriber, but gives its body only once released. */
    private static final class LateBody<T> implements HttpResponse.BodySubscriber<T> {
        private final HttpResponse.BodySubscriber<T> inner;
        private final CompletableFuture<Void> release;

        LateBody(HttpResponse.BodySubscriber<T> inner, CompletableFuture<Void> release) {
            this.inner = inner;
            this.release = release;
        }

        @Override
        public CompletionStage<T> getBody() {
            return release.thenCompose(v -> inner.getBody());
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            inner.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            inner.onError(throwable); // not released: the client's own error path completes the future first
        }

        @Override
        public void onComplete() {
            inner.onComplete();
            release.complete(null);
        }
    }

    @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
    @Override public Redirect followRedirects() { return delegate.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
    @Override public SSLContext sslContext() { return delegate.sslContext(); }
    @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
    @Override public Version version() { return delegate.version(); }
    @Override public Optional<Executor> executor() { return delegate.executor(); }
}
