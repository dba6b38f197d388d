package dev.sluice;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.nio.charset.StandardCharsets;

/** For tests on the testkit's fake server: streams held open, and whether the clients let go of them. */
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
}
