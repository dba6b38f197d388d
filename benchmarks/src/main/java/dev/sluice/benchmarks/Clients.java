package dev.sluice.benchmarks;

/**
 * The three clients of one benchmark, created once against one {@link BenchServer}, with the
 * checks that each stream was consumed whole.
 */
final class Clients implements AutoCloseable {
    final BenchClient sluice;
    final BenchClient sdk;
    final BenchClient raw;
    private final Expected expected;

    Clients(BenchServer server, boolean tool) {
        expected = Expected.of(server.stream());
        sdk = BenchClient.create("sdk", server.baseUrl(), tool);
        raw = BenchClient.create("raw", server.baseUrl(), tool);
        sluice = BenchClient.create("sluice", server.baseUrl(), tool);
    }

    /** Streams once and checks the event count and the accumulated content's length. */
    @SuppressWarnings("ReferenceEquality") // identity: which of the two clients this is
    BenchClient.Result checked(BenchClient client) {
        return expected.check(client == sdk ? "sdk" : "sluice", client.stream());
    }

    /** Streams once with the raw client and checks the body's length. */
    BenchClient.Result checkedRaw(BenchClient client) {
        return expected.check("raw", client.stream());
    }

    @Override
    public void close() {
        sdk.close();
        raw.close();
        sluice.close();
    }
}
