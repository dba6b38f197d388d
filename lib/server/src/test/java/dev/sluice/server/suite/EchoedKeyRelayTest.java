package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream that repeats the request's headers, the API key among them, in an HTTP error body
 * and in an error event mid-stream ({@code fake-echo-headers}, {@code fake-echo-headers-mid-stream})
 * on every provider (Anthropic, OpenAI Chat Completions and Responses, Gemini), relayed over SSE
 * and the WebSocket: the key appears in no relayed event, no log line (the server's log, its
 * stderr, the access log) and no JDK Flight Recorder event; each {@code error} event carries a
 * type, a short message and the request id. The same for a key sent as the error's type, through
 * every protocol (the relay's events, the OpenAI-compatible gateway, AG-UI, the UI message stream),
 * and for a key echoed masked, in upper case, reversed or split, in base64, hex, percent-encoded
 * or rot13; an error that names upstream
 * addresses reaches the browser without them, and the server's log with them.
 */
class EchoedKeyRelayTest {
    private static final String KEY = "sk-live-9f8e7d6c5b4a3210SECRET";
    private static final Pattern CASE = Pattern.compile("case:([a-z0-9-]+)");
    /** The message of an upstream error naming addresses; {@code PORT} is the fake's. */
    private static final String ADDRESSES =
            "upstream http://127.0.0.1:PORT/secret/path refused the call; host: 127.0.0.1:PORT,"
                    + " fallback [::1]:PORT, peer fe80::1ff:fe23:4567:890a, detail {\"proxy\":\"gw.internal.example:8443\"}";

    private static final List<String> PROVIDERS = List.of("anthropic", "openai", "openai-responses", "gemini");
    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;
    private static GeminiClient gemini;
    private static RelayServer server;
    private static final List<String> accessLog = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
        fake.setDispatcher(EchoedKeyRelayTest::answer);
        String base = fake.baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey(KEY).baseUrl(base).build();
        openai = OpenAiClient.builder().apiKey(KEY).baseUrl(base).build();
        gemini = GeminiClient.builder().apiKey(KEY).baseUrl(base).build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini")
                .provider("gemini", gemini, "gemini-2.5-flash")
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(50)
                .accessLog(accessLog::add)
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .provider("gemini", gemini)
                .build();
        server = RelayServer.builder(http).gateway(gateway).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
        openai.close();
        gemini.close();
        fake.close();
    }

    @Test
    void echoingUpstream_everyProviderBothFaultsBothTransports_theKeyNowhere() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        root.setLevel(Level.ALL);
        Handler capture = capture(logged);
        PrintStream stderr = System.err;
        ByteArrayOutputStream stderrCopy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(stderr, stderrCopy), true, StandardCharsets.UTF_8));
        Path jfr = Files.createTempFile("echoed-key-relay", ".jfr");
        List<String> relayed = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.enable("jdk.JavaErrorThrow");
            recording.enable("dev.sluice.RelayConnection");
            recording.enable("dev.sluice.Stream");
            recording.start();
            for (String provider : PROVIDERS) {
                for (String model : List.of("fake-echo-headers", "fake-echo-headers-mid-stream")) {
                    String json = "{\"prompt\":\"hi\",\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"}";
                    String what = provider + " " + model;
                    assertError(what + " over SSE", (Map<?, ?>)
                            PartialJson.parse(overSse(json, relayed).data()).value());
                    assertError(what + " over the WebSocket", overWebSocket(json, relayed));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.relay().activeStreams() == 0);
            recording.stop();
            recording.dump(jfr);
            List<String> values = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
                // the fake upstream runs in this JVM: its own exceptions (the echo it answers with) are not the relay's
                if (event.hasField("thrownClass")
                        && event.getClass("thrownClass").getName().startsWith("dev.sluice.testkit.")) continue;
                for (ValueDescriptor field : event.getFields()) {
                    Object value = event.getValue(field.getName());
                    if (value != null) values.add(event.getEventType().getName() + " " + value);
                }
            }
            assertTrue(values.stream().anyMatch(v -> v.contains("[redacted]")), "the echoes' exceptions were recorded");
            for (String v : values) assertFalse(v.contains(KEY), "a JFR event holds the key: " + v);
        } finally {
            System.setErr(stderr);
            root.removeHandler(capture);
            root.setLevel(level);
            Files.deleteIfExists(jfr);
        }
        assertEquals(
                PROVIDERS.size() * 4,
                relayed.stream()
                        .filter(e -> e.contains("\"type\":\"error\"") || e.startsWith("error "))
                        .count(),
                String.join("\n", relayed));
        for (String e : relayed) assertFalse(e.contains(KEY), "a relayed event holds the key: " + e);
        assertTrue(logged.stream().anyMatch(l -> l.contains("[redacted]")), "the failures were logged: " + logged);
        for (String l : logged) assertFalse(l.contains(KEY), "a log line holds the key: " + l);
        String err = stderrCopy.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains(KEY), "stderr holds the key: " + err);
        await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.size() >= PROVIDERS.size() * 4);
        for (String l : accessLog) {
            assertFalse(l.contains(KEY), l);
            assertTrue(l.contains(" end=\"error:"), l);
        }
    }

    @Test
    void keyAsTheErrorType_everyProviderEveryProtocol_upstreamErrorAndTheKeyNowhere() throws Exception {
        List<String> seen = new ArrayList<>();
        accessLog.clear();
        for (String provider : PROVIDERS) {
            for (String where : List.of("type-in-body", "type-in-stream")) {
                String what = provider + " " + where;
                String json = start(provider, where);
                SseEvent error = overSse(json, seen);
                Map<?, ?> data = (Map<?, ?>) PartialJson.parse(error.data()).value();
                assertEquals("upstream_error", data.get("type"), what + ": " + data);
                assertEquals("refused", data.get("message"), what + ": " + data);
                assertEquals("upstream_error", ((Map<?, ?>) overWebSocket(json, seen)).get("type"), what);

                String id = SseTestClient.create(server.uri(), json);
                try (SseTestClient live = SseTestClient.open(server.uri(), id, null)) {
                    live.readAll();
                }
                try (SseTestClient replayed = SseTestClient.open(server.uri(), id, "0")) { // from the replay buffer
                    replayed.readAll();
                    for (SseEvent e : replayed.events) seen.add(e.type() + " " + e.data());
                    assertTrue(
                            replayed.events.getLast().data().contains("\"type\":\"upstream_error\""),
                            what + " replayed");
                }

                String chat = post(
                        "/api/chat",
                        "{\"id\":\"c-" + provider + where + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\","
                                + "\"parts\":[{\"type\":\"text\",\"text\":\"case:" + where
                                + "\"}]}],\"trigger\":\"submit-message\","
                                + "\"provider\":\"" + provider + "\",\"model\":\"relay-test\"}",
                        200);
                seen.add(chat);
                assertTrue(chat.contains("{\"type\":\"error\",\"errorText\":\"refused\"}"), what + ": " + chat);

                String run = post(
                        "/api/ag-ui",
                        "{\"threadId\":\"thread-1\",\"runId\":\"r-" + provider + where
                                + "\",\"messages\":[{\"id\":\"m1\","
                                + "\"role\":\"user\",\"content\":\"case:" + where
                                + "\"}],\"tools\":[],\"context\":[],\"state\":{},"
                                + "\"forwardedProps\":{\"provider\":\"" + provider + "\",\"model\":\"relay-test\"}}",
                        200);
                seen.add(run);
                assertTrue(
                        run.contains("\"type\":\"RUN_ERROR\",\"message\":\"refused\",\"code\":\"upstream_error\""),
                        what + ": " + run);

                String completion = "{\"model\":\"" + provider
                        + "/relay-test\",\"messages\":[{\"role\":\"user\",\"content\":\"case:" + where + "\"}]";
                String whole = post(
                        "/v1/chat/completions", completion + "}", 502); // a completion is written whole, or not at all
                seen.add(whole);
                assertTrue(whole.contains("\"code\":\"upstream_error\""), what + ": " + whole);
                String streamed = post(
                        "/v1/chat/completions",
                        completion + ",\"stream\":true}",
                        where.equals("type-in-body") ? 502 : 200);
                seen.add(streamed);
                assertTrue(streamed.contains("\"code\":\"upstream_error\""), what + ": " + streamed);
            }
        }
        for (String e : seen) assertFalse(e.contains(KEY), "a relayed event holds the key: " + e);
        // per provider and case: over SSE, the WebSocket, SSE again, the UI message stream, AG-UI, the gateway twice
        await().atMost(Duration.ofSeconds(10))
                .until(() -> accessLog.stream()
                                .filter(l -> l.contains(" end=\"error:upstream_error\""))
                                .count()
                        == PROVIDERS.size() * 2 * 7L);
        for (String l : accessLog) assertFalse(l.contains(KEY), l);
    }

    /**
     * The Messages and Responses doors, passed through (a target of the door's own dialect: its events
     * go to the client as they came) and translated, streamed and whole: an upstream that echoes the
     * request's headers, its key among them, before its answer or in an error event mid-answer, gets
     * its failure to the client in the door's shape, and the key to nobody.
     */
    @Test
    void echoingUpstream_messagesAndResponsesDoorsEveryProviderStreamedAndWhole_theKeyNowhere() throws Exception {
        accessLog.clear();
        List<String> answers = new ArrayList<>();
        for (String door : List.of("/v1/messages", "/v1/responses")) {
            for (String provider : PROVIDERS) {
                for (String model : List.of("fake-echo-headers", "fake-echo-headers-mid-stream")) {
                    for (boolean stream : List.of(true, false)) {
                        String json = door.equals("/v1/messages")
                                ? "{\"model\":\"" + provider + "/" + model + "\",\"max_tokens\":50,\"stream\":" + stream
                                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                                : "{\"model\":\"" + provider + "/" + model + "\",\"stream\":" + stream
                                        + ",\"input\":\"hi\"}";
                        HttpResponse<String> r = SseTestClient.HTTP.send(
                                HttpRequest.newBuilder(server.uri().resolve(door))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(json))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        String what = door + " " + provider + "/" + model + (stream ? " streamed" : " whole");
                        answers.add(what + ": " + r.body());
                        assertFalse(r.body().contains(KEY), what + " holds the key: " + r.body());
                        assertTrue(
                                r.body().contains("Unexpected request; it had these headers"),
                                what + ": the upstream's failure reached the client: " + r.body());
                        if (r.statusCode() == 200)
                            assertTrue(
                                    r.body().contains("event: error\n")
                                            || r.body().contains("event: response.failed\n"),
                                    what + ": the door's own failure event: " + r.body());
                    }
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> accessLog.size() >= 2L * PROVIDERS.size() * 2 * 2);
        for (String l : accessLog) assertFalse(l.contains(KEY), l);
    }

    @Test
    void keyEchoedMaskedCasedReversedOrSplit_relayedErrorHoldsNoneOfIt() throws Exception {
        String head = KEY.substring(0, 8);
        String tail = KEY.substring(KEY.length() - 4);
        for (String provider : PROVIDERS) {
            for (String variant : List.of("masked", "upper", "reversed", "zero-width", "spaced")) {
                String what = provider + " " + variant;
                String data =
                        overSse(start(provider, variant), new ArrayList<>()).data();
                String message = (String) ((Map<?, ?>) PartialJson.parse(data).value()).get("message");
                assertTrue(message.startsWith("the key ") && message.contains("[redacted]"), what + ": " + message);
                String visible = message.replaceAll("[\\s\u200B]", "").toLowerCase(Locale.ROOT);
                for (String piece : List.of(
                        head, tail, KEY, new StringBuilder(KEY).reverse().toString())) {
                    assertFalse(visible.contains(piece.toLowerCase(Locale.ROOT)), what + ": " + message);
                }
            }
        }
    }

    @Test
    void keyEchoedEncoded_base64HexPercentOrRot13_relayedErrorHoldsNoneOfIt() throws Exception {
        for (String provider : PROVIDERS) {
            for (String variant : List.of("base64", "base64url-json", "hex", "percent", "rot13")) {
                String data =
                        overSse(start(provider, variant), new ArrayList<>()).data();
                assertEquals(
                        "the key [redacted] is not valid",
                        ((Map<?, ?>) PartialJson.parse(data).value()).get("message"),
                        provider + " " + variant);
            }
        }
    }

    @Test
    void errorNamingAddresses_browserGetsPlaceholdersTheLogKeepsThem() throws Exception {
        String port = String.valueOf(fake.port());
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = capture(logged);
        try {
            for (String provider : PROVIDERS) {
                for (String where : List.of("addresses-in-body", "addresses-in-stream")) {
                    String what = provider + " " + where;
                    String json = start(provider, where);
                    String data = overSse(json, new ArrayList<>()).data();
                    String message =
                            (String) ((Map<?, ?>) PartialJson.parse(data).value()).get("message");
                    assertEquals(
                            "upstream [address] refused the call; host: [address], fallback [address], peer [address],"
                                    + " detail {\"proxy\":\"[address]\"}",
                            message,
                            what);
                    for (String e : List.of(
                            post(
                                    "/api/chat",
                                    "{\"id\":\"a-" + provider + where + "\",\"messages\":[{\"id\":\"m1\","
                                            + "\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"case:" + where
                                            + "\"}]}],"
                                            + "\"provider\":\"" + provider + "\",\"model\":\"relay-test\"}",
                                    200),
                            data)) {
                        // the answer's message id is random hex, which can hold "8443", "fe80" or the port
                        String shown = e.replaceAll("\"messageId\":\"[^\"]*\"", "\"messageId\":\"\"");
                        for (String hidden :
                                List.of("127.0.0.1", port, "secret", "::1", "fe80", "gw.internal", "8443")) {
                            assertFalse(shown.contains(hidden), what + ": " + hidden + " in " + e);
                        }
                    }
                }
            }
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        String full = ADDRESSES.replace("PORT", port);
        assertTrue(logged.stream().anyMatch(l -> l.contains(full)), "the log keeps the addresses: " + logged);
    }

    @Test
    void proseWithShortPiecesOfTheKey_relayedAsWritten() throws Exception {
        String data = overSse(start("anthropic", "prose"), new ArrayList<>()).data();
        assertEquals(
                "keys start with sk- and the rest is secret: sk-live is not a key",
                ((Map<?, ?>) PartialJson.parse(data).value()).get("message"));
    }

    /**
     * The fake upstream: a normal answer, unless the prompt names a case ({@code case:NAME}); then
     * an error of that case, in the provider's wire format, whose type or message holds what the
     * request carried as its key.
     */
    private static FakeResponse answer(RecordedRequest request) {
        Matcher m = CASE.matcher(request.body());
        if (!m.find()) return FakeResponse.answerPrompt();
        String key = keyOf(request);
        String where = m.group(1);
        UnaryOperator<String> joined =
                sep -> key.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(sep));
        String addresses = ADDRESSES.replace("PORT", String.valueOf(fake.port()));
        return switch (where) {
            case "type-in-body" -> FakeResponse.apiError(400, key, "refused");
            case "type-in-stream" -> inStreamError(request, key, "refused");
            case "masked" ->
                FakeResponse.apiError(
                        401,
                        "authentication_error",
                        "the key " + key.substring(0, 8) + "******" + key.substring(key.length() - 4)
                                + " is not valid");
            case "upper" ->
                FakeResponse.apiError(
                        401, "authentication_error", "the key " + key.toUpperCase(Locale.ROOT) + " is not valid");
            case "reversed" ->
                FakeResponse.apiError(
                        401, "authentication_error", "the key " + new StringBuilder(key).reverse() + " is not valid");
            case "zero-width" ->
                inStreamError(request, "invalid_request_error", "the key " + joined.apply("\u200B") + " is not valid");
            case "spaced" ->
                inStreamError(request, "invalid_request_error", "the key " + joined.apply(" ") + " is not valid");
            case "base64" ->
                FakeResponse.apiError(
                        401,
                        "authentication_error",
                        "the key " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
                                + " is not valid");
            case "base64url-json" ->
                inStreamError(
                        request,
                        "invalid_request_error",
                        "the key "
                                + Base64.getUrlEncoder()
                                        .encodeToString(
                                                ("{\"api_key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8))
                                + " is not valid");
            case "hex" ->
                FakeResponse.apiError(
                        401,
                        "authentication_error",
                        "the key " + HexFormat.of().withUpperCase().formatHex(key.getBytes(StandardCharsets.UTF_8))
                                + " is not valid");
            case "percent" ->
                inStreamError(
                        request,
                        "invalid_request_error",
                        "the key "
                                + key.chars()
                                        .mapToObj(c -> String.format("%%%02x", c))
                                        .collect(Collectors.joining()) + " is not valid");
            case "rot13" ->
                FakeResponse.apiError(
                        401,
                        "authentication_error",
                        "the key "
                                + key.chars()
                                        .map(c -> Character.isLowerCase(c)
                                                ? 'a' + (c - 'a' + 13) % 26
                                                : Character.isUpperCase(c) ? 'A' + (c - 'A' + 13) % 26 : c)
                                        .mapToObj(c -> String.valueOf((char) c))
                                        .collect(Collectors.joining())
                                + " is not valid");
            case "addresses-in-body" -> FakeResponse.apiError(400, "invalid_request_error", addresses);
            case "addresses-in-stream" -> inStreamError(request, "invalid_request_error", addresses);
            case "prose" ->
                inStreamError(
                        request,
                        "invalid_request_error",
                        "keys start with sk- and the rest is secret: sk-live is not a key");
            default -> throw new IllegalArgumentException(where);
        };
    }

    /** {@return the key the request carried, in whichever header its provider sends it} */
    private static String keyOf(RecordedRequest request) {
        for (String name : List.of("x-api-key", "x-goog-api-key", "authorization")) {
            String v = request.header(name);
            if (v != null) return v.replaceFirst("^Bearer ", "");
        }
        throw new IllegalArgumentException("no key in " + request);
    }

    /** {@return a stream in the request's wire format: one piece of text, then an error event of this type and message} */
    private static FakeResponse inStreamError(RecordedRequest request, String type, String message) {
        String t = quote(type);
        String m = quote(message);
        String path = request.path();
        if (path.endsWith("/messages")) {
            return FakeResponse.sse(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                            + "\"role\":\"assistant\",\"content\":[],\"model\":\"relay-test\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":" + t + ",\"message\":" + m
                            + "}}\n\n");
        }
        if (path.endsWith("/chat/completions") && !request.body().contains("\"stream\":true")) {
            // asked not to stream: an error object in a 200 answer, as some compatible servers send one
            return FakeResponse.status(200)
                    .body("application/json", "{\"error\":{\"message\":" + m + ",\"type\":" + t + ",\"code\":null}}");
        }
        if (path.endsWith("/chat/completions")) {
            return FakeResponse.sse(
                    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                            + "data: {\"error\":{\"message\":" + m + ",\"type\":" + t + ",\"code\":null}}\n\n");
        }
        if (path.endsWith("/responses")) {
            return FakeResponse.sse(
                    "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"i\","
                            + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"sequence_number\":1}\n\n"
                            + "event: error\ndata: {\"type\":\"error\",\"code\":" + t + ",\"message\":" + m
                            + ",\"param\":null,\"sequence_number\":2}\n\n");
        }
        return FakeResponse.sse(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]}\n\n"
                        + "data: {\"error\":{\"code\":400,\"message\":" + m + ",\"status\":" + t + "}}\n\n");
    }

    /** {@return the text as a JSON string} */
    private static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** {@return a start request for the relay's own API, on this provider, whose prompt names the case} */
    private static String start(String provider, String where) {
        return "{\"prompt\":\"case:" + where + "\",\"provider\":\"" + provider + "\",\"model\":\"relay-test\"}";
    }

    /** POSTs JSON to the server; {@return the whole response body} after checking its status. */
    private static String post(String path, String json, int status) throws Exception {
        HttpResponse<String> r = SseTestClient.HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    /** {@return a handler, added to the root logger, that adds each record's message and exception to {@code logged}} */
    private static Handler capture(List<String> logged) {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + r.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** An error event's data: a type, a message of at most 201 characters, and the provider's request id. */
    private static void assertError(String what, Map<?, ?> error) {
        assertFalse(error.toString().contains(KEY), what + ": " + error);
        assertTrue(error.get("type") instanceof String t && !t.isBlank(), what + ": " + error);
        assertTrue(error.get("message") instanceof String m && !m.isBlank() && m.length() <= 201, what + ": " + error);
        assertTrue(error.get("requestId") instanceof String r && !r.isBlank(), what + ": no request id in " + error);
    }

    /** Streams over SSE; {@return its error event} and adds every event's type and data to {@code relayed}. */
    private static SseEvent overSse(String json, List<String> relayed) throws Exception {
        String id = SseTestClient.create(server.uri(), json);
        try (SseTestClient c = SseTestClient.open(server.uri(), id, null)) {
            c.readAll();
            for (SseEvent e : c.events) relayed.add(e.type() + " " + e.data());
            assertEquals("error", c.types().getLast(), c.types().toString());
            return c.events.getLast();
        }
    }

    /** Streams over the WebSocket; {@return its error object} and adds every frame to {@code relayed}. */
    private static Map<?, ?> overWebSocket(String json, List<String> relayed) throws Exception {
        TextFrames frames = new TextFrames();
        WebSocket ws = SseTestClient.HTTP
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/ws"), frames)
                .join();
        try {
            ws.sendText("{\"type\":\"start\"," + json.substring(1), true).join();
            String frame;
            do {
                frame = frames.next(20);
                relayed.add(frame);
            } while (!frame.contains("\"type\":\"error\"") && !frame.contains("\"type\":\"done\""));
            assertTrue(frame.contains("\"type\":\"error\""), frame);
            return (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(frame).value()).get("error");
        } finally {
            ws.abort();
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
