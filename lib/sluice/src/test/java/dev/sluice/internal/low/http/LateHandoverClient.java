package dev.sluice.internal.low.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link HttpClient} whose body subscribers hand their body over late: {@code getBody()}
 * completes only once the response future is done or the body has ended normally. This forces,
 * every time, the interleaving that the JDK's client otherwise produces now and then: its task
 * that hands the body over runs after its task that reads the body has seen the connection
 * fail, and the response future then fails with the body's error although the status and
 * headers had arrived. {@link #failedResponses()} counts those futures, so a test can check that
 * it exercised the interleaving.
 */
final class LateHandoverClient extends DelegatingHttpClient {
    // Threading: delegate is final and thread-safe; failedResponses is atomic.
    private final AtomicInteger failedResponses = new AtomicInteger();

    LateHandoverClient(HttpClient delegate) {
        super(delegate);
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
}
