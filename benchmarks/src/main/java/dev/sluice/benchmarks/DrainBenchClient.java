package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A diagnostic, the least any client built on the JDK {@link HttpClient} holds per stream: the raw
 * client's {@code HttpClient} and request, and a body subscriber that asks for everything at once
 * and only counts the bytes, so there is no reading thread, no read buffer and no queue of its
 * own. The calling thread waits in {@code send} until the body has ended. Not a client anyone
 * would write (it sees no event); what it measures is what the {@code HttpClient} itself costs a
 * stream, the part of {@code raw}'s and Sluice's heap and CPU that neither can cut.
 */
final class DrainBenchClient implements BenchClient {
    private final HttpClient http = RawBenchClient.httpClient();
    private final HttpRequest request;

    DrainBenchClient(String baseUrl) {
        request = RawBenchClient.request(baseUrl);
    }

    @Override
    public Result stream(Windows windows) {
        if (windows != null) throw new UnsupportedOperationException("the drain client marks no windows");
        HttpResponse<Long> response;
        try {
            response = http.send(request, info -> new Counting());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
        return new Result(-1, response.body(), 0, 0);
    }

    /** Counts the body's bytes; demand is unbounded, so the connection is read as fast as it comes. */
    private static final class Counting implements HttpResponse.BodySubscriber<Long> {
        private final CompletableFuture<Long> total = new CompletableFuture<>();
        private long bytes; // written by the HttpClient's one delivering thread at a time

        @Override
        public CompletionStage<Long> getBody() {
            return total;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer b : item) bytes += b.remaining();
        }

        @Override
        public void onError(Throwable throwable) {
            total.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            total.complete(bytes);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
