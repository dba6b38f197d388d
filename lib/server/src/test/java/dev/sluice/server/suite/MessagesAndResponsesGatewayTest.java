package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.PartialJson;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's Anthropic Messages ({@code /v1/messages}, {@code /v1/messages/count_tokens},
 * {@code /v1/models} with {@code anthropic-version}) and OpenAI Responses ({@code /v1/responses})
 * front doors of a real {@link RelayServer}, translated to the testkit's server speaking Anthropic,
 * OpenAI and Gemini: driven by the stock {@code @anthropic-ai/sdk} and {@code openai} npm clients
 * (one Node process, every case), refusals checked with the JDK's client.
 */
class MessagesAndResponsesGatewayTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> MODELS =
            List.of("anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini", "gemini/gemini-2.5-flash");
    private static FakeLlmServer fake;
    private static List<AutoCloseable> clients;
    private static RelayServer server;
    private static URI base;
    /** The same relay and upstreams behind a gateway that waits at most 1 s for an answer not streamed. */
    private static RelayServer deadlineServer;

    private static dev.sluice.chat.ChatProvider responses;
    /** The bodies of the upstream requests whose client (the gateway) closed the connection mid-answer. */
    private static final java.util.Set<String> CLIENT_CLOSED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Prompts the fake answers with one delta, then holds until the latch opens. */
    private static final Map<String, java.util.concurrent.CountDownLatch> PACED =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** What the fake answers a passthrough with: Anthropic's events, with what a re-encoding would change. */
    private static final String CLAUDE_EVENTS = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01X","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"},"context_management":{"applied_edits":[]}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"caf\u00e9 \ud83d\ude00 1.50e+2"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYWZlIGF1IGxhaXQ/+/=="}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":"","citations":null}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Passed through."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null},"usage":{"output_tokens":9}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    /**
     * A whole message as Anthropic's API answers a request not streamed: its members in an order,
     * its spacing and its escapes as no writer of Sluice's would write them again.
     */
    private static final String CLAUDE_MESSAGE = "{\"id\": \"msg_01X\", \"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"caf\\u00e9 \\ud83d\\ude00 1.50e+2\","
            + "\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDYWZlIGF1IGxhaXQ/+/==\"},"
            + "{\"type\":\"text\",\"text\":\"Passed through.\",\"citations\":null}],\"model\":\"claude-sonnet-4-5\","
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":21,\"output_tokens\":9.0e0},"
            + "\"context_management\":{\"applied_edits\":[]}}";
    /** An Anthropic stream whose input was mostly read from (and partly written to) the prompt cache. */
    private static final String CLAUDE_CACHED = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01C","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":20,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Cached."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    /** A Chat Completions stream whose prompt was mostly read from the prompt cache. */
    private static final String CHAT_CACHED = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Cached."},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":141,"completion_tokens":2,"total_tokens":143,"prompt_tokens_details":{"cached_tokens":100}}}

            data: [DONE]

            """;

    /** 100 KB of text, past the 64 KiB this gateway holds of an answer not streamed. */
    private static final String[] LONG =
            java.util.Collections.nCopies(100, "x".repeat(999) + " ").toArray(String[]::new);

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder()
                .onClientClosed(r -> CLIENT_CLOSED.add(r.body()))
                .start();
        fake.setDispatcher(MessagesAndResponsesGatewayTest::answer);
        String url = fake.baseUrl().toString();
        AnthropicClient anthropic =
                AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        OpenAiClient openai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        GeminiClient gemini = GeminiClient.builder().apiKey("test").baseUrl(url).build();
        // a route's first target does not retry, so that its failure moves the chain at once
        AnthropicClient first = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .retryPolicy(RetryPolicy.none())
                .build();
        // the same upstreams, for answers not streamed that stall: each wait for the body's next bytes at most 1 s
        dev.sluice.stream.StreamOptions brief = dev.sluice.stream.StreamOptions.builder()
                .idleTimeout(Duration.ofSeconds(1))
                .build();
        AnthropicClient briefAnthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .streamOptions(brief)
                .build();
        OpenAiClient briefOpenai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .streamOptions(brief)
                .build();
        clients = List.of(anthropic, openai, gemini, first, briefAnthropic, briefOpenai);
        responses = openai.responses();
        FallbackChain route = FallbackChain.builder()
                .target("anthropic:claude-sonnet-4-5", first, "claude-sonnet-4-5")
                .target("openai:gpt-4o-mini", openai, "gpt-4o-mini")
                .build();
        // a chain whose next target can continue the text sent (an Anthropic model that takes a prefill)
        FallbackChain steady = FallbackChain.builder()
                .target("anthropic:claude-sonnet-4-5", first, "claude-sonnet-4-5")
                .target("anthropic:claude-haiku-4-5", anthropic, "claude-haiku-4-5")
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("gemini", gemini, "gemini-2.5-flash")
                .provider("fast", route, "claude-sonnet-4-5")
                .provider("steady", steady, "claude-sonnet-4-5")
                .provider("openai-responses", responses, "gpt-5-mini")
                .provider("brief-anthropic", briefAnthropic, "claude-sonnet-4-5")
                .provider("brief-openai", briefOpenai, "gpt-4o-mini")
                .provider("brief-responses", briefOpenai.responses(), "gpt-5-mini")
                .limits(RelayLimits.defaults().withReplay(1024, 64 * 1024))
                // a caller's hang-up mid-answer shows at the next write: a heartbeat's, soon (the second one after
                // it, the first often still accepted by the socket: 4 s a case at 2 s apart)
                .heartbeat(Duration.ofMillis(500))
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(50)
                .maxTokens(8192)
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("gemini", gemini)
                .provider("openai-responses", responses)
                .provider("brief-anthropic", briefAnthropic)
                .provider("brief-openai", briefOpenai)
                .provider("brief-responses", briefOpenai.responses())
                .route("fast", route)
                .route("steady", steady)
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
        base = server.uri();
        GatewayHttp deadline = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("openai-responses", responses)
                .route("fast", route)
                .answerTimeout(Duration.ofSeconds(1))
                .build();
        deadlineServer =
                RelayServer.builder(http).gateway(deadline).token(TOKEN).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        deadlineServer.close();
        for (AutoCloseable c : clients) c.close();
        fake.close();
    }

    /** The fake model: a tool call when offered the tool, the answer once given its result, a failure when asked. */
    private static FakeResponse answer(RecordedRequest request) {
        String body = request.body();
        boolean anthropic = request.path().startsWith("/v1/messages");
        if (request.path().endsWith("/count_tokens") && body.contains("the count fails"))
            return FakeResponse.apiError(400, "invalid_request_error", "cannot count that");
        if (request.path().endsWith("/count_tokens"))
            return FakeResponse.status(200).body("application/json", "{\"input_tokens\":4242}");
        if (body.contains("drops mid-stream") && body.contains("pass me through"))
            return FakeResponse.sse(CLAUDE_EVENTS).cutAfter(7);
        if (body.contains("pass me through") && anthropic && body.contains("\"stream\":false"))
            return FakeResponse.status(200).body("application/json", CLAUDE_MESSAGE);
        if (body.contains("pass me through") && anthropic) return FakeResponse.sse(CLAUDE_EVENTS);
        if (body.contains("stalls mid-answer") && anthropic)
            return FakeResponse.status(200)
                    .body("application/json", CLAUDE_MESSAGE)
                    .stallAfterBytes(40);
        if (body.contains("stalls mid-answer"))
            return FakeResponse.answer().text("Sent whole, ", "but stalled.").stallAfterBytes(40);
        if (body.contains("read from the cache") && anthropic) return FakeResponse.sse(CLAUDE_CACHED);
        if (body.contains("read from the cache")) return FakeResponse.sse(CHAT_CACHED);
        if (body.contains("Fix the typo") && body.contains("apply_patch"))
            return FakeResponse.answer()
                    .toolCall(
                            "apply_patch",
                            "{\"input\":\"*** Begin Patch\\n*** Update File: a.txt\\n-teh\\n+the\\n*** End Patch\"}")
                    .usage(12, 7);
        if (body.contains("Run the tests with exec") && body.contains("functions__exec"))
            return FakeResponse.answer()
                    .toolCall("functions__exec", "{\"input\":\"await tools.exec_command({cmd: 'mvn test'})\"}")
                    .usage(40, 9);
        if (body.contains("Start a helper") && body.contains("collaboration__spawn_agent"))
            return FakeResponse.answer()
                    .toolCall("collaboration__spawn_agent", "{\"message\":\"Check the tests\"}")
                    .usage(12, 7);
        if (body.contains("never answers")) return FakeResponse.noResponse();
        if (body.contains("upstream refuses"))
            return FakeResponse.apiError(400, "invalid_request_error", "the upstream refused it");
        if (body.contains("a very long answer")) return FakeResponse.answer().text(LONG);
        if (body.contains("first target overloaded") && anthropic)
            return FakeResponse.apiError(529, "overloaded_error", "Overloaded");
        if (body.contains("first target drops") && anthropic && body.contains("\"role\":\"assistant\""))
            return FakeResponse.answer().text(" there").usage(9, 1); // the next target, on from the text sent
        if (body.contains("first target drops") && anthropic)
            return FakeResponse.answer().text("Hel", "lo", " there").errorAfter(2);
        for (Map.Entry<String, java.util.concurrent.CountDownLatch> paced : PACED.entrySet()) {
            if (body.contains(paced.getKey()))
                return FakeResponse.answer()
                        .text("First words, ", "then the rest.")
                        .usage(4, 2)
                        .pauseAfter(1, paced.getValue());
        }
        if (body.contains("drops mid-stream"))
            return FakeResponse.answer().text("Sent ", "before ", "the drop.").cutAfter(1);
        if (body.contains("hang up"))
            return FakeResponse.answer()
                    .text("Before the hang-up ", "and long after.")
                    .paced(Duration.ZERO, Duration.ofSeconds(60));
        if (body.contains("break in the middle"))
            return FakeResponse.answer().text("Hel", "lo", " there").errorAfter(2);
        if (body.contains("sunny, 21"))
            return FakeResponse.answer().text("It is sunny ", "in Paris.").usage(30, 6);
        if (body.contains("get_weather")) {
            return FakeResponse.answer()
                    .text("Let me check. ")
                    .toolCall("get_weather", "{\"city\":", "\"Paris\"}")
                    .usage(12, 7);
        }
        return FakeResponse.answer().text("Hello", " there.").usage(5, 2);
    }

    @Test
    void stockSdks_messagesAndResponsesFromEveryProvider_assembleTheAnswerAndFailInTheirShapes() throws Exception {
        NodeClients.Run run =
                NodeClients.run("gateway-dialects.mjs", 120, base.toString().replaceAll("/$", ""), TOKEN);
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        Map<String, Map<?, ?>> cases = new LinkedHashMap<>();
        for (String line : run.lines()) {
            Map<?, ?> c = (Map<?, ?>) PartialJson.parse(line).value();
            cases.put(
                    c.get("case")
                            + (c.containsKey("model")
                                            && c.get("case").toString().endsWith(".stream")
                                    ? ":" + c.get("model")
                                    : ""),
                    c);
        }
        for (String model : MODELS) {
            Map<?, ?> m = cases.get("messages.stream:" + model);
            assertEquals("Let me check. ", m.get("text"), model);
            List<?> content = (List<?>) m.get("content");
            assertEquals(2, content.size(), m.toString());
            Map<?, ?> call = (Map<?, ?>) content.get(1);
            assertEquals("tool_use", call.get("type"), model);
            assertEquals("get_weather", call.get("name"), model);
            assertEquals(Map.of("city", "Paris"), call.get("input"), model);
            assertTrue(call.get("id") instanceof String id && !id.isBlank(), model);
            assertEquals("tool_use", m.get("stop_reason"), model);
            // passed through, the message names the upstream's model; translated, the model as asked
            assertEquals(model.startsWith("anthropic/") ? "claude-sonnet-4-5" : model, m.get("model_answered"), model);
            assertTrue(m.get("id").toString().startsWith("msg"), model);
            Map<?, ?> usage = (Map<?, ?>) m.get("usage");
            assertEquals(12L, usage.get("input_tokens"), model + ": " + usage);
            // anthropic/ passes through: the fake's own events (its pings too)
            assertTrue(
                    ((List<?>) m.get("types"))
                            .containsAll(List.of(
                                    "message_start",
                                    "content_block_start",
                                    "content_block_delta",
                                    "content_block_stop",
                                    "message_delta",
                                    "message_stop")),
                    model + ": " + m.get("types"));

            Map<?, ?> r = cases.get("responses.stream:" + model);
            assertEquals("Let me check. ", r.get("text"), model);
            assertEquals("Let me check. ", r.get("output_text"), model);
            assertEquals("completed", r.get("status"), model);
            List<?> output = (List<?>) r.get("output");
            assertEquals(2, output.size(), r.toString());
            Map<?, ?> fc = (Map<?, ?>) output.get(1);
            assertEquals("function_call", fc.get("type"), model);
            assertEquals("get_weather", fc.get("name"), model);
            assertEquals("{\"city\":\"Paris\"}", fc.get("arguments"), model);
            assertTrue(fc.get("call_id") instanceof String id && !id.isBlank(), model);
            assertEquals(12L, ((Map<?, ?>) r.get("usage")).get("input_tokens"), model);
            assertTrue(r.get("id").toString().startsWith("resp_"), model);
            assertTrue(
                    ((List<?>) r.get("types"))
                            .containsAll(List.of(
                                    "response.created",
                                    "response.output_item.added",
                                    "response.output_text.delta",
                                    "response.function_call_arguments.delta",
                                    "response.completed")),
                    r.toString());
        }
        Map<?, ?> message = (Map<?, ?>) cases.get("messages.create").get("message");
        assertEquals("end_turn", message.get("stop_reason"));
        assertEquals(
                List.of(Map.of("type", "text", "text", "It is sunny in Paris.")),
                message.get("content"),
                message.toString());
        assertEquals(30L, ((Map<?, ?>) message.get("usage")).get("input_tokens"));

        Map<?, ?> count = (Map<?, ?>) cases.get("countTokens").get("count");
        assertTrue(count.get("input_tokens") instanceof Long n && n > 0, count.toString());
        assertEquals(
                List.of(
                        "anthropic/claude-sonnet-4-5",
                        "openai/gpt-4o-mini",
                        "gemini/gemini-2.5-flash",
                        "openai-responses/gpt-5-mini",
                        "brief-anthropic/claude-sonnet-4-5",
                        "brief-openai/gpt-4o-mini",
                        "brief-responses/gpt-5-mini",
                        "fast",
                        "steady"),
                cases.get("models.list").get("ids"));

        Map<?, ?> notFound = cases.get("messages.notFound");
        assertEquals("NotFoundError", notFound.get("name"), notFound.toString());
        assertEquals("not_found_error", notFound.get("type"), notFound.toString());
        Map<?, ?> image = cases.get("messages.image");
        assertEquals("BadRequestError", image.get("name"), image.toString());
        assertEquals("invalid_request_error", image.get("type"), image.toString());
        assertTrue(image.get("message").toString().contains("messages[0].content[0]"), image.toString());
        Map<?, ?> midStream = cases.get("messages.midStream");
        assertEquals("APIError", midStream.get("name"), midStream.toString());
        Map<?, ?> wrongToken = cases.get("messages.wrongToken");
        assertEquals("AuthenticationError", wrongToken.get("name"), wrongToken.toString());
        assertEquals("authentication_error", wrongToken.get("type"), wrongToken.toString());

        Map<?, ?> response = cases.get("responses.create");
        assertEquals("It is sunny in Paris.", response.get("output_text"), response.toString());
        assertEquals("completed", response.get("status"));
        assertEquals("anthropic/claude-sonnet-4-5", response.get("model"));
        Map<?, ?> rNotFound = cases.get("responses.notFound");
        assertEquals("NotFoundError", rNotFound.get("name"), rNotFound.toString());
        Map<?, ?> refused = cases.get("responses.refused");
        assertEquals("BadRequestError", refused.get("name"), refused.toString());
        assertTrue(refused.get("message").toString().contains("previous_response_id"), refused.toString());
        Map<?, ?> rMidStream = cases.get("responses.midStream");
        assertTrue(!rMidStream.get("name").equals("none"), rMidStream.toString());
    }

    @Test
    void messages_toAnAnthropicTarget_passedThroughUnchangedButForModelAndKey() throws Exception {
        String sent = "{\"max_tokens\":8000,  \"model\" : \"anthropic/claude-sonnet-4-5\",\"stream\":true,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"pass me through caf\\u00e9\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}],"
                + "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"},\"defer_loading\":true},"
                + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                + "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"},"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]},"
                + "\"metadata\":{\"user_id\":\"u-1\"},\"temperature\":1.0e0}";
        int before = fake.requests().size();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .header("anthropic-version", "2023-06-01")
                        .header("anthropic-beta", "context-management-2025-06-27,interleaved-thinking-2025-05-14")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(sent))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(CLAUDE_EVENTS, r.body(), "every event back as it came");
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages", upstream.path());
        assertEquals(sent.replace("\"anthropic/claude-sonnet-4-5\"", "\"claude-sonnet-4-5\""), upstream.body());
        assertEquals("test", upstream.header("x-api-key"), "the upstream's key, not the gateway's token");
        assertEquals(
                "context-management-2025-06-27,interleaved-thinking-2025-05-14", upstream.header("anthropic-beta"));
        assertTrue(upstream.headers().toString().indexOf(TOKEN) < 0, "no gateway token upstream");
    }

    @Test
    void responses_toAResponsesTarget_passedThroughUnchangedButForModel() throws Exception {
        String sent = "{\"model\":\"openai-responses/gpt-5-mini\",\"stream\":true,\"store\":false,"
                + "\"include\":[\"reasoning.encrypted_content\"],\"client_metadata\":{\"x\":\"y\"},"
                + "\"input\":[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"gAAAA+/==\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Say hi\"}]}],"
                + "\"tools\":[{\"type\":\"custom\",\"name\":\"apply_patch\"}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/responses"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(sent))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("event: response.created\ndata: {"), r.body());
        assertTrue(r.body().contains("event: response.completed\n"), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/responses", upstream.path());
        assertEquals(
                "{\"max_output_tokens\":8192," + sent.substring(1).replace("openai-responses/gpt-5-mini", "gpt-5-mini"),
                upstream.body(),
                "as it came but for the model and, as it names none, the limit");
        assertEquals("Bearer test", upstream.header("Authorization"));
    }

    @Test
    void notStreamed_toATargetOfTheDialect_sentAsAskedAndItsAnswerPassedBackByteForByte() throws Exception {
        String sent = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":8000,\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"pass me through\"}],"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]}}";
        int before = fake.requests().size();
        HttpResponse<String> r = post("/v1/messages", sent);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages", upstream.path());
        assertEquals(
                sent.replace("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
                upstream.body(),
                "the body as it came, but for the model: not streamed");
        assertEquals(CLAUDE_MESSAGE, r.body(), "the upstream's message as it came, not decoded and written again");

        before = fake.requests().size();
        HttpResponse<String> response = post(
                "/v1/responses", "{\"model\":\"openai-responses/gpt-5-mini\",\"store\":false,\"input\":\"Say hi\"}");
        assertEquals(200, response.statusCode(), response.body());
        upstream = fake.requests().get(before);
        assertEquals("/v1/responses", upstream.path());
        assertEquals(
                "{\"max_output_tokens\":8192,\"model\":\"gpt-5-mini\",\"store\":false,\"input\":\"Say hi\"}",
                upstream.body());
        Map<?, ?> whole = (Map<?, ?>) PartialJson.parse(response.body()).value();
        assertEquals("response", whole.get("object"), response.body());
        assertEquals("completed", whole.get("status"), response.body());
        assertTrue(response.body().contains("\"text\":\"Hello there.\""), response.body());
    }

    /**
     * A request not streamed, passed through or translated, makes one upstream call that asks for
     * no stream either (a translated one's target here is OpenAI's Chat Completions, whose client
     * asks for one JSON answer), and its answer is written whole in the door's shape.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/messages, openai/gpt-4o-mini",
        "/v1/responses, openai/gpt-4o-mini",
    })
    void notStreamed_translated_oneUpstreamCallNotStreamed_answerWrittenWhole(String door, String model)
            throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, notStreamed(door, model, "What is the weather? sunny, 21"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(before + 1, fake.requests().size(), "one upstream call");
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/chat/completions", upstream.path());
        assertTrue(upstream.body().contains("\"stream\":false"), upstream.body());
        assertFalse(upstream.body().contains("stream_options"), upstream.body());
        Map<?, ?> answer = (Map<?, ?>) PartialJson.parse(r.body()).value();
        assertTrue(r.body().contains("It is sunny in Paris."), r.body());
        Map<?, ?> usage = (Map<?, ?>) answer.get("usage");
        assertEquals(30L, usage.get("input_tokens"), r.body());
        assertEquals(6L, usage.get("output_tokens"), r.body());
    }

    /** The doors a request not streamed is tried at: each passed through and translated. */
    static List<Arguments> notStreamedDoors() {
        return List.of(
                Arguments.of("/v1/messages", "anthropic/claude-sonnet-4-5"),
                Arguments.of("/v1/messages", "openai/gpt-4o-mini"),
                Arguments.of("/v1/responses", "openai-responses/gpt-5-mini"),
                Arguments.of("/v1/responses", "openai/gpt-4o-mini"));
    }

    /**
     * A request not streamed that the upstream refuses is refused in the door's own shape with the
     * upstream's status, passed through or translated.
     */
    @ParameterizedTest
    @MethodSource("notStreamedDoors")
    void notStreamed_upstreamRefuses_refusedInTheDoorsShape(String door, String model) throws Exception {
        HttpResponse<String> r = post(door, notStreamed(door, model, "upstream refuses"));
        assertEquals(400, r.statusCode(), r.body());
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        Map<?, ?> error = (Map<?, ?>) body.get("error");
        if (door.equals("/v1/messages")) assertEquals("error", body.get("type"), r.body());
        assertEquals("invalid_request_error", error.get("type"), r.body());
        assertTrue(error.get("message").toString().contains("the upstream refused it"), r.body());
    }

    /**
     * An answer not streamed that is longer than the gateway holds (its replay bound, 64 KiB here)
     * is refused in the door's shape (507; Messages: 500 {@code api_error}), passed through or translated, and its upstream
     * connection is not left open.
     */
    @ParameterizedTest
    @MethodSource("notStreamedDoors")
    void notStreamed_answerPastTheBound_507InTheDoorsShape(String door, String model) throws Exception {
        HttpResponse<String> r = post(door, notStreamed(door, model, "a very long answer"));
        // Anthropic's API has no 507: its door answers an api_error, as a stream gathered past the bound does
        assertEquals(door.equals("/v1/messages") ? 500 : 507, r.statusCode(), r.body());
        assertTrue(r.body().contains("65536 bytes"), r.body());
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        assertTrue(body.get("error") instanceof Map<?, ?>, r.body());
        if (door.equals("/v1/messages")) assertEquals("error", body.get("type"), r.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.activeRequests() == 0);
    }

    /**
     * An answer not streamed whose upstream sends its head, then stalls mid-body, ends after the
     * client's idle timeout (1 s here) as a stream's idle wait does: a timeout in the door's own
     * shape (504; Messages: {@code timeout_error}), passed through or translated, the upstream
     * connection closed; not held until the caller leaves.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/messages, brief-anthropic/claude-sonnet-4-5",
        "/v1/messages, brief-openai/gpt-4o-mini",
        "/v1/responses, brief-responses/gpt-5-mini",
        "/v1/responses, brief-openai/gpt-4o-mini",
        "/v1/chat/completions, brief-openai/gpt-4o-mini"
    })
    void notStreamed_upstreamStallsMidBody_idleTimeoutInTheDoorsShape(String door, String model) throws Exception {
        int before = fake.requests().size();
        String sent = notStreamedAtAnyDoor(door, model, "stalls mid-answer");
        HttpResponse<String> r = post(door, sent);
        assertEquals(504, r.statusCode(), r.body());
        assertEquals(before + 1, fake.requests().size(), "one upstream call, not retried: " + r.body());
        assertFalse(fake.requests().get(before).body().contains("\"stream\":true"), "asked not streamed");
        assertTimeoutInTheDoorsShape(door, r, "idle timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.activeRequests() == 0);
    }

    /** {@return a request not streamed for {@code door}: Chat Completions' body, or {@link #notStreamed}'s} */
    private static String notStreamedAtAnyDoor(String door, String model, String text) {
        return door.equals("/v1/chat/completions")
                ? "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"
                : notStreamed(door, model, text);
    }

    /** Asserts a timeout's error in the door's shape, its message naming {@code which} timeout. */
    private static void assertTimeoutInTheDoorsShape(String door, HttpResponse<String> r, String which) {
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        Map<?, ?> error = (Map<?, ?>) body.get("error");
        if (door.equals("/v1/messages")) {
            assertEquals("error", body.get("type"), r.body());
            assertEquals("timeout_error", error.get("type"), r.body());
        } else {
            assertEquals("server_error", error.get("type"), r.body());
            assertEquals("timeout", error.get("code"), r.body());
        }
        assertTrue(error.get("message").toString().contains(which), r.body());
    }

    /**
     * The wait for an answer not streamed is bounded: an upstream that never sends its head ends, after
     * the gateway's answer timeout (1 s here), in the door's 504 naming the total timeout, with one
     * upstream call whose connection is closed. Without the bound the request waited for as long as the
     * upstream held it.
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/messages, anthropic/claude-sonnet-4-5",
        "/v1/messages, openai/gpt-4o-mini",
        "/v1/responses, openai-responses/gpt-5-mini",
        "/v1/responses, openai/gpt-4o-mini",
        "/v1/chat/completions, openai/gpt-4o-mini",
        "/v1/chat/completions, fast"
    })
    void notStreamed_upstreamNeverAnswers_answerTimeoutEndsItInTheDoorsShape(String door, String model)
            throws Exception {
        int before = fake.requests().size();
        String sent = notStreamedAtAnyDoor(door, model, "never answers");
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(deadlineServer.uri().resolve(door))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(sent))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(504, r.statusCode(), r.body());
        assertEquals(before + 1, fake.requests().size(), "one upstream call, not retried: " + r.body());
        assertTimeoutInTheDoorsShape(door, r, "total timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.activeRequests() == 0);
    }

    /**
     * A route's answer not streamed fails over as its stream would before content: the first target
     * overloaded, the next target's answer comes whole, asked of it in one call not streamed.
     */
    @Test
    void notStreamed_routeFirstTargetOverloaded_nextTargetAnswersInOneCallNotStreamed() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/chat/completions",
                "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"first target overloaded\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        assertEquals("chat.completion", body.get("object"), r.body());
        assertTrue(r.body().contains("Hello there."), r.body());
        List<RecordedRequest> upstream =
                fake.requests().subList(before, fake.requests().size());
        assertEquals(2, upstream.size(), upstream.toString());
        assertEquals("/v1/messages", upstream.get(0).path());
        assertEquals("/v1/chat/completions", upstream.get(1).path());
        assertFalse(upstream.get(1).body().contains("\"stream\":true"), "the next target asked not streamed");
    }

    /** {@return a request of the door's dialect asking for no stream} */
    private static String notStreamed(String door, String model, String prompt) {
        return door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":1000,\"stream\":false,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + prompt + "\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":false,\"input\":\"" + prompt + "\"}";
    }

    @Test
    void translated_effortAsked_reachesTheTargetsOwnRequest() throws Exception {
        // Codex's reasoning.effort to an Anthropic target: thinking with a budget, at most half the answer's limit
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_output_tokens\":8000,"
                        + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},\"input\":\"effort please\"}");
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> anthropic = (Map<?, ?>)
                PartialJson.parse(fake.requests().get(before).body()).value();
        assertEquals(
                Map.of("type", "enabled", "budget_tokens", 4000L), anthropic.get("thinking"), anthropic.toString());
        // Claude Code's adaptive thinking and output_config.effort to a Responses target: reasoning.effort
        before = fake.requests().size();
        r = post(
                "/v1/messages",
                "{\"model\":\"openai-responses/gpt-5-mini\",\"max_tokens\":8000,\"thinking\":{\"type\":\"adaptive\"},"
                        + "\"output_config\":{\"effort\":\"low\"},\"messages\":[{\"role\":\"user\",\"content\":\"effort please\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/responses", upstream.path());
        Map<?, ?> reasoning =
                (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(upstream.body()).value()).get("reasoning");
        assertEquals("low", reasoning.get("effort"), upstream.body());
    }

    @ParameterizedTest
    @CsvSource({
        "/v1/responses, anthropic/claude-sonnet-4-5, response.output_text.delta, response.completed",
        "/v1/responses, gemini/gemini-2.5-flash, response.output_text.delta, response.completed",
        "/v1/responses, openai-responses/gpt-5-mini, response.output_text.delta, response.completed",
        "/v1/messages, openai/gpt-4o-mini, content_block_delta, message_stop",
        "/v1/messages, anthropic/claude-sonnet-4-5, content_block_delta, message_stop"
    })
    void streamed_upstreamPausedAfterItsFirstDelta_clientHasThatDeltaBeforeTheUpstreamEnds(
            String door, String model, String deltaEvent, String lastEvent) throws Exception {
        String prompt = "paced " + door + " " + model;
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        PACED.put(prompt, resume);
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"" + prompt + "\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"" + prompt + "\"}";
        HttpResponse<java.io.InputStream> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve(door))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuffer read = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (java.io.InputStream in = r.body()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) >= 0; ) read.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                read.append("\n[read failed: ").append(e).append(']');
            }
        });
        try {
            assertEquals(200, r.statusCode());
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            read.indexOf("event: " + deltaEvent + "\n") >= 0 && read.indexOf("First words, ") >= 0);
            assertEquals(1, resume.getCount(), "the upstream is still holding its second delta");
            assertTrue(read.indexOf("then the rest.") < 0, read.toString());
            assertTrue(read.indexOf("event: " + lastEvent) < 0, read.toString());
        } finally {
            resume.countDown();
            PACED.remove(prompt);
        }
        reader.join(Duration.ofSeconds(20));
        assertTrue(
                read.indexOf("then the rest.") > 0 && read.indexOf("event: " + lastEvent + "\n") > 0, read.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/messages | openai/gpt-4o-mini | Sent  | error",
                "/v1/messages | anthropic/claude-sonnet-4-5 | Passed through. | error",
                "/v1/responses | anthropic/claude-sonnet-4-5 | Sent  | response.failed",
                "/v1/responses | openai-responses/gpt-5-mini | Sent  | response.failed"
            })
    void streamed_upstreamDropsMidStream_endsWithTheDialectsErrorEventAfterWhatWasSent(
            String door, String model, String sentBefore, String lastEvent) throws Exception {
        String prompt = "drops mid-stream"
                + (model.startsWith("anthropic/") && door.equals("/v1/messages") ? ", pass me through" : "");
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"" + prompt + "\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"" + prompt + "\"}";
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        String sse = r.body();
        int sent = sse.indexOf(sentBefore.strip());
        assertTrue(sent > 0, sse);
        int last = sse.lastIndexOf("event: ");
        assertTrue(last > sent, sse);
        assertTrue(sse.startsWith("event: " + lastEvent + "\n", last), "the dialect's own error event last: " + sse);
        Map<?, ?> data = (Map<?, ?>)
                PartialJson.parse(sse.substring(sse.indexOf("data: ", last) + 6).strip())
                        .value();
        switch (lastEvent) {
            case "response.failed" -> {
                Map<?, ?> response = (Map<?, ?>) data.get("response");
                assertEquals("failed", response.get("status"), sse);
                assertEquals("server_error", ((Map<?, ?>) response.get("error")).get("code"), sse);
                if (model.startsWith("openai-responses/")) // passed through: the upstream's own response, failed
                assertTrue(response.get("id").toString().startsWith("resp_"), sse);
                else
                    assertTrue(
                            String.valueOf(response.get("output")).contains("Sent "),
                            "response.failed carries what was sent: " + sse);
            }
            case "error" -> {
                Object error =
                        door.equals("/v1/messages") ? ((Map<?, ?>) data.get("error")).get("type") : data.get("code");
                assertTrue(error instanceof String e && !e.isBlank(), sse);
            }
            default -> throw new AssertionError(lastEvent);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "/v1/messages, openai/gpt-4o-mini",
        "/v1/messages, anthropic/claude-sonnet-4-5",
        "/v1/responses, gemini/gemini-2.5-flash",
        "/v1/responses, openai-responses/gpt-5-mini"
    })
    void streamed_clientHangsUpMidAnswer_upstreamRequestClosed(String door, String model) throws Exception {
        String prompt = "hang up " + door + " " + model;
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"" + prompt + "\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"" + prompt + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream()
                    .write(("POST " + door + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                                    + "\r\nContent-Type: application/json\r\nx-api-key: " + TOKEN
                                    + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            StringBuilder read = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            while (read.indexOf("Before the hang-up") < 0) {
                int n = in.read(buf);
                assertTrue(n > 0, "the first delta before the end: " + read);
                read.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertTrue(read.indexOf("and long after.") < 0, read.toString());
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> CLIENT_CLOSED.stream().anyMatch(b -> b.contains(prompt)));
    }

    private static final String PNG = "iVBORw0KGgo=";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/messages | openai/gpt-4o-mini | /v1/chat/completions | {\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                        + PNG + "\"}}",
                "/v1/messages | openai-responses/gpt-5-mini | /v1/responses | {\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,"
                        + PNG + "\",\"detail\":\"auto\"}",
                "/v1/messages | gemini/gemini-2.5-flash | :streamGenerateContent | {\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
                        + PNG + "\"}}",
                "/v1/responses | anthropic/claude-sonnet-4-5 | /v1/messages | {\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                        + PNG + "\"}}",
                "/v1/responses | openai/gpt-4o-mini | /v1/chat/completions | {\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                        + PNG + "\"}}"
            })
    void translated_userImage_reachesTheTargetInItsOwnShapeBeforeTheText(
            String door, String model, String upstreamPath, String upstreamImage) throws Exception {
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"What is in the picture?\"},{\"type\":\"image\",\"source\":"
                        + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}}]}]}"
                : "{\"model\":\"" + model + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"What is in the picture?\"},{\"type\":\"input_image\",\"detail\":\"auto\","
                        + "\"image_url\":\"data:image/png;base64," + PNG + "\"}]}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertTrue(upstream.path().contains(upstreamPath), upstream.path());
        String body = upstream.body();
        int image = body.indexOf(upstreamImage);
        assertTrue(image > 0, body);
        assertTrue(body.indexOf("What is in the picture?") > image, "the image before the text: " + body);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/messages | openai/gpt-4o-mini | /v1/chat/completions | {\"role\":\"tool\",\"content\":\"The chart\",\"tool_call_id\":\"call_1\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                        + PNG
                        + "\"}},{\"type\":\"text\",\"text\":\"The image above is what the tool call call_1 returned.\"}]}",
                "/v1/messages | openai-responses/gpt-5-mini | /v1/responses | {\"type\":\"function_call_output\",\"call_id\":\"call_1\","
                        + "\"output\":[{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64," + PNG
                        + "\",\"detail\":\"auto\"},{\"type\":\"input_text\",\"text\":\"The chart\"}]}",
                "/v1/messages | gemini/gemini-3.5-flash | :streamGenerateContent | {\"functionResponse\":{\"id\":\"call_1\",\"name\":\"chart\","
                        + "\"response\":{\"output\":\"The chart\"},\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
                        + PNG + "\"}}]}}",
                "/v1/messages | gemini/gemini-2.5-flash | :streamGenerateContent | {\"functionResponse\":{\"id\":\"call_1\",\"name\":\"chart\","
                        + "\"response\":{\"output\":\"The chart\"}}},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
                        + PNG
                        + "\"}},{\"text\":\"The image above is what the tool call chart returned.\"}",
                "/v1/responses | anthropic/claude-sonnet-4-5 | /v1/messages | {\"type\":\"tool_result\",\"tool_use_id\":\"call_1\","
                        + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                        + PNG + "\"}},{\"type\":\"text\",\"text\":\"The chart\"}]}"
            })
    void translated_toolResultImage_reachesTheTargetInItsOwnShape(
            String door, String model, String upstreamPath, String upstreamResult) throws Exception {
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"tools\":[{\"name\":\"chart\",\"input_schema\":"
                        + "{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Draw the chart\"},"
                        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"chart\","
                        + "\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":"
                        + "\"call_1\",\"content\":[{\"type\":\"text\",\"text\":\"The chart\"},{\"type\":\"image\",\"source\":"
                        + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}}]}]}]}"
                : "{\"model\":\"" + model + "\",\"tools\":[{\"type\":\"function\",\"name\":\"chart\",\"parameters\":"
                        + "{\"type\":\"object\"}}],\"input\":[{\"role\":\"user\",\"content\":\"Draw the chart\"},"
                        + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"chart\",\"arguments\":\"{}\"},"
                        + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":[{\"type\":\"input_text\","
                        + "\"text\":\"The chart\"},{\"type\":\"input_image\",\"detail\":\"auto\",\"image_url\":"
                        + "\"data:image/png;base64," + PNG + "\"}]}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertTrue(upstream.path().contains(upstreamPath), upstream.path());
        assertTrue(upstream.body().contains(upstreamResult), upstream.body());
    }

    @Test
    void translated_imageByUrlATargetCannotFetch_refused400NamingWhatToSend() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"gemini/gemini-2.5-flash\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"input_image\",\"detail\":\"auto\",\"image_url\":\"http://example.com/cat.png\"}]}]}");
        assertEquals(400, r.statusCode(), r.body());
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("error");
        assertEquals("invalid_request_error", error.get("type"), r.body());
        assertTrue(error.get("message").toString().contains("Gemini fetches images from https"), r.body());
        assertEquals(before, fake.requests().size(), "nothing sent upstream");
        HttpResponse<String> https = post(
                "/v1/responses",
                "{\"model\":\"gemini/gemini-2.5-flash\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"input_image\",\"detail\":\"auto\",\"image_url\":\"https://example.com/cat.png\"}]}]}");
        assertEquals(200, https.statusCode(), https.body());
        assertTrue(
                fake.requests()
                        .getLast()
                        .body()
                        .contains(
                                "{\"fileData\":{\"mimeType\":\"image/png\",\"fileUri\":\"https://example.com/cat.png\"}}"),
                fake.requests().getLast().body());
        HttpResponse<String> m = post(
                "/v1/messages",
                "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}}]}]}");
        assertEquals(400, m.statusCode(), m.body());
        assertTrue(m.body().contains("messages[0].content[0].source.type"), m.body());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/messages | openai/gpt-4o-mini | \"usage\":{\"input_tokens\":41,\"cache_read_input_tokens\":100,\"output_tokens\":2}",
                "/v1/responses | anthropic/claude-sonnet-4-5 | \"usage\":{\"input_tokens\":141,\"input_tokens_details\":{\"cached_tokens\":100},",
                "/v1/chat/completions | anthropic/claude-sonnet-4-5 | \"usage\":{\"prompt_tokens\":141,\"completion_tokens\":2,\"total_tokens\":143,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":100}}"
            })
    void translated_inputReadFromTheCache_cachedTokensInTheDoorsUsage(String door, String model, String usage)
            throws Exception {
        String prompt = "{\"role\":\"user\",\"content\":\"Answer, read from the cache.\"}";
        String json = switch (door) {
            case "/v1/messages" ->
                "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":true,\"messages\":[" + prompt + "]}";
            case "/v1/responses" -> "{\"model\":\"" + model + "\",\"stream\":true,\"input\":[" + prompt + "]}";
            default ->
                "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[" + prompt + "]}";
        };
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Cached."), r.body());
        assertTrue(r.body().contains(usage), r.body());
    }

    @Test
    void translated_promptCacheKey_reachesAnOpenAiTargetAndCacheMarksAreNotSentToIt() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"openai/gpt-4o-mini\",\"prompt_cache_key\":\"repo-42\",\"input\":\"Say hello\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "repo-42",
                fake.requests().get(before).json("/prompt_cache_key"),
                fake.requests().get(before).body());
        before = fake.requests().size();
        HttpResponse<String> m = post(
                "/v1/messages",
                "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":10,\"system\":[{\"type\":\"text\",\"text\":\"Be terse.\","
                        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"Say hello\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}");
        assertEquals(200, m.statusCode(), m.body());
        assertFalse(
                fake.requests().get(before).body().contains("cache"),
                fake.requests().get(before).body());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void translated_codexCustomTool_goesUpAsAFunctionOfOneInputAndComesBackAsACustomToolCall(boolean stream)
            throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"stream\":" + stream + ",\"tools\":[{\"type\":\"custom\","
                        + "\"name\":\"apply_patch\",\"description\":\"Edit files with a patch.\",\"format\":{\"type\":"
                        + "\"grammar\",\"syntax\":\"lark\",\"definition\":\"start: /.+/\"}}],\"input\":["
                        + "{\"role\":\"user\",\"content\":\"Make b.txt\"},"
                        + "{\"type\":\"custom_tool_call\",\"call_id\":\"call_0\",\"name\":\"apply_patch\","
                        + "\"input\":\"*** Begin Patch\\n*** Add File: b.txt\\n+b\\n*** End Patch\"},"
                        + "{\"type\":\"custom_tool_call_output\",\"call_id\":\"call_0\",\"output\":\"Done: b.txt\"},"
                        + "{\"role\":\"user\",\"content\":\"Fix the typo in a.txt\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages", upstream.path());
        assertEquals("apply_patch", upstream.json("/tools/0/name"), upstream.body());
        assertEquals("string", upstream.json("/tools/0/input_schema/properties/input/type"), upstream.body());
        assertEquals(
                "*** Begin Patch\n*** Add File: b.txt\n+b\n*** End Patch",
                upstream.json("/messages/1/content/0/input/input"),
                upstream.body());
        assertEquals("Done: b.txt", upstream.json("/messages/2/content/0/content"), upstream.body());
        String item = "\"type\":\"custom_tool_call\",\"status\":\"completed\",\"call_id\":";
        assertTrue(r.body().contains(item), r.body());
        assertTrue(
                r.body()
                        .contains("\"name\":\"apply_patch\",\"input\":\"*** Begin Patch\\n*** Update File: a.txt\\n-teh"
                                + "\\n+the\\n*** End Patch\"}"),
                r.body());
        assertFalse(r.body().contains("\"function_call\""), r.body());
        if (stream) assertTrue(r.body().contains("event: response.custom_tool_call_input.done"), r.body());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void translated_codexNamespaceTool_goesUpAsNamespaceNameAndComesBackUnderItsOwnNameAndNamespace(boolean stream)
            throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"stream\":" + stream
                        + ",\"tools\":[{\"type\":\"namespace\","
                        + "\"name\":\"collaboration\",\"description\":\"Sub-agents\",\"tools\":[{\"type\":\"function\","
                        + "\"name\":\"spawn_agent\",\"description\":\"Spawns an agent.\",\"parameters\":{\"type\":\"object\","
                        + "\"properties\":{\"message\":{\"type\":\"string\"}}}},{\"type\":\"function\",\"name\":"
                        + "\"send_message\",\"parameters\":{\"type\":\"object\"}}]}],\"input\":["
                        + "{\"role\":\"user\",\"content\":\"Say hi to the helper\"},"
                        + "{\"type\":\"function_call\",\"call_id\":\"call_0\",\"name\":\"send_message\",\"namespace\":"
                        + "\"collaboration\",\"arguments\":\"{}\"},"
                        + "{\"type\":\"function_call_output\",\"call_id\":\"call_0\",\"output\":\"sent\"},"
                        + "{\"role\":\"user\",\"content\":\"Start a helper\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("collaboration__spawn_agent", upstream.json("/tools/0/name"), upstream.body());
        assertEquals("collaboration__send_message", upstream.json("/tools/1/name"), upstream.body());
        assertEquals("collaboration__send_message", upstream.json("/messages/1/content/0/name"), upstream.body());
        assertTrue(
                r.body().contains("\"name\":\"spawn_agent\",\"namespace\":\"collaboration\",\"arguments\":"), r.body());
        assertFalse(r.body().contains("collaboration__"), r.body());
    }

    /**
     * A request as stock Codex 0.171 sends it (its tools in an {@code additional_tools} item at
     * {@code input[0]}, {@code tools} empty, a custom tool inside a namespace, encrypted reasoning of an
     * earlier turn, and its other members), through the Responses door to an Anthropic target.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void translated_stockCodexRequest_toolsOfAdditionalToolsReachTheUpstreamAndCustomCallComesBack(boolean stream)
            throws Exception {
        String codex;
        try (var in = MessagesAndResponsesGatewayTest.class.getResourceAsStream("/codex-0.171-request.json")) {
            codex = new String(java.util.Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
        }
        int before = fake.requests().size();
        HttpResponse<String> r = post("/v1/responses", codex.replace("\"stream\": true", "\"stream\": " + stream));
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages", upstream.path());
        assertEquals("functions__exec", upstream.json("/tools/0/name"), upstream.body());
        assertEquals("string", upstream.json("/tools/0/input_schema/properties/input/type"), upstream.body());
        assertEquals("functions__wait", upstream.json("/tools/1/name"), upstream.body());
        assertEquals("clock__sleep", upstream.json("/tools/2/name"), upstream.body());
        assertFalse(upstream.body().contains("gAAAAABpz"), upstream.body()); // another target's encrypted state
        assertTrue(r.body().contains("\"type\":\"custom_tool_call\",\"status\":\"completed\",\"call_id\":"), r.body());
        assertTrue(
                r.body()
                        .contains("\"name\":\"exec\",\"namespace\":\"functions\",\"input\":"
                                + "\"await tools.exec_command({cmd: 'mvn test'})\"}"),
                r.body());
        assertFalse(r.body().contains("functions__"), r.body());
    }

    @ParameterizedTest
    @CsvSource({
        "anthropic/claude-sonnet-4-5, claude-sonnet-4-5", // a provider speaking Anthropic Messages
        "steady, claude-sonnet-4-5", // a route of two Anthropic targets: the first one's
        "fast, claude-sonnet-4-5" // a route whose first target is Anthropic, its next OpenAI's
    })
    void countTokens_firstTargetSpeaksMessages_itsOwnCountForwardedNoEstimateHeader(String model, String upstreamModel)
            throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages/count_tokens"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .header("anthropic-beta", "token-counting-2024-11-01")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"model\":\"" + model
                                                + "\",\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"input_tokens\":4242}", r.body());
        assertTrue(
                r.headers().firstValue("sluice-token-count").isEmpty(),
                r.headers().toString());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages/count_tokens", upstream.path());
        assertEquals(upstreamModel, upstream.json("/model"), upstream.body());
        assertEquals("Be terse.", upstream.json("/system"), upstream.body());
        String beta = upstream.header("anthropic-beta");
        assertTrue(beta != null && beta.contains("token-counting-2024-11-01"), beta);
    }

    @Test
    void countTokens_targetsCountFails_answeredWithTheEstimateMarkedSo() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/messages/count_tokens",
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"the count fails\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("/v1/messages/count_tokens", fake.requests().get(before).path());
        assertEquals(
                "estimate",
                r.headers().firstValue("sluice-token-count").orElse(null),
                r.headers().toString());
        assertTrue(r.body().startsWith("{\"input_tokens\":"), r.body());
    }

    @Test
    void countTokens_imageAndPdf_countedByDimensionsAndPagesNotBase64BytesAndMarkedAnEstimate() throws Exception {
        String png = "iVBORw0KGgoAAAANSUhEUgAAA+gAAALuCAIAAAAAAAAA"; // a PNG header: 1000 x 750 pixels
        String pdf = "JVBERi0xLjQKMSAwIG9iaiA8PC9UeXBlIC9DYXRhbG9nIC9QYWdlcyAyIDAgUj4+IGVuZG9iagoyIDAgb2JqIDw8L1R5cGUg"
                + "L1BhZ2VzIC9Db3VudCAzPj4gZW5kb2JqCjMgMCBvYmogPDwvVHlwZSAvUGFnZT4+IGVuZG9iago0IDAgb2JqIDw8L1R5cGUv"
                + "UGFnZT4+IGVuZG9iago1IDAgb2JqIDw8L1R5cGUgL1BhZ2UgPj4gZW5kb2JqCiUlRU9G"; // three pages
        HttpResponse<String> r = post(
                "/v1/messages/count_tokens",
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                        + png
                        + "\"}},{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                        + "\"data\":\"" + pdf + "\"}},{\"type\":\"text\",\"text\":\"Compare them.\"}]}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "estimate",
                r.headers().firstValue("sluice-token-count").orElse(null),
                r.headers().toString());
        long tokens = (Long) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("input_tokens");
        // 1000 * 750 / 750 for the image, 3 pages * 2,000 for the PDF, and the JSON around them
        assertTrue(tokens >= 7_000 && tokens < 7_100, r.body());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "openai/gpt-4o-mini | /messages/0/content | /messages/1/content",
                "anthropic/claude-sonnet-4-5 | /messages/0/content/0/text | /messages/0/content/1/text",
                "gemini/gemini-2.5-flash | /contents/0/parts/0/text | /contents/0/parts/1/text"
            })
    void translated_consecutiveUserMessages_keptApartOrSeparateBlocksOfOneTurn(
            String model, String first, String second) throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/responses",
                "{\"model\":\"" + model + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"<environment_context>2026-11-28</environment_context>\"}]},{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"What makes bread rise?\"}]}]}");
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("<environment_context>2026-11-28</environment_context>", upstream.json(first), upstream.body());
        assertEquals("What makes bread rise?", upstream.json(second), upstream.body());
    }

    private static final String PDF = "JVBERi0xLjQK";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/messages | openai/gpt-4o-mini | /v1/chat/completions | {\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}}",
                "/v1/messages | openai-responses/gpt-5-mini | /v1/responses | {\"type\":\"input_file\",\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}",
                "/v1/messages | gemini/gemini-2.5-flash | :streamGenerateContent | {\"inlineData\":{\"mimeType\":\"application/pdf\","
                        + "\"data\":\"" + PDF + "\"}}",
                "/v1/responses | anthropic/claude-sonnet-4-5 | /v1/messages | {\"type\":\"document\",\"source\":{\"type\":\"base64\","
                        + "\"media_type\":\"application/pdf\",\"data\":\"" + PDF + "\"},\"title\":\"report.pdf\"}",
                "/v1/responses | openai/gpt-4o-mini | /v1/chat/completions | {\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}}"
            })
    void translated_userDocument_reachesTheTargetInItsOwnShapeBeforeTheText(
            String door, String model, String upstreamPath, String upstreamDocument) throws Exception {
        String json = door.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"document\",\"title\":\"report.pdf\",\"source\":{\"type\":\"base64\","
                        + "\"media_type\":\"application/pdf\",\"data\":\"" + PDF + "\"}},"
                        + "{\"type\":\"text\",\"text\":\"Summarize the report.\"}]}]}"
                : "{\"model\":\"" + model + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"Summarize the report.\"},{\"type\":\"input_file\",\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}]}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertTrue(upstream.path().contains(upstreamPath), upstream.path());
        String body = upstream.body();
        int document = body.indexOf(upstreamDocument);
        assertTrue(document > 0, body);
        assertTrue(body.indexOf("Summarize the report.") > document, "the document before the text: " + body);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "openai/gpt-4o-mini | true | {\"type\":\"file\",\"file\":{\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}}",
                // Responses: a user message's items go before its function_call_output items
                "openai-responses/gpt-5-mini | false | {\"type\":\"input_file\",\"filename\":\"report.pdf\","
                        + "\"file_data\":\"data:application/pdf;base64," + PDF + "\"}",
                "gemini/gemini-2.5-flash | true | {\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"" + PDF
                        + "\"}}"
            })
    void translated_documentInAToolResult_reachesTheTargetInItsOwnShape(
            String model, boolean afterTheResult, String upstreamDocument) throws Exception {
        // Claude Code's Read of a PDF: the tool's result is a text block and the PDF as a document block
        String json = "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Read report.pdf\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Read\","
                + "\"input\":{\"file_path\":\"report.pdf\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"PDF file read: report.pdf\"},"
                + "{\"type\":\"document\",\"title\":\"report.pdf\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"application/pdf\",\"data\":\"" + PDF + "\"}}]}]}],"
                + "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = post("/v1/messages", json);
        assertEquals(200, r.statusCode(), r.body());
        String body = fake.requests().get(before).body();
        int result = body.indexOf("PDF file read: report.pdf");
        int document = body.indexOf(upstreamDocument);
        assertTrue(result > 0 && document > 0, body);
        if (afterTheResult) assertTrue(document > result, "the document after the tool's result: " + body);
    }

    @Test
    void translated_fileInAFunctionCallOutput_reachesAnAnthropicTargetAsADocumentAfterTheResult() throws Exception {
        String json = "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Read report.pdf\"}]},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_01\",\"name\":\"read\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_01\",\"output\":["
                + "{\"type\":\"input_text\",\"text\":\"PDF file read: report.pdf\"},"
                + "{\"type\":\"input_file\",\"filename\":\"report.pdf\",\"file_data\":\"data:application/pdf;base64,"
                + PDF + "\"}]}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"read\",\"parameters\":{\"type\":\"object\"}}]}";
        int before = fake.requests().size();
        HttpResponse<String> r = post("/v1/responses", json);
        assertEquals(200, r.statusCode(), r.body());
        String body = fake.requests().get(before).body();
        int result = body.indexOf("\"type\":\"tool_result\"");
        int document = body.indexOf(
                "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                        + "\"data\":\"" + PDF + "\"}");
        assertTrue(result > 0 && document > result, "the document after the tool's result: " + body);
    }

    @Test
    void translated_documentATargetCannotRead_refused400NamingTheTargetAndTheType() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(
                "/v1/messages",
                "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\","
                        + "\"data\":\"The notes\"}},{\"type\":\"text\",\"text\":\"Summarize\"}]}]}");
        assertEquals(400, r.statusCode(), r.body());
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("error");
        assertEquals("invalid_request_error", error.get("type"), r.body());
        assertTrue(
                error.get("message")
                        .toString()
                        .contains("OpenAI Chat Completions reads files of the type application/pdf, not text/plain"),
                r.body());
        HttpResponse<String> byId = post(
                "/v1/responses",
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"input\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"input_file\",\"file_id\":\"file-abc\"}]}]}");
        assertEquals(400, byId.statusCode(), byId.body());
        assertTrue(byId.body().contains("input[0].content[0]: a file given by file_id"), byId.body());
        assertEquals(before, fake.requests().size(), "nothing sent upstream");
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void route_firstTargetOverloadedBeforeContent_answeredByTheNextSilently() throws Exception {
        int before = fake.requests().size();
        String sse = postMessages("{\"model\":\"fast\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"first target overloaded\"}]}");
        assertTrue(sse.startsWith("event: message_start"), sse);
        assertTrue(sse.contains("\"text\":\"Hello\"") && sse.contains("\"text\":\" there.\""), sse);
        assertTrue(sse.contains("\"model\":\"fast\""), sse);
        assertTrue(sse.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), sse);
        assertTrue(!sse.contains("event: error"), sse);
        List<String> paths = fake.requests().subList(before, fake.requests().size()).stream()
                .map(RecordedRequest::path)
                .toList();
        assertEquals(List.of("/v1/messages", "/v1/chat/completions"), paths);
    }

    @Test
    void route_firstTargetDropsAfterText_endsAsAnOverloadedStreamWithNoTextTwice() throws Exception {
        String sse = postMessages("{\"model\":\"fast\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"first target drops\"}]}");
        // the next target (OpenAI) cannot continue Claude's text: the answer would start again, which a Messages
        // client cannot be told; it ends as Anthropic ends an overloaded stream, and the client's retry takes over
        assertTrue(sse.contains("\"text\":\"Hel\""), sse);
        assertEquals(sse.indexOf("\"text\":\"Hel\""), sse.lastIndexOf("\"text\":\"Hel\""), sse);
        assertTrue(!sse.contains("\"text\":\"Hello\""), sse);
        int error = sse.indexOf("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"");
        assertTrue(error > 0, sse);
        assertEquals(-1, sse.indexOf("event:", error + 1), "nothing after the error: " + sse);
    }

    @Test
    void route_firstTargetDropsAfterText_nextTargetContinuesFromTheTextSentWithNoTextTwice() throws Exception {
        int before = fake.requests().size();
        String sse = postMessages("{\"model\":\"steady\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"first target drops\"}]}");
        StringBuilder text = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"text_delta\",\"text\":\"([^\"]*)\"")
                .matcher(sse);
        while (m.find()) text.append(m.group(1));
        assertEquals("Hello there", text.toString(), "the answer once, continued where it broke: " + sse);
        assertTrue(!sse.contains("event: error"), sse);
        assertTrue(sse.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), sse);
        List<RecordedRequest> upstream =
                fake.requests().subList(before, fake.requests().size());
        assertEquals(2, upstream.size(), "one request from the client, the break and the continuation upstream");
        assertTrue(
                upstream.get(1).body().contains("\"claude-haiku-4-5\""),
                upstream.get(1).body());
        assertTrue(
                upstream.get(1)
                        .body()
                        .contains("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}"),
                "the text sent goes to the next target as its prefill: "
                        + upstream.get(1).body());
    }

    private static String postMessages(String json) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        // Tomcat writes the parameter without the space
        assertEquals(
                "text/event-stream;charset=utf-8",
                r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        return r.body();
    }

    @Test
    void messages_withoutToken_refusedIn401AnthropicShape() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        assertEquals("error", body.get("type"), r.body());
        assertEquals("authentication_error", ((Map<?, ?>) body.get("error")).get("type"), r.body());
    }

    /**
     * The relay's limits hold on both doors, passed through and translated, and each refuses in its
     * own shape before anything goes upstream: a body over the request limit (413), an answer asked
     * longer than the server's token limit (400).
     */
    @ParameterizedTest
    @CsvSource({
        "/v1/messages, anthropic/claude-sonnet-4-5",
        "/v1/messages, openai/gpt-4o-mini",
        "/v1/responses, openai-responses/gpt-5-mini",
        "/v1/responses, anthropic/claude-sonnet-4-5"
    })
    void overLimits_refusedInTheDoorsShapeAndNothingSentUpstream(String door, String model) throws Exception {
        boolean anthropic = door.equals("/v1/messages");
        String big = "x".repeat(70 * 1024); // over the 64 KiB default
        int before = fake.requests().size();
        // The refusal goes out on the declared length, before any byte of the body, and says
        // Connection: close; what the container does with a body still arriving after it differs
        // (Jetty closes at once, Tomcat reads some then closes, a client's write may then reset), so
        // the body is only declared here: the answer is read before any of it is sent.
        String largeJson = anthropic
                ? "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"" + big
                        + "\"}]}"
                : "{\"model\":\"" + model + "\",\"input\":\"" + big + "\"}";
        RawHttp.Response large;
        try (Socket s = RawHttp.connect(base.getPort())) {
            s.getOutputStream()
                    .write(("POST " + door + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nx-api-key: " + TOKEN
                                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                                    + largeJson.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            large = RawHttp.read(s.getInputStream());
        }
        assertEquals(413, large.status(), large.body());
        assertEquals("close", large.header("Connection"));
        HttpResponse<String> tokens = post(
                door,
                anthropic
                        ? "{\"model\":\"" + model
                                + "\",\"max_tokens\":9000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        : "{\"model\":\"" + model + "\",\"max_output_tokens\":9000,\"input\":\"hi\"}");
        assertEquals(400, tokens.statusCode(), tokens.body());
        for (Map.Entry<Integer, String> r :
                List.of(Map.entry(large.status(), large.body()), Map.entry(tokens.statusCode(), tokens.body()))) {
            Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.getValue()).value();
            Map<?, ?> error = (Map<?, ?>) body.get("error");
            if (anthropic) {
                assertEquals("error", body.get("type"), r.getValue());
                assertEquals(
                        r.getKey() == 413 ? "request_too_large" : "invalid_request_error",
                        error.get("type"),
                        r.getValue());
            } else {
                assertEquals("invalid_request_error", error.get("type"), r.getValue());
            }
        }
        assertEquals(before, fake.requests().size(), "nothing sent upstream");
    }

    @Test
    void messages_malformedBody_refusedIn400AnthropicShapeNamingTheField() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                                        + "\"content\":\"hi\"}],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                                        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("error");
        assertEquals("invalid_request_error", error.get("type"), r.body());
        assertTrue(error.get("message").toString().startsWith("tool_choice"), r.body());
    }
}
