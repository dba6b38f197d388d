package dev.sluice.benchmarks;

/**
 * The three clients of one benchmark, created once against one {@link BenchServer}, with the
 * checks that each stream was consumed whole.
 */
final class Clients implements AutoCloseable {
    final BenchClient sluice;
    final BenchClient sdk;
    final BenchClient raw;
    private final BenchStream stream;
    private final long bodyBytes;

    Clients(BenchServer server, boolean tool) {
        stream = server.stream();
        bodyBytes = stream.body().length;
        sdk = BenchClient.create("sdk", server.baseUrl(), tool);
        raw = BenchClient.create("raw", server.baseUrl(), tool);
        sluice = BenchClient.create("sluice", server.baseUrl(), tool);
    }

    /** Streams once and checks the event count and the accumulated content's length. */
    BenchClient.Result checked(BenchClient client) {
        BenchClient.Result r = client.stream();
        if (r.events() != stream.events().size() || r.length() != stream.expectedLength()) {
            throw new IllegalStateException("incomplete stream: " + r + ", expected " + stream.events().size()
                    + " events and content length " + stream.expectedLength());
        }
        return r;
    }

    /** Streams once with the raw client and checks the body's length. */
    BenchClient.Result checkedRaw(BenchClient client) {
        BenchClient.Result r = client.stream();
        if (r.length() != bodyBytes) {
            throw new IllegalStateException("incomplete body: " + r + ", expected " + bodyBytes + " bytes");
        }
        return r;
    }

    @Override
    public void close() {
        sdk.close();
        raw.close();
        sluice.close();
    }
}
