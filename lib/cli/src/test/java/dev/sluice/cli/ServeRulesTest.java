package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve}'s flags for who may call and how much, checked from outside with the JDK's
 * clients against the running command: the token and its cookie, a token made for a non-loopback
 * address, the limits with their 400 and 429 answers, the access log, the memory check at start,
 * origins and hosts allowed by flag, and every provider {@code --help} lists.
 */
class ServeRulesTest {
    private static final String TOKEN = "test-token-0123456789abcdef";
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Thread running;

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null) {
            running.interrupt();
            running.join(10_000);
        }
        http.close();
    }

    private String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code serve --port 0 ARGS} with the environment until the test ends; {@return the URL it printed} */
    private URI serve(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
        all.addAll(List.of(args));
        AtomicInteger exit = new AtomicInteger(-1);
        running = Thread.ofVirtual()
                .start(() -> exit.set(Sluice.run(
                        Map.of("serve", new ServeCommand(env)),
                        all,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(new ByteArrayOutputStream()),
                        err)));
        await().atMost(Duration.ofSeconds(20)).until(() -> err().contains("sluice serve: http") || exit.get() >= 0);
        Matcher m = Pattern.compile("(?m)^sluice serve: (http://\\S+)$").matcher(err());
        assertTrue(m.find(), err());
        return URI.create(m.group(1));
    }

    private URI serve(String... args) {
        return serve(Map.of(), args);
    }

    private HttpResponse<String> post(URI base, String json, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("/api/streams"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> created) {
        assertEquals(201, created.statusCode(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":{\"type\":\"" + type + "\""), r.body());
    }

    // ---- token

    @Test
    void token_everyApiRequestNeedsItAndTheCookieOfTheFirstPageOpensTheRest() throws Exception {
        URI base = serve("--token", TOKEN);
        assertFalse(err().contains(TOKEN), "a token given is not printed: " + err());
        HttpResponse<String> refused = post(base, "{\"prompt\":\"hi\"}");
        assertRefused(refused, 401, "unauthorized");
        assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertRefused(
                post(base, "{\"prompt\":\"hi\"}", "Authorization", "Bearer wrong-token-0123456789"),
                401,
                "unauthorized");
        assertRefused(get(base.resolve("/api/providers")), 401, "unauthorized");
        assertEquals(401, get(base).statusCode(), "the page needs the token too");
        String id = id(post(base, "{\"prompt\":\"hi\"}", "Authorization", "Bearer " + TOKEN));
        assertEquals(
                200,
                get(base.resolve("/api/streams/" + id + "/events"), "Authorization", "Bearer " + TOKEN)
                        .statusCode());

        HttpResponse<String> opened = get(base.resolve("/?token=" + TOKEN));
        assertEquals(303, opened.statusCode());
        assertEquals("/", opened.headers().firstValue("Location").orElseThrow());
        String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, get(base, "Cookie", pair).statusCode(), "the page, with the cookie");
        assertEquals(201, post(base, "{\"prompt\":\"hi\"}", "Cookie", pair).statusCode(), "the API, with the cookie");
        assertEquals(401, get(base.resolve("/?token=wrong-token-0123456789")).statusCode());

        URI ws = URI.create("ws://" + base.getAuthority() + "/api/ws");
        CompletionException noToken = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> http.newWebSocketBuilder()
                        .buildAsync(ws, new WebSocket.Listener() {})
                        .join());
        assertEquals(
                401,
                ((java.net.http.WebSocketHandshakeException) noToken.getCause())
                        .getResponse()
                        .statusCode());
        http.newWebSocketBuilder()
                .header("Cookie", pair)
                .buildAsync(ws, new WebSocket.Listener() {})
                .join()
                .abort();
    }

    @Test
    void token_fromTheEnvironment_required() throws Exception {
        URI base = serve(Map.of(ServeCommand.TOKEN_VARIABLE, TOKEN));
        assertRefused(post(base, "{\"prompt\":\"hi\"}"), 401, "unauthorized");
        assertEquals(
                201,
                post(base, "{\"prompt\":\"hi\"}", "Authorization", "Bearer " + TOKEN)
                        .statusCode());
    }

    @Test
    void token_tooShortOrWithNoToken_usageError() {
        for (List<String> args : List.of(List.of("--token", "short"), List.of("--token", TOKEN, "--no-token"))) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            List<String> all = new ArrayList<>(List.of("serve"));
            all.addAll(args);
            assertEquals(
                    2,
                    Sluice.run(
                            Map.of("serve", new ServeCommand(Map.of())),
                            all,
                            new ByteArrayInputStream(new byte[0]),
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(e, true, StandardCharsets.UTF_8)),
                    args.toString());
        }
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return a.getHostAddress();
            }
        }
        return null;
    }

    @Test
    void nonLoopbackWithoutAToken_oneIsMadeAndPrintedWithTheUrl() throws Exception {
        String address = nonLoopbackAddress();
        Assumptions.assumeTrue(address != null, "no non-loopback IPv4 address on this machine");
        URI printed = serve("--host", address);
        Matcher m = Pattern.compile("^http://" + Pattern.quote(address) + ":\\d+/\\?token=([A-Za-z0-9_-]{32})$")
                .matcher(printed.toString());
        assertTrue(m.matches(), printed.toString());
        URI base = URI.create(printed.toString().substring(0, printed.toString().indexOf('?')));
        assertRefused(post(base, "{\"prompt\":\"hi\"}"), 401, "unauthorized");
        assertEquals(
                201,
                post(base, "{\"prompt\":\"hi\"}", "Authorization", "Bearer " + m.group(1))
                        .statusCode());
        assertEquals(303, get(printed).statusCode(), "the printed URL opens the page");
    }

    @Test
    void nonLoopbackWithNoToken_warnedAndOpen() throws Exception {
        String address = nonLoopbackAddress();
        Assumptions.assumeTrue(address != null, "no non-loopback IPv4 address on this machine");
        URI base = serve("--host", address, "--no-token");
        assertTrue(err().contains("sluice serve: warning: --no-token"), err());
        assertEquals(201, post(base, "{\"prompt\":\"hi\"}").statusCode());
    }

    // ---- providers

    @Test
    void providerOpenAiResponses_theDefaultStreamsFromTheResponsesApi() throws Exception {
        URI base = serve("--provider", "openai-responses");
        assertTrue(get(base.resolve("/api/providers")).body().startsWith("{\"default\":\"openai-responses\","));
        String id = id(post(base, "{\"prompt\":\"hi\"}"));
        String events = get(base.resolve("/api/streams/" + id + "/events")).body();
        assertTrue(events.contains("data: {\"provider\":\"openai-responses\",\"model\":\"gpt-6.1-terra\"}"), events);
        assertTrue(events.contains("event: delta\nid: 2\ndata: {\"text\":\"Hello!"), events);
        assertTrue(events.contains("event: done\n"), events);
    }

    // ---- limits

    @Test
    void maxCreationsPerMinute_pastIt429WithRetryAfter() throws Exception {
        URI base = serve("--max-creations-per-minute", "2");
        id(post(base, "{\"prompt\":\"hi\"}"));
        id(post(base, "{\"prompt\":\"hi\"}"));
        HttpResponse<String> third = post(base, "{\"prompt\":\"hi\"}");
        assertRefused(third, 429, "too_many_creations");
        long retryAfter =
                Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    @Test
    void maxFailedResumesPerMinute_pastIt429WithRetryAfter() throws Exception {
        URI base = serve("--max-failed-resumes-per-minute", "2");
        assertEquals(204, get(base.resolve("/api/chat/no-such-chat-1/stream")).statusCode());
        assertEquals(204, get(base.resolve("/api/chat/no-such-chat-2/stream")).statusCode());
        HttpResponse<String> third = get(base.resolve("/api/chat/no-such-chat-3/stream"));
        assertRefused(third, 429, "too_many_failed_resumes");
        long retryAfter =
                Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    @Test
    void maxTokensAndModels_pastTheCapOrAnotherModel400() throws Exception {
        URI base = serve("--max-tokens", "100", "--models", "gemini=gemini-2.5-flash,gemini-2.5-pro");
        assertRefused(post(base, "{\"prompt\":\"hi\",\"maxTokens\":101}"), 400, "max_tokens_too_large");
        assertEquals(201, post(base, "{\"prompt\":\"hi\",\"maxTokens\":100}").statusCode());
        assertRefused(post(base, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}"), 400, "model_not_allowed");
        assertRefused(post(base, "{\"prompt\":\"hi\",\"model\":\"claude-opus-4\"}"), 400, "model_not_allowed");
        assertEquals(
                201,
                post(base, "{\"prompt\":\"hi\",\"model\":\"claude-sonnet-5-5\"}")
                        .statusCode(),
                "the default model");
        assertEquals(
                201,
                post(base, "{\"prompt\":\"hi\",\"provider\":\"gemini\",\"model\":\"gemini-2.5-pro\"}")
                        .statusCode());
        assertRefused(
                post(base, "{\"prompt\":\"hi\",\"provider\":\"gemini\",\"model\":\"gemini-1.0\"}"),
                400,
                "model_not_allowed");
    }

    @Test
    void maxStreams_pastIt429() throws Exception {
        URI base = serve("--max-streams", "1", "--models", "anthropic=*");
        id(post(base, "{\"prompt\":\"hi\",\"model\":\"fake-stall\"}"));
        assertRefused(post(base, "{\"prompt\":\"hi\"}"), 429, "too_many_streams");
    }

    @Test
    void accessLog_oneLinePerStreamWithoutThePromptOrTheAnswer(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        URI base = serve("--access-log", log.toString());
        String id = id(post(base, "{\"prompt\":\"Tell me about the ocean\",\"system\":\"secret system prompt\"}"));
        String events = get(base.resolve("/api/streams/" + id + "/events")).body();
        assertTrue(events.contains("event: done"), events);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(log) && !Files.readString(log).isEmpty());
        String line = Files.readString(log).strip();
        assertTrue(
                line.matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\S+ client=127\\.0\\.0\\.1 stream=" + Pattern.quote(id)
                                + " provider=\"anthropic\" model=\"claude-sonnet-5-5\" tokens_in=\\d+ tokens_out=[1-9]\\d* end=\"done:stop\" duration_ms=\\d+"),
                line);
        assertFalse(line.contains("ocean") || line.contains("secret") || line.contains("Hello"), line);
    }

    @Test
    void trustedProxy_accessLogAndLimitsCountTheForwardedClient_othersCannotForgeIt(@TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("access.log");
        URI base = serve(
                "--access-log",
                log.toString(),
                "--trusted-proxy",
                "10.0.0.0/8,127.0.0.1",
                "--max-creations-per-minute",
                "1");
        assertTrue(
                err().contains(
                                "sluice serve: the client of a request from 10.0.0.0/8, 127.0.0.1/32 is the one its X-Forwarded-For"
                                        + " (or Forwarded) names"),
                err());
        String id = id(post(base, "{\"prompt\":\"hi\"}", "X-Forwarded-For", "203.0.113.7"));
        assertEquals(
                201,
                post(base, "{\"prompt\":\"hi\"}", "X-Forwarded-For", "203.0.113.8")
                        .statusCode(),
                "another client's minute");
        assertRefused(post(base, "{\"prompt\":\"hi\"}", "X-Forwarded-For", "203.0.113.7"), 429, "too_many_creations");
        try (HttpClient elsewhere = HttpClient.newBuilder()
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build()) {
            HttpRequest forged = HttpRequest.newBuilder(base.resolve("/api/streams"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "203.0.113.9")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"))
                    .build();
            assertEquals(
                    201,
                    elsewhere.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertRefused(elsewhere.send(forged, HttpResponse.BodyHandlers.ofString()), 429, "too_many_creations");
        }
        get(base.resolve("/api/streams/" + id + "/events"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(log) && Files.readString(log).contains("stream=" + id));
        assertTrue(Files.readString(log).contains("client=203.0.113.7 stream=" + id), Files.readString(log));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("client=127.0.0.2 "));
        assertFalse(Files.readString(log).contains("203.0.113.9"), Files.readString(log));
    }

    @Test
    void trustedProxy_notAnAddressOrRange_usageErrorNamingIt() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Sluice.run(
                Map.of("serve", new ServeCommand(Map.of())),
                List.of("serve", "--port", "0", "--trusted-proxy", "127.0.0.1,proxy.local"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        String text = e.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, text);
        assertTrue(
                text.contains(
                        "error: --trusted-proxy: not an address or CIDR range (such as 127.0.0.1, 10.0.0.0/8 or fd00::/8): 'proxy.local'"),
                text);
    }

    @Test
    void healthz_noTokenNeededOnAServerThatHasOne() throws Exception {
        URI base = serve("--token", TOKEN);
        HttpResponse<String> health = get(base.resolve("/healthz"));
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"status\":\"ok\"}", health.body());
        assertRefused(get(base.resolve("/api/providers")), 401, "unauthorized");
    }

    @Test
    void limitsPastHalfTheHeap_refusedNamingTheFlags() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = Sluice.run(
                Map.of("serve", new ServeCommand(Map.of())),
                List.of("serve", "--port", "0", "--max-streams", "100000", "--replay-bytes", "1073741824"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        String text = e.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, text);
        assertTrue(
                text.startsWith("error: the limits could hold ")
                        && text.contains("--max-streams")
                        && text.contains("--replay-bytes")
                        && text.contains("heap"),
                text);
    }

    @Test
    void defaults_worstCaseMemoryPrintedAndWithinHalfTheHeap() {
        serve();
        assertTrue(
                Pattern.compile("(?m)^sluice serve: worst-case memory of the limits \\d+ MiB .* of a \\d+ MiB heap$")
                        .matcher(err())
                        .find(),
                err());
    }

    // ---- origins and hosts by flag

    @Test
    void allowOrigin_thatOriginGetsCorsOthersAre403() throws Exception {
        URI base = serve("--allow-origin", "https://chat.example.com");
        HttpResponse<String> allowed = post(base, "{\"prompt\":\"hi\"}", "Origin", "https://chat.example.com");
        assertEquals(201, allowed.statusCode(), allowed.body());
        assertEquals(
                "https://chat.example.com",
                allowed.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(base.resolve("/api/streams"))
                        .header("Origin", "https://chat.example.com")
                        .header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight
                .headers()
                .firstValue("Access-Control-Allow-Methods")
                .orElseThrow()
                .contains("POST"));
        HttpResponse<String> other = post(base, "{\"prompt\":\"hi\"}", "Origin", "https://other.example.com");
        assertRefused(other, 403, "origin_not_allowed");
        assertNull(other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void allowHost_thatNameServedOthers403() throws Exception {
        URI base = serve("--allow-host", "relay.internal");
        assertEquals(200, status(base.getPort(), "relay.internal:" + base.getPort()));
        assertEquals(403, status(base.getPort(), "other.internal"));
    }

    /** {@return the status of GET /api/providers with this Host, over a raw socket (the JDK client sets Host itself)} */
    private static int status(int port, String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET /api/providers HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
