package dev.sluice.cli;

import dev.sluice.cli.contract.SseContractService;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code sluice sse-contract-service [--port N]}: the test service of LaunchDarkly's
 * sse-contract-tests, driving {@link dev.sluice.eventsource.EventSource}, until the harness sends
 * {@code DELETE /} (exit 0) or the process is stopped. One line on stderr says where it listens;
 * then one line per stream instance created or closed. Nothing on stdout.
 */
final class SseContractServiceCommand implements Command {
    @Override
    public String name() {
        return "sse-contract-service";
    }

    @Override
    public String summary() {
        return "the test service of LaunchDarkly's sse-contract-tests";
    }

    @Override
    public String usage() {
        return """
                usage: sluice sse-contract-service [--port N]

                Runs the REST test service of LaunchDarkly's sse-contract-tests on 127.0.0.1, driving
                Sluice's EventSource, until the harness sends DELETE / (or Ctrl-C).
                  --port N   port to listen on, 0-65535 (default 8000, the harness's default)
                Capabilities: %s
                Run the harness with: --url http://localhost:PORT
                """.formatted(String.join(", ", SseContractService.CAPABILITIES));
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        Args parsed = Args.parse(args, Set.of("--port"), Set.of());
        if (!parsed.positional().isEmpty()) {
            throw new UsageException("sse-contract-service takes no arguments, not '"
                    + parsed.positional().getFirst() + "'");
        }
        int port = (int) parsed.getLong("--port", 8000, 0, 65535);
        SseContractService started;
        ListenAddress listen = new ListenAddress("127.0.0.1", port);
        try {
            started = SseContractService.start(port, err);
        } catch (IOException e) {
            listen.throwIfBindFailure(e);
            throw e;
        }
        try (SseContractService service = started) {
            Thread hook = new Thread(service::close, "sluice-sse-contract-service-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("sse-contract-service listening on http://127.0.0.1:" + service.port()
                    + " (DELETE / or Ctrl-C stops it)");
            err.flush();
            try {
                service.awaitStopRequest();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is stopping; the hook runs or has run
                }
            }
            err.println("sse-contract-service: stopped by the test harness");
        }
        return 0;
    }
}
