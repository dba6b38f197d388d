package dev.sluice.mcp;

import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stdio transport: the server a child process, JSON-RPC messages one a line on its stdin and
 * stdout, UTF-8, its stderr kept for failure messages (MCP 2026-07-28 basic/transports/stdio and
 * 2025-11-25 basic/transports "stdio"). Closing ends the process as the specification says:
 * stdin closed, then {@code destroy} (SIGTERM), then {@code destroyForcibly} (SIGKILL), its
 * descendants with it.
 *
 * <p>Threads: a pipe read or write blocks in native code, which pins a virtual thread's carrier
 * (and with a few idle servers, every carrier), so the pipes are served by three platform daemon
 * threads: one reads stdout and hands each message to the exchange of its request (by {@code id})
 * or of its progress token; one reads stderr into {@link #stderr}; one ({@link #writer}) writes
 * each message to stdin while its caller, often virtual, parks on the result. Waits for the
 * process to exit go through {@link Process#onExit()}, never {@link Process#waitFor}, which holds
 * a monitor. The maps of exchanges are concurrent.
 */
final class StdioProcess implements Transport {
    /** The longest line read from the server; a longer one ends the connection (and the process). */
    private static final int MAX_LINE = 16 * 1024 * 1024;
    /** How much of the end of stderr is kept. */
    static final int STDERR_TAIL = 8 * 1024;
    /** How long the process may take to exit after stdin closed, and after SIGTERM. */
    private static final long EXIT_WAIT_MILLIS = 2000;

    private final Process process;
    private final String server;
    private final ExecutorService writer;
    private final Map<Object, Exchange> byId = new ConcurrentHashMap<>();
    private final Map<String, Exchange> byToken = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Tail stderr = new Tail(STDERR_TAIL);
    private volatile String ended;

    StdioProcess(List<String> command, String server) throws IOException {
        this.server = server;
        this.process = new ProcessBuilder(command).start();
        this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("sluice-mcp-stdin-" + server).factory());
        Thread.ofPlatform().daemon().name("sluice-mcp-stderr-" + server).start(this::readStderr);
        Thread.ofPlatform().daemon().name("sluice-mcp-stdout-" + server).start(this::readStdout);
    }

    @Override
    public Exchange send(Map<String, Object> request, String progressToken, Map<String, String> headers) {
        Object id = request.get("id");
        Exchange exchange = new Exchange(() -> {
            byId.remove(id);
            if (progressToken != null) byToken.remove(progressToken);
        });
        byId.put(id, exchange);
        if (progressToken != null) byToken.put(progressToken, exchange);
        String why = ended;
        if (why != null || !write(request)) {
            exchange.cancel();
            exchange.end(new Failed(why != null ? why : exitMessage(), null));
        }
        return exchange;
    }

    @Override
    public void post(Map<String, Object> message) {
        write(message);
    }

    private boolean write(Map<String, Object> message) {
        byte[] line = (JsonOut.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
        Future<Boolean> written;
        try {
            written = writer.submit(() -> {
                OutputStream out = process.getOutputStream();
                out.write(line);
                out.flush();
                return true;
            });
        } catch (RejectedExecutionException e) {
            return false; // closed
        }
        try {
            return written.get();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            written.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private void readStdout() {
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') continue;
                    line.write(buffer, start, i - start);
                    route(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    start = i + 1;
                }
                line.write(buffer, start, n - start);
                if (line.size() > MAX_LINE) {
                    end("the server wrote a line longer than " + MAX_LINE + " bytes");
                    process.destroyForcibly();
                    return;
                }
            }
        } catch (IOException e) {
            // the process ended, or close() closed the stream
        }
        end(null);
    }

    @SuppressWarnings("unchecked")
    private void route(String line) {
        if (line.isBlank()) return;
        Map<String, Object> m;
        try {
            if (!(Json.readValue(line) instanceof Map<?, ?> map)) return;
            m = (Map<String, Object>) map;
        } catch (IOException e) {
            return; // not a message (a server MUST NOT write anything else to stdout): ignored
        }
        if (m.containsKey("result") || m.containsKey("error")) {
            Exchange e = byId.remove(m.get("id"));
            if (e != null) e.end(new Message(m));
        } else if ("notifications/progress".equals(m.get("method"))) {
            if (m.get("params") instanceof Map<?, ?> p && p.get("progressToken") instanceof String token) {
                Exchange e = byToken.get(token);
                if (e != null) e.notification(m);
            }
        } else if (m.containsKey("id") && m.get("method") instanceof String method) {
            post(McpSession.answerServerRequest(m.get("id"), method));
        }
    }

    private void end(String why) {
        if (ended == null) ended = why != null ? why : exitMessage();
        String message = ended;
        for (Object id : byId.keySet()) {
            Exchange e = byId.remove(id);
            if (e != null) e.end(new Failed(message, null));
        }
        byToken.clear();
    }

    /** {@return why the server is gone: its exit code, when it exited within half a second} */
    private String exitMessage() {
        return exited(500) ? "the server process exited with code " + process.exitValue() : "the server process closed its stdout";
    }

    /** {@return whether the process has exited, waiting at most this long} Parks; never holds a monitor. */
    private boolean exited(long millis) {
        try {
            process.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void readStderr() {
        try (InputStream in = process.getErrorStream()) {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) != -1; ) stderr.add(buffer, n);
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public String diagnostics() {
        String s = stderr.text().strip();
        return s.isEmpty() ? "" : "; its stderr ends: " + s;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        ended = "the connection to the server was closed";
        writer.shutdown();
        try {
            // the messages already queued are written before stdin closes
            writer.awaitTermination(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited(EXIT_WAIT_MILLIS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!exited(EXIT_WAIT_MILLIS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        writer.shutdownNow();
        end(null);
    }

    /** {@return the process, for tests} */
    Process process() {
        return process;
    }

    /** The last bytes of a stream, at most a capacity. Thread-safe. */
    static final class Tail {
        private final byte[] ring;
        private long written;

        Tail(int capacity) {
            ring = new byte[capacity];
        }

        synchronized void add(byte[] bytes, int n) {
            for (int i = Math.max(0, n - ring.length); i < n; i++) ring[(int) (written++ % ring.length)] = bytes[i];
        }

        synchronized String text() {
            int size = (int) Math.min(written, ring.length);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) out[i] = ring[(int) ((written - size + i) % ring.length)];
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
