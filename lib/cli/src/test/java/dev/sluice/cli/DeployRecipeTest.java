package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.server.suite.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/serve.md's "Deploying" section, run as written where this machine can. The nginx block is
 * taken from the page and run by Debian's nginx ({@code ./build test} installs it when missing;
 * without it this test is skipped, and {@code TrustedProxyTest} covers the headers), as an ordinary
 * process with a prefix, pid, logs and temporary files of its own in a temporary directory, in
 * front of {@code sluice serve} with the flags of the section's systemd unit (its port 0, its
 * access log in the temporary directory, and two flags of the test's own: one stream per client, and
 * the fake model that stalls allowed). In the nginx block three things are changed, and only
 * these: {@code listen 443 ssl} becomes a free loopback port of plain HTTP, the certificate lines
 * go (no TLS here: {@code X-Forwarded-Proto} is then {@code http}), and the upstream's port is
 * the one {@code serve} got. Browsers are played by sockets from 127.0.0.2 and 127.0.0.3 (nginx
 * is at 127.0.0.1, the trusted proxy), sending {@code Host: chat.example.com} and the page's
 * {@code Origin}. The systemd unit is checked by {@code systemd-analyze verify} where it exists.
 */
class DeployRecipeTest {
    private static final Path SERVE_MD = Path.of("../../docs/serve.md");
    private static final String ORIGIN = "https://chat.example.com";
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private Thread serving;
    private Process nginx;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM: nginx's fast shutdown
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly().waitFor();
        }
        if (serving != null) {
            serving.interrupt();
            serving.join(10_000);
        }
    }

    /** {@return the fenced block of this language that first follows the heading, from docs/serve.md} */
    static String docBlock(String heading, String language) throws IOException {
        String md = Files.readString(SERVE_MD);
        int section = md.indexOf("\n" + heading + "\n");
        assertTrue(section >= 0, "docs/serve.md has no '" + heading + "'");
        int open = md.indexOf("```" + language + "\n", section);
        assertTrue(open >= 0, "no ```" + language + " block after '" + heading + "'");
        int start = open + 4 + language.length();
        return md.substring(start, md.indexOf("\n```", start) + 1);
    }

    static String nginxBinary() {
        String env = System.getenv("NGINX");
        if (env != null && !env.isBlank()) return env;
        for (String p : new String[] {
            "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"
        }) {
            if (new File(p).canExecute()) return p;
        }
        return null;
    }

    /** {@return the flags of {@code sluice serve} in the doc's systemd unit, after {@code serve}} */
    static List<String> unitServeFlags() throws IOException {
        String unit = docBlock("## Deploying", "ini").replace("\\\n", " ");
        String exec =
                unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> words = List.of(exec.strip().split("\\s+"));
        return new ArrayList<>(words.subList(words.indexOf("serve") + 1, words.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code sluice serve} with these flags until the test ends; {@return its port} */
    private int serve(List<String> flags) {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(flags);
        AtomicInteger exit = new AtomicInteger(-1);
        serving = Thread.ofVirtual()
                .start(() -> exit.set(Sluice.run(
                        Map.of("serve", new ServeCommand(Map.of())),
                        all,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(new ByteArrayOutputStream()),
                        err)));
        await().atMost(Duration.ofSeconds(20)).until(() -> err().contains("sluice serve: http") || exit.get() >= 0);
        Matcher m = Pattern.compile("(?m)^sluice serve: http://127\\.0\\.0\\.1:(\\d+)/$")
                .matcher(err());
        assertTrue(m.find(), err());
        return Integer.parseInt(m.group(1));
    }

    /** Starts nginx with the doc's block, changed as the class says; {@return its port} */
    private int nginx(String binary, Path prefix, int servePort) throws Exception {
        String block = docBlock("## Deploying", "nginx");
        int port = freePort();
        String server = block.replace("listen 443 ssl;", "listen 127.0.0.1:" + port + ";")
                .replaceAll("(?m)^\\s*ssl_certificate(_key)?\\s.*\\n", "")
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + servePort + ";");
        // the doc's own port and TLS lines are all replaced (the free ports set in may hold the digits 443 or be 8080)
        String unported = server.replace("127.0.0.1:" + port + ";", "127.0.0.1:PORT;")
                .replace("127.0.0.1:" + servePort + ";", "127.0.0.1:SERVE;");
        assertFalse(unported.contains("443") || unported.contains("ssl") || unported.contains(":8080"), server);
        for (String dir : List.of("logs", "body", "proxy", "fastcgi", "uwsgi", "scgi"))
            Files.createDirectories(prefix.resolve(dir));
        String conf = """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                events { worker_connections 128; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %2$s}
                """.formatted(prefix, server.indent(4));
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        nginx = new ProcessBuilder(
                        binary,
                        "-p",
                        prefix + "/",
                        "-c",
                        prefix.resolve("nginx.conf").toString(),
                        "-e",
                        prefix.resolve("logs/error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/out.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (!nginx.isAlive()) {
                throw new AssertionError(
                        "nginx exited " + nginx.exitValue() + ": " + Files.readString(prefix.resolve("logs/out.log"))
                                + Files.readString(prefix.resolve("logs/error.log")) + "\n" + conf);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return port;
    }

    /** A browser at this address: a socket from it to nginx, the request written with chat.example.com as Host. */
    private static Socket browser(
            String from, int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(15_000);
        StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: chat.example.com\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (body != null)
            sb.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
        sb.append("Connection: close\r\n\r\n").append(body == null ? "" : body);
        s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.UTF_8));
        return s;
    }

    private static RawHttp.Response send(
            String from, int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        try (Socket s = browser(from, port, method, path, headers, body)) {
            return RawHttp.read(s.getInputStream());
        }
    }

    private static String id(RawHttp.Response created) {
        assertEquals(201, created.status(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void nginxBlockOfTheDocs_inFrontOfServe_aBrowserIsServedAndCountedAsItself(@TempDir Path dir) throws Exception {
        String binary = nginxBinary();
        Assumptions.assumeTrue(
                binary != null,
                "nginx is not installed (./build test installs Debian's package, apt-get install nginx;"
                        + " or set NGINX): the doc's nginx block is not run, the proxy headers are tested without it (TrustedProxyTest)");
        Path log = dir.resolve("access.log");
        List<String> flags = unitServeFlags();
        flags.set(flags.indexOf("--port") + 1, "0");
        flags.set(flags.indexOf("--access-log") + 1, log.toString());
        flags.addAll(List.of("--max-streams-per-client", "1", "--models", "anthropic=*"));
        int servePort = serve(flags);
        int port = nginx(binary, dir.resolve("nginx"), servePort);
        Map<String, String> page = Map.of("Origin", ORIGIN);

        // the health endpoint, through the proxy
        RawHttp.Response health = send("127.0.0.2", port, "GET", "/healthz", Map.of(), null);
        assertEquals(200, health.status(), health.body());
        assertEquals("{\"status\":\"ok\"}", health.body());

        // the page's origin is served, another is refused
        RawHttp.Response providers = send("127.0.0.2", port, "GET", "/api/providers", page, null);
        assertEquals(200, providers.status(), providers.body());
        assertEquals(ORIGIN, providers.header("Access-Control-Allow-Origin"));
        RawHttp.Response foreign = send(
                "127.0.0.2",
                port,
                "POST",
                "/api/streams",
                Map.of("Origin", "https://evil.example"),
                "{\"prompt\":\"hi\"}");
        assertEquals(403, foreign.status(), foreign.body());
        assertTrue(foreign.body().contains("origin_not_allowed"), foreign.body());

        // a stream's events arrive as they are written, while it runs (the model stalls after three deltas)
        String stalled = id(
                send("127.0.0.2", port, "POST", "/api/streams", page, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}"));
        try (Socket events = browser("127.0.0.2", port, "GET", "/api/streams/" + stalled + "/events", page, null)) {
            InputStream in = events.getInputStream();
            String head = RawHttp.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("content-type: text/event-stream"), head);
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (seen.toString().split("event: delta", -1).length <= 3) { // three deltas, before the stream ends
                int n = in.read(buf);
                assertTrue(n > 0, "the events ended early: " + seen);
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertFalse(seen.toString().contains("event: done"), seen.toString());
        }

        // each browser behind the proxy has its own limit; what a browser writes in X-Forwarded-For is not believed
        RawHttp.Response second = send(
                "127.0.0.2",
                port,
                "POST",
                "/api/streams",
                Map.of("Origin", ORIGIN, "X-Forwarded-For", "6.6.6.6"),
                "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}");
        assertEquals(429, second.status(), second.body());
        assertTrue(second.body().contains("too_many_streams"), second.body());
        String other = id(
                send("127.0.0.3", port, "POST", "/api/streams", page, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}"));

        // the WebSocket upgrade goes through
        RawHttp.Upgrade ws = RawHttp.upgrade(port, Map.of("Host", "chat.example.com", "Origin", ORIGIN));
        try (Socket s = ws.socket()) {
            assertEquals(101, ws.status(), ws.head());
            RawHttp.sendText(s.getOutputStream(), "{\"type\":\"start\",\"prompt\":\"Tell me about the ocean\"}");
            String first = new String(RawHttp.readFrame(s.getInputStream()).payload(), StandardCharsets.UTF_8);
            assertTrue(first.contains("\"stream\":") && first.contains("\"type\":\"start\""), first);
        }

        // the access log names each browser, never the proxy or the forged address
        for (String id : List.of(stalled, other)) {
            assertEquals(
                    204,
                    send("127.0.0.2", port, "DELETE", "/api/streams/" + id, page, null)
                            .status());
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.exists(log)
                        && Files.readString(log).contains("client=127.0.0.2 stream=" + stalled)
                        && Files.readString(log).contains("client=127.0.0.3 stream=" + other));
        assertFalse(Files.readString(log).contains("6.6.6.6"), Files.readString(log));
        // and nginx's own log shows the health check was not logged there (access_log off)
        String nginxLog = Files.readString(dir.resolve("nginx/logs/access.log"));
        assertTrue(nginxLog.contains("/api/providers") && !nginxLog.contains("/healthz"), nginxLog);
    }

    @Test
    void systemdUnitOfTheDocs_verifies() throws Exception {
        File analyze = new File("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(analyze.canExecute(), "systemd-analyze is not installed: the doc's unit is not checked");
        Assumptions.assumeTrue(new File("/usr/bin/java").canExecute(), "no /usr/bin/java, which the doc's unit runs");
        Path unit = Files.createTempDirectory("sluice-unit").resolve("sluice.service");
        Files.writeString(unit, docBlock("## Deploying", "ini"));
        Process p = new ProcessBuilder(analyze.getPath(), "verify", unit.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains(unit.getFileName().toString()), "a complaint about the unit: " + out);
    }
}
