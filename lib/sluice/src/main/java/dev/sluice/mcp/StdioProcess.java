package dev.sluice.mcp;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.internal.low.process.ChildCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>The command line reaches the child through its environment, not its command line
 * ({@link ChildCommand#program}): JDK Flight Recorder records every child's command line, and a
 * server's arguments may hold a token. The child's environment is not this JVM's: it gets {@link #INHERITED} (where programs are
 * found, the user's home, the locale, the temporary directory) and the variables its client was
 * given, nothing else, so the operator's API keys stay out of a server's reach (and out of the
 * environment dump a crashing server writes to stderr).
 *
 * <p>A line longer than the message bound is not read whole: its first bytes are kept and
 * handed over as a {@linkplain Message#truncated() truncated} message (its {@code id} read from
 * the line's end when the start does not hold it), the rest skipped. A request of the server's
 * that long (a question whose text or form is huge) is refused with a JSON-RPC error, logged, and
 * the call it came with fails at once saying why.
 */
final class StdioProcess implements Transport {
    private static final System.Logger LOG = System.getLogger(StdioProcess.class.getName());
    /**
     * The variables of this JVM's environment a child gets: the search path, the user, the home,
     * the shell, the temporary directory, the time zone, the locale ({@code LANG}, {@code LC_*}),
     * the terminal type, and on Windows what its programs need to start.
     */
    static final List<String> INHERITED = List.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "SHELL",
            "TMPDIR",
            "TZ",
            "LANG",
            "LANGUAGE",
            "TERM",
            "SYSTEMROOT",
            "SYSTEMDRIVE",
            "WINDIR",
            "COMSPEC",
            "PATHEXT",
            "TEMP",
            "TMP",
            "USERPROFILE",
            "APPDATA",
            "LOCALAPPDATA",
            "PROGRAMDATA",
            "PROGRAMFILES",
            "HOMEDRIVE",
            "HOMEPATH");
    /** How many bytes of a too-long line's end are kept to find its {@code id}. */
    private static final int ID_TAIL = 256;

    private static final Pattern TRAILING_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d{1,18})\\s*}\\s*$");
    /** How much of the end of stderr is kept. */
    static final int STDERR_TAIL = 8 * 1024;
    /** How long the process may take to exit after stdin closed, and after SIGTERM. */
    private static final long EXIT_WAIT_MILLIS = 2000;

    private final Process process;
    private final ExecutorService writer;
    private final Map<Object, Exchange> byId = new ConcurrentHashMap<>();
    private final Map<String, Exchange> byToken = new ConcurrentHashMap<>();
    private final Map<String, Exchange> byTask = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeEnded = new CountDownLatch(1); // the first close's end: the process gone
    private final Tail stderr = new Tail(STDERR_TAIL);
    private final int maxLine;
    private final String server; // its name, for the log
    private volatile @Nullable String ended;

    /**
     * Starts the process.
     *
     * @param variables the variables its environment gets besides {@link #INHERITED}
     * @param maxLine the most bytes of a line read (a longer one is truncated)
     */
    StdioProcess(List<String> command, Map<String, String> variables, String server, int maxLine) throws IOException {
        this.maxLine = maxLine;
        this.server = server;
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            String upper = k.toUpperCase(Locale.ROOT);
            if (INHERITED.contains(upper) || upper.startsWith("LC_")) env.put(k, v);
        });
        env.putAll(variables);
        // the command through the child's environment: JFR's jdk.ProcessStart records the command line
        this.process = ChildCommand.program(command, env).start();
        this.writer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("sluice-mcp-stdin-" + server).factory());
        Thread.ofPlatform().daemon().name("sluice-mcp-stderr-" + server).start(this::readStderr);
        Thread.ofPlatform().daemon().name("sluice-mcp-stdout-" + server).start(this::readStdout);
    }

    @Override
    public Exchange send(Map<String, Object> request, @Nullable String progressToken, Map<String, String> headers) {
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
    public Exchange watch(String taskId, @Nullable String progressToken) {
        Exchange exchange = new Exchange(() -> byTask.remove(taskId));
        byTask.put(taskId, exchange); // a task's progress goes on to its tools/call's exchange, by its token
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

    private void readStdout() {
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            Tail skipped = new Tail(ID_TAIL); // the end of a too-long line
            boolean over = false;
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                int start = 0;
                for (int i = 0; i <= n; i++) {
                    if (i < n && buffer[i] != '\n') continue;
                    int len = i - start;
                    if (!over && line.size() + len > maxLine) {
                        int room = maxLine - line.size();
                        line.write(buffer, start, room);
                        start += room;
                        len -= room;
                        over = true;
                    }
                    if (over) skipped.add(buffer, start, len);
                    else line.write(buffer, start, len);
                    if (i == n) break;
                    String text = line.toString(StandardCharsets.UTF_8);
                    if (line.size() > 64 * 1024) line = new ByteArrayOutputStream(); // a long line's buffer is not kept
                    else line.reset();
                    if (over) routeTruncated(text, skipped.text());
                    else route(text);
                    if (over) skipped = new Tail(ID_TAIL);
                    over = false;
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            // the process ended, or close() closed the stream
        } catch (RuntimeException | Error e) { // the reader must not die silently: the calls waiting on it end
            end("the client failed while reading the server's output ("
                    + (e instanceof OutOfMemoryError ? "out of memory" : "a bug") + ")");
            process.destroyForcibly();
            return; // an Error too: it never escapes the reader thread
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
        route(m, false);
    }

    /** A line longer than the bound: its start, read as far as it goes; its id from its end when the start lacks it. */
    @SuppressWarnings("unchecked")
    private void routeTruncated(String start, String end) {
        if (!(PartialJson.parse(start).value() instanceof Map<?, ?> map)) return;
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) map);
        if (m.get("method") instanceof String method && !m.containsKey("result") && !m.containsKey("error")) {
            if (!m.containsKey("id")) {
                Matcher id = TRAILING_ID.matcher(end);
                if (id.find()) m.put("id", Long.parseLong(id.group(1)));
            }
            if (m.get("id") != null) refuseTooLong(m, method);
            return; // a notification cut short: nothing of it can be used
        }
        if (!m.containsKey("result") && !m.containsKey("error")) return; // only a response can be used in part
        if (!(m.get("id") instanceof Long)) {
            Matcher id = TRAILING_ID.matcher(end);
            if (!id.find()) return;
            m.put("id", Long.parseLong(id.group(1)));
        }
        route(m, true);
    }

    /**
     * A request of the server longer than the bound (a question whose text or form is huge): not
     * answered in part but refused, so that the server is not left waiting, and the call it belongs
     * to fails at once saying why, rather than waiting for an answer that cannot come. Logged.
     */
    private void refuseTooLong(Map<String, Object> m, String method) {
        String why = Transport.tooLong(server, "a request (" + method + ")", maxLine);
        Exchange e = forRequest(m, method);
        LOG.log(
                System.Logger.Level.WARNING,
                why + "; it was refused" + (e != null ? " and the call it came with failed" : ""));
        post(Transport.refusalOfTooLong(Objects.requireNonNull(m.get("id"), "checked")));
        if (e != null) e.end(new Failed(why, null));
    }

    private void route(Map<String, Object> m, boolean truncated) {
        if (m.containsKey("result") || m.containsKey("error")) {
            if (m.get("id") == null) return; // answers no request of ours (a concurrent map takes no null key)
            Exchange e = byId.remove(m.get("id"));
            if (e != null) e.end(new Message(m, truncated));
        } else if ("notifications/progress".equals(m.get("method"))) {
            if (m.get("params") instanceof Map<?, ?> p && p.get("progressToken") instanceof String token) {
                Exchange e = byToken.get(token);
                if (e != null) e.notification(m);
            }
        } else if (TaskCall.statusOf(m) != null) {
            Exchange e = byTask.get(Objects.requireNonNull(TaskCall.statusOf(m), "a task"));
            if (e != null) e.notification(m);
        } else if (m.containsKey("id") && m.get("method") instanceof String method) {
            Exchange e = forRequest(m, method);
            if (e != null) e.notification(m);
            else post(McpSession.answerServerRequest(m.get("id"), method));
        }
    }

    /**
     * {@return the exchange a server's request belongs to: its task's, when it names one; a question
     * ({@code elicitation/create}) when one tool call alone is in flight, that call's (stdio does not
     * say which request a question belongs to); else null}
     */
    private @Nullable Exchange forRequest(Map<String, Object> m, String method) {
        String task = TaskCall.relatedTask(m);
        if (task != null) return byTask.get(task);
        if (!method.equals("elicitation/create") || byToken.size() != 1) return null;
        for (Exchange e : byToken.values()) return e;
        return null;
    }

    @SuppressWarnings(
            "ModifyCollectionInEnhancedForLoop") // byId is a ConcurrentHashMap: its key set's iterator is weakly
    // consistent
    private void end(@Nullable String why) {
        if (ended == null) ended = why != null ? why : exitMessage();
        String message = ended;
        for (Object id : byId.keySet()) {
            Exchange e = byId.remove(id);
            if (e != null) e.end(new Failed(message, null));
        }
        byToken.clear();
        for (String task : byTask.keySet()) {
            Exchange e = byTask.remove(task);
            if (e != null) e.end(new Failed(message, null));
        }
    }

    /** {@return why the server is gone: its exit code, when it exited within half a second} */
    private String exitMessage() {
        return exited(500)
                ? "the server process exited with code " + process.exitValue()
                : "the server process closed its stdout";
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
    public String stderrTail() {
        return stderr.text();
    }

    /** {@return whether the server is gone: its stdout closed, the process ended or the reader failed, and not by {@link #close()}} */
    boolean dead() {
        return ended != null && !closed.get();
    }

    @Override
    public int maxMessageBytes() {
        return maxLine;
    }

    /**
     * Ends the process (stdin closed, then SIGTERM, then SIGKILL, its descendants with it) and
     * returns once it has: a second call, from another thread, waits for the first one's end, so that
     * a JVM's shutdown hook that closes the servers does not return, and let the JVM halt, while the
     * command's own thread is still waiting for a server to exit.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                closeEnded.await(4 * EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS); // more than the first close takes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            closeOnce();
        } finally {
            closeEnded.countDown();
        }
    }

    private void closeOnce() {
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

        void add(byte[] bytes, int n) {
            add(bytes, 0, n);
        }

        synchronized void add(byte[] bytes, int off, int n) {
            for (int i = Math.max(0, n - ring.length); i < n; i++)
                ring[(int) (written++ % ring.length)] = bytes[off + i];
        }

        synchronized String text() {
            int size = (int) Math.min(written, ring.length);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) out[i] = ring[(int) ((written - size + i) % ring.length)];
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
