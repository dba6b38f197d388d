package dev.sluice.cli;

import dev.sluice.providers.ProviderCatalog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The training run of {@code sluice serve}'s startup cache (a JDK 25 AOT cache, which {@code ./build tool} records
 * with {@code -XX:AOTCacheOutput} and {@code ./sluice serve} then starts with): {@code serve --port 0} in this JVM
 * as the command line runs it, its every provider on the embedded fake (the process's environment, and so any
 * API key in it, is not read), and a client on kept-alive loopback connections sending each gateway door's
 * requests, passed through and translated, streamed and not. The cache then holds the classes that work loads
 * and the profiles of the methods it runs, so a {@code serve} started from it compiles its request path sooner:
 * a fresh {@code serve}'s first hundreds of requests cost less CPU and reach their first token sooner.
 *
 * <p>{@code java -XX:AOTCacheOutput=FILE -cp sluice.jar dev.sluice.cli.StartupCacheTraining [REQUESTS]}: sends
 * {@code REQUESTS} (default 250) of each kind, 8 at a time, prints one line a kind to
 * stderr, and exits 0 when every request was answered 200 with a whole body, else 1 (the build then keeps no
 * cache: a cache from a failed run would train the failure).
 */
public final class StartupCacheTraining {
    /** Requests of each kind by default. */
    static final int DEFAULT_REQUESTS = 250;

    private static final int CONCURRENCY = 8;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_ANSWER = 1 << 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ADDRESS = Pattern.compile("sluice serve: (http://127\\.0\\.0\\.1:\\d+/)");
    private static final String SYSTEM = "You are a careful assistant. Answer briefly.";
    private static final String PROMPT = "Summarise what a reverse proxy does, in two sentences.";

    private StartupCacheTraining() {}

    /**
     * One kind of request: a door, the body's model and whether it streams.
     *
     * @param name what the summary line calls it
     * @param path the door's path
     * @param body the request's JSON
     * @param headers more request headers, name then value
     */
    record Kind(String name, String path, String body, List<String> headers) {}

    /** Runs the training and exits: 0 when every request was answered whole, 1 otherwise. */
    public static void main(String[] args) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code;
        try {
            int requests = args.length == 0 ? DEFAULT_REQUESTS : Integer.parseInt(args[0]);
            Map<String, Integer> answered = train(requests, err);
            code = answered.values().stream().allMatch(n -> n == requests) ? 0 : 1;
        } catch (Exception e) {
            err.println("sluice startup-cache training failed: " + e);
            code = 1;
        }
        System.exit(code);
    }

    /**
     * Runs {@code serve} in this JVM and sends it {@code requests} of each {@linkplain #kinds() kind}.
     *
     * @param requests how many of each kind
     * @param err where each kind's line goes
     * @return for each kind, how many were answered 200 with a whole body
     * @throws IOException if {@code serve} does not start
     * @throws InterruptedException if interrupted while waiting
     */
    static Map<String, Integer> train(int requests, PrintStream err) throws IOException, InterruptedException {
        if (requests < 1) throw new IllegalArgumentException("requests must be at least 1, got " + requests);
        CompletableFuture<URI> address = new CompletableFuture<>();
        PrintStream serveErr = new PrintStream(new AddressWatch(address), true, StandardCharsets.UTF_8);
        PrintStream serveOut = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        AtomicInteger exit = new AtomicInteger(-1);
        Map<String, String> env = Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"); // unpaced; no key: every provider faked
        Thread serve = Thread.ofVirtual().name("sluice-training-serve").start(() -> {
            exit.set(Sluice.run(
                    Map.of("serve", new ServeCommand(env)),
                    List.of(
                            "serve",
                            "--port",
                            "0",
                            "--max-creations-per-minute", // the default allows 30 a client
                            "1000000"),
                    new ByteArrayInputStream(new byte[0]),
                    serveOut,
                    serveErr));
            address.completeExceptionally(new IOException("sluice serve exited before listening"));
        });
        Map<String, Integer> answered = new LinkedHashMap<>();
        try {
            URI uri;
            try {
                uri = address.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("sluice serve did not start (exit " + exit.get() + ")", e);
            }
            for (Kind kind : kinds()) {
                long start = System.nanoTime();
                int n = send(uri, kind, requests, err);
                answered.put(kind.name(), n);
                err.printf(
                        Locale.ROOT,
                        "%-48s %d of %d answered, %d ms%n",
                        kind.name(),
                        n,
                        requests,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        } finally {
            serve.interrupt(); // as Ctrl-C stops it
            serve.join(Duration.ofSeconds(10));
        }
        return answered;
    }

    /** {@return the kinds of request sent: each door passed through and translated, streamed and not} */
    static List<Kind> kinds() {
        String openai = model(ProviderCatalog.OPENAI);
        String anthropic = model(ProviderCatalog.ANTHROPIC);
        String responses = model(ProviderCatalog.OPENAI_RESPONSES);
        List<String> anthropicVersion = List.of("anthropic-version", "2023-06-01");
        List<Kind> kinds = new ArrayList<>();
        for (boolean stream : new boolean[] {true, false}) {
            String how = stream ? "streamed" : "not streamed";
            kinds.add(new Kind(
                    "chat completions, passed through, " + how,
                    "/v1/chat/completions",
                    chat(openai, stream),
                    List.of()));
            kinds.add(new Kind(
                    "chat completions, translated, " + how,
                    "/v1/chat/completions",
                    chat(anthropic, stream),
                    List.of()));
            kinds.add(new Kind(
                    "messages, passed through, " + how, "/v1/messages", messages(anthropic, stream), anthropicVersion));
            kinds.add(new Kind(
                    "messages, translated, " + how, "/v1/messages", messages(openai, stream), anthropicVersion));
            kinds.add(new Kind(
                    "responses, passed through, " + how, "/v1/responses", responses(responses, stream), List.of()));
            kinds.add(new Kind("responses, translated, " + how, "/v1/responses", responses(openai, stream), List.of()));
        }
        return kinds;
    }

    /** {@return {@code PROVIDER/MODEL} for a provider's default model, as a request names it} */
    private static String model(ProviderCatalog provider) {
        return provider.id() + "/" + provider.defaultModel();
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"max_completion_tokens\":256,\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM
                + "\"},{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    }

    private static String messages(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":256,\"system\":\"" + SYSTEM
                + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + PROMPT
                + "\"}]}]}";
    }

    private static String responses(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"instructions\":\"" + SYSTEM
                + "\",\"max_output_tokens\":256,\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"" + PROMPT + "\"}]}]}";
    }

    /** Sends {@code requests} of a kind over {@link #CONCURRENCY} kept-alive connections; how many were answered. */
    private static int send(URI uri, Kind kind, int requests, PrintStream err) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(requests);
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<@Nullable String> problem = new AtomicReference<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < Math.min(CONCURRENCY, requests); i++) {
                running.add(clients.submit(() -> {
                    while (left.get() > 0) { // a connection a pass; a new one after a failure
                        Connection c;
                        try {
                            c = new Connection(uri);
                        } catch (IOException e) {
                            left.decrementAndGet(); // counted as not answered
                            problem.compareAndSet(null, e.toString());
                            continue;
                        }
                        try (c) {
                            while (left.getAndDecrement() > 0) {
                                String wrong = c.exchange(kind);
                                if (wrong == null) answered.incrementAndGet();
                                else {
                                    problem.compareAndSet(null, wrong);
                                    break;
                                }
                            }
                        } catch (IOException e) {
                            problem.compareAndSet(null, e.toString()); // the next pass opens another connection
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(kind.name() + ": a client failed", e.getCause());
                }
            }
        }
        String wrong = problem.get();
        if (wrong != null) err.println(kind.name() + ": " + wrong);
        return answered.get();
    }

    /** One kept-alive HTTP/1.1 connection to {@code serve}: a request written, its answer read whole. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket = new Socket();
        private final String host;
        private final InputStream in;
        private final OutputStream out;

        Connection(URI uri) throws IOException {
            host = uri.getHost() + ":" + uri.getPort();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        /**
         * Sends one request and reads its answer whole.
         *
         * @return null when it was a 200 with no error in it, else what was wrong (the status line and the
         *     body's start); the connection is kept only after a null
         */
        @Nullable
        String exchange(Kind kind) throws IOException {
            byte[] body = kind.body().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append("POST ")
                    .append(kind.path())
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append("\r\nContent-Type: application/json\r\n");
            for (int i = 0; i < kind.headers().size(); i += 2) {
                head.append(kind.headers().get(i))
                        .append(": ")
                        .append(kind.headers().get(i + 1))
                        .append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            boolean chunked = false;
            long length = -1;
            boolean keep = true;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("content-length:"))
                    length = Long.parseLong(h.substring(15).trim());
                else if (lower.startsWith("connection:") && lower.contains("close")) keep = false;
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    copy(size, answer);
                    line(); // the CRLF after the chunk
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers, none expected
                }
            } else if (length >= 0) {
                copy(length, answer);
            } else {
                return status + ": an answer with neither a length nor chunks";
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (!status.startsWith("HTTP/1.1 200") || text.contains("\"error\":{"))
                return status + ": " + text.substring(0, Math.min(text.length(), 300));
            return keep ? null : status + ": the connection was not kept";
        }

        private long chunkSize() throws IOException {
            String size = line();
            int semicolon = size.indexOf(';');
            return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            if (to.size() + n > MAX_ANSWER) throw new IOException("an answer over " + MAX_ANSWER + " bytes");
            to.write(in.readNBytes((int) n));
            if (to.size() < n) throw new IOException("the answer ended early");
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) throw new IOException("the connection closed mid-answer");
                if (b != '\r') sb.append((char) b);
                if (sb.length() > 64 * 1024) throw new IOException("a line over 64 KiB");
            }
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }

    /**
     * Serve's stderr, looked at a line at a time for its address; nothing is kept. Written only through the
     * {@link PrintStream} around it, which writes one caller at a time.
     */
    private static final class AddressWatch extends OutputStream {
        private final CompletableFuture<URI> address;
        private final StringBuilder line = new StringBuilder();

        AddressWatch(CompletableFuture<URI> address) {
            this.address = address;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                if (!address.isDone()) {
                    Matcher m = ADDRESS.matcher(line);
                    if (m.find()) address.complete(URI.create(m.group(1)));
                }
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append((char) b);
            }
        }
    }
}
