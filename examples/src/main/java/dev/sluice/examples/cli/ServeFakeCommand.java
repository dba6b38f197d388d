package dev.sluice.examples.cli;

import dev.sluice.examples.fake.FakeAnthropicServer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sluice serve-fake [--port N] [--tokens-per-second R]}: runs the embedded fake Anthropic
 * server alone until the process is stopped (Ctrl-C, SIGTERM) or the running thread is
 * interrupted. Prints one line to stderr with the base URL and how to use it; nothing to stdout.
 */
final class ServeFakeCommand implements Command {
    private static final double MAX_RATE = 1_000_000;

    @Override
    public String name() {
        return "serve-fake";
    }

    @Override
    public String summary() {
        return "run the embedded fake Anthropic server on loopback";
    }

    @Override
    public String usage() {
        return """
                usage: sluice serve-fake [--port N] [--tokens-per-second R]

                Runs a fake Anthropic Messages API on 127.0.0.1 until stopped (Ctrl-C).
                  --port N                port to listen on, 0-65535 (default 0: any free port)
                  --tokens-per-second R   pace of the streamed deltas, >= 0 (default 70; 0: no pacing)
                Models named fake-overloaded, fake-rate-limited, fake-flaky-N, fake-error-mid-stream,
                fake-drop, fake-stall and fake-not-sse inject faults.
                """;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
        Args parsed = Args.parse(args, Set.of("--port", "--tokens-per-second"), Set.of());
        if (!parsed.positional().isEmpty()) {
            throw new UsageException("serve-fake takes no arguments, not '" + parsed.positional().getFirst() + "'");
        }
        int port = (int) parsed.getLong("--port", 0, 0, 65535);
        FakeAnthropicServer.Builder builder = FakeAnthropicServer.builder().port(port);
        if (parsed.has("--tokens-per-second")) builder.tokensPerSecond(rate(parsed.get("--tokens-per-second", "")));

        FakeAnthropicServer server = builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-serve-fake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String base = server.baseUrl().toString();
        err.println("fake Anthropic server on " + base + " (Ctrl-C stops it); try: ANTHROPIC_BASE_URL=" + base
                + " ANTHROPIC_API_KEY=fake java -jar examples/target/sluice-examples.jar stream \"hi\"");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping; the hook runs or has run
            }
        }
        return 0;
    }

    private static double rate(String value) throws UsageException {
        double r;
        try {
            r = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--tokens-per-second needs a number, not '" + value + "'");
        }
        if (!(r >= 0) || r > MAX_RATE) {
            throw new UsageException("--tokens-per-second must be between 0 and " + (long) MAX_RATE + ", not '" + value + "'");
        }
        return r;
    }
}
