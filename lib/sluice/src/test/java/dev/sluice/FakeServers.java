package dev.sluice;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For tests on the testkit's fake server: streams held open, whether the clients let go of them, and
 * responses scripted for one path as a WireMock stub would be.
 */
public final class FakeServers {
    private FakeServers() {}

    /** {@return a 200 event stream of these events, then the connection held open, the body never ended, until the client closes it} */
    public static FakeResponse holding(String events) {
        return FakeResponse.sse(events).stallAfterBytes(events.getBytes(StandardCharsets.UTF_8).length);
    }

    /** {@return whether the server has had {@code requests} requests and holds none any more: the clients let every stream go} */
    public static boolean released(FakeLlmServer server, int requests) {
        return server.requestCount() == requests && server.activeRequests() == 0;
    }

    /**
     * Answers the POSTs to {@code path} (with its query) in order with these responses, the last one
     * repeating, and anything else with a 404, as a WireMock scenario on that path would.
     */
    public static void script(FakeLlmServer server, String path, FakeResponse... responses) {
        List<FakeResponse> all = List.of(responses);
        AtomicInteger next = new AtomicInteger();
        server.setDispatcher(r -> (r.method() + " " + r.target()).equals("POST " + path)
                ? all.get(Math.min(next.getAndIncrement(), all.size() - 1))
                : FakeResponse.status(404));
    }

    /** {@return the requests the server has had, after checking that each was a POST to {@code path}} */
    public static List<RecordedRequest> requestsTo(FakeLlmServer server, String path) {
        List<RecordedRequest> all = server.requests();
        for (RecordedRequest r : all) {
            if (!(r.method() + " " + r.target()).equals("POST " + path))
                throw new AssertionError("expected only POST " + path + ", got " + r);
        }
        return all;
    }
}
