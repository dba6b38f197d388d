package dev.sluice.stream;

import dev.sluice.FakeServers;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Response bodies as a stream reads them, {@code InputStream}s over real loopback connections to
 * the testkit's fake server, which sends each one these SSE bytes and then holds the connection
 * open until the client closes it, so that a test can see a stream let its connection go.
 */
final class LoopbackBodies implements AutoCloseable {
    private final FakeLlmServer server =
            FakeLlmServer.builder().recordRequests(false).start();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LoopbackBodies(String events) {
        server.setDispatcher(r -> FakeServers.holding(events));
    }

    /** {@return the body of a new request: the events, then nothing until it is closed} */
    InputStream open() throws IOException {
        try {
            return http.send(
                            HttpRequest.newBuilder(server.baseUrl().resolve("/events"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                    .body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** {@return the bodies of {@code n} new requests, sent at once} */
    List<InputStream> open(int n) {
        List<CompletableFuture<HttpResponse<InputStream>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(http.sendAsync(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        return sent.stream().map(f -> f.join().body()).toList();
    }

    int opened() {
        return server.requestCount();
    }

    /** {@return whether the client has closed every connection it opened (at least {@code n})} */
    boolean closedByClient(int n) {
        return FakeServers.released(server, n);
    }

    @Override
    public void close() {
        http.shutdownNow();
        server.close();
    }
}
