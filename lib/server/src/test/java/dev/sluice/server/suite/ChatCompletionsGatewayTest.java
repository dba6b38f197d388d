package dev.sluice.server.suite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible gateway ({@code /v1/chat/completions}, {@code /v1/models}) of a real
 * {@link RelayServer} over the testkit's server speaking Anthropic, OpenAI and Gemini: driven by the
 * real {@code openai} npm client (one Node process, every case), and refused bad input checked with
 * the JDK's client and raw sockets.
 */
class ChatCompletionsGatewayTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final String[] LONG =
            java.util.Collections.nCopies(100, "x".repeat(999) + " ").toArray(String[]::new);
    private static final String[] RECIPE = {
        "{\"title\":", "\"Pancakes\",", "\"servings\":4,", "\"ingredients\":[\"flour\",", "\"milk\",\"eggs\"]}"
    };
    private static final String RECIPE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"}},"
            + "\"required\":[\"title\"],\"additionalProperties\":false}";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static List<AutoCloseable> clients;
    private static RelayServer server;
    private static URI base;
    private static Relay relay;
    private static final List<String> ACCESS_LOG = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().start();
        fake.setDispatcher(ChatCompletionsGatewayTest::answer);
        String url = fake.baseUrl().toString();
        AnthropicClient anthropic =
                AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        OpenAiClient openai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        GeminiClient gemini = GeminiClient.builder().apiKey("test").baseUrl(url).build();
        clients = List.of(anthropic, openai, gemini);
        // "openai": the OpenAI client behind a provider that passes no body through, as a fallback chain's target is,
        // so that the cases below see the translation; "openai-pass": the client itself, which speaks the door's API
        ChatProvider translated = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                return openai.stream(request, controller);
            }

            @Override
            public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
                return openai.answer(request, controller, maxBytes);
            }
        };
        // a completion that is not streamed holds at most the replay bound of its answer: 64 KiB here
        relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", translated, "gpt-4o-mini")
                .provider("gemini", gemini, "gemini-2.5-flash")
                .provider("openai-pass", openai, "gpt-4o-mini")
                .limits(RelayLimits.defaults().withReplay(1024, 64 * 1024))
                // short, as it only paces streamed_callerLeaves_...: where the container does not say that a
                // caller hung up, the second write after it (a heartbeat) finds out
                .heartbeat(Duration.ofSeconds(5))
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(50)
                .maxTokens(8192)
                .accessLog(ACCESS_LOG::add)
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", translated)
                .provider("gemini", gemini)
                .provider("openai-pass", openai)
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
        base = server.uri();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        for (AutoCloseable c : clients) c.close();
        fake.close();
    }

    /**
     * The fake model: a tool call when offered the tool, the answer once given its result, a failure
     * when asked; structured output as text when asked for natively, as the format's tool call when
     * forced through it, a refusal or a cut answer when asked.
     */
    private static FakeResponse answer(RecordedRequest request) {
        String body = request.body();
        if (body.contains("pass me through")) return passedThrough(body);
        if (body.contains("refuse politely")) return refusal(request.path(), !body.contains("\"stream\":true"));
        if (body.contains("cut short"))
            return FakeResponse.answer().text("{\"title\":", "\"Pan").truncated();
        if (body.contains("\"output_config\"")
                || body.contains("\"response_format\"")
                || body.contains("\"responseJsonSchema\"")) {
            return FakeResponse.answer().text(RECIPE).usage(9, 12);
        }
        if (body.contains("\"name\":\"recipe\""))
            return FakeResponse.answer().toolCall("recipe", RECIPE).usage(9, 12);
        if (body.contains("\"name\":\"json_object\""))
            return FakeResponse.answer().toolCall("json_object", "{\"ok\":", "true}");
        if (body.contains("upstream refuses"))
            return FakeResponse.apiError(400, "invalid_request_error", "the upstream refused it");
        // the stream opens, then, a while later and before any content, fails: serve has set its event stream's
        // head meanwhile, and answers a JSON error instead
        if (body.contains("break before a word"))
            return FakeResponse.answer()
                    .text("never")
                    .errorAfter(0, "invalid_request_error", "the model broke")
                    .paced(Duration.ofMillis(300), Duration.ZERO);
        if (body.contains("break in the middle"))
            return FakeResponse.answer().text("Hel", "lo", " there").errorAfter(2);
        // 100 KB, then (streamed) nothing until the client closes the connection; not streamed, the whole answer
        if (body.contains("very long answer"))
            return body.contains("\"stream\":false")
                    ? FakeResponse.answer().text(LONG)
                    : FakeResponse.answer().text(LONG).stallAfter(90);
        if (body.contains("long streamed answer")) return FakeResponse.answer().text(LONG);
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
    void openAiClient_streamsToolCallsFromEveryProviderCompletesAndFailsInItsShapes() throws Exception {
        NodeClients.Run run =
                NodeClients.run("openai-gateway.mjs", 120, base.toString().replaceAll("/$", ""), TOKEN);
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        Map<String, Map<?, ?>> cases = new LinkedHashMap<>();
        for (String line : run.lines()) {
            Map<?, ?> c = (Map<?, ?>) PartialJson.parse(line).value();
            cases.put(
                    c.get("case")
                            + (c.containsKey("model") && !"completion".equals(c.get("case"))
                                    ? ":" + c.get("model")
                                    : ""),
                    c);
        }
        for (String model : List.of("anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini", "gemini/gemini-2.5-flash")) {
            Map<?, ?> s = cases.get("stream:" + model);
            assertEquals("Let me check. ", s.get("text"), model);
            List<?> calls = (List<?>) s.get("calls");
            assertEquals(1, calls.size(), model);
            Map<?, ?> call = (Map<?, ?>) calls.getFirst();
            assertEquals("get_weather", call.get("name"), model);
            assertEquals("{\"city\":\"Paris\"}", call.get("arguments"), model);
            assertTrue(call.get("id") instanceof String id && !id.isBlank(), model);
            assertEquals(List.of("chat.completion.chunk"), s.get("objects"), model);
            assertEquals(1L, s.get("ids"), model);
            assertEquals(List.of(model), s.get("models"), model);
            assertEquals("assistant", s.get("firstRole"), model);
            assertEquals(List.of("tool_calls"), s.get("finish"), model);
            assertEquals(0L, s.get("lastChoices"), model);
            Map<?, ?> usage = (Map<?, ?>) s.get("usage");
            assertEquals(12L, usage.get("prompt_tokens"), model);
            // the fake's Gemini stream counts its deltas as the running output, not the scripted 7
            long completion = model.startsWith("gemini") ? (Long) usage.get("completion_tokens") : 7L;
            assertEquals(
                    Map.of("prompt_tokens", 12L, "completion_tokens", completion, "total_tokens", 12L + completion),
                    usage,
                    model);
        }
        Map<?, ?> helper = cases.get("helper");
        assertEquals("tool_calls", helper.get("finish"));
        Map<?, ?> message = (Map<?, ?>) helper.get("message");
        assertEquals("Let me check. ", message.get("content"));
        Map<?, ?> fn = (Map<?, ?>) ((Map<?, ?>) ((List<?>) message.get("tool_calls")).getFirst()).get("function");
        assertEquals(Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"), fn);

        Map<?, ?> completion = cases.get("completion");
        assertEquals("chat.completion", completion.get("object"));
        assertEquals("gemini/gemini-2.5-flash", completion.get("model"));
        Map<?, ?> choice = (Map<?, ?>) completion.get("choice");
        assertEquals("stop", choice.get("finish_reason"));
        assertEquals("It is sunny in Paris.", ((Map<?, ?>) choice.get("message")).get("content"));
        Map<?, ?> usage = (Map<?, ?>) completion.get("usage");
        long out = (Long) usage.get("completion_tokens"); // Gemini's: the fake's running count
        assertEquals(Map.of("prompt_tokens", 30L, "completion_tokens", out, "total_tokens", 30L + out), usage);

        assertEquals(
                List.of(
                        "anthropic/claude-sonnet-4-5",
                        "openai/gpt-4o-mini",
                        "gemini/gemini-2.5-flash",
                        "openai-pass/gpt-4o-mini"),
                cases.get("models").get("ids"));
        Map<?, ?> notFound = cases.get("notFound");
        assertEquals("NotFoundError", notFound.get("name"));
        assertEquals(404L, notFound.get("status"));
        assertEquals("model_not_found", notFound.get("code"));
        Map<?, ?> midStream = cases.get("midStream");
        assertEquals("APIError", midStream.get("name"), midStream.toString());
        assertEquals("server_error", midStream.get("type"));
        Map<?, ?> tooLarge = cases.get("tooLarge");
        assertEquals("InternalServerError", tooLarge.get("name"), tooLarge.toString());
        assertEquals(507L, tooLarge.get("status"));
        assertEquals("answer_too_large", tooLarge.get("code"));
        // the 507 is the client's last attempt, and its only 507: it did not ask again (without the server's
        // x-should-retry: false it asks twice more); an attempt before it that failed otherwise is the
        // client's to retry, and is reported
        List<?> attempts = (List<?>) tooLarge.get("attempts");
        assertEquals(507L, attempts.getLast(), "the client's attempts: " + attempts);
        assertEquals(1L, attempts.stream().filter(a -> a.equals(507L)).count(), "the client asked again: " + attempts);
        if (attempts.size() > 1) System.err.println("the too-large completion's attempts before its 507: " + attempts);
        assertStructuredOutput(cases);

        Map<?, ?> wrongToken = cases.get("wrongToken");
        assertEquals("AuthenticationError", wrongToken.get("name"));
        assertEquals(401L, wrongToken.get("status"));
        assertEquals("authentication_error", wrongToken.get("type"));
    }

    /** The structured-output cases of the Node run: zod-parsed recipes from every provider, JSON objects, refusals, a cut answer. */
    private static void assertStructuredOutput(Map<String, Map<?, ?>> cases) {
        Map<String, Object> pancakes =
                Map.of("title", "Pancakes", "servings", 4L, "ingredients", List.of("flour", "milk", "eggs"));
        for (String model : List.of(
                "anthropic/claude-sonnet-4-5",
                "openai/gpt-4o-mini",
                "gemini/gemini-2.5-flash",
                "anthropic/claude-3-5-haiku-latest",
                "openai/compatible-model",
                "gemini/gemini-1.5-flash")) {
            Map<?, ?> parse = cases.get("parse:" + model);
            assertEquals(pancakes, parse.get("parsed"), model + ": " + parse);
            assertEquals(String.join("", RECIPE), parse.get("content"), model);
            assertEquals(List.of(), parse.get("toolCalls"), model + ": the format's tool call is content");
            assertEquals(null, parse.get("refusal"), model);
            assertEquals("stop", parse.get("finish"), model);
        }
        for (String model : List.of("openai/gpt-4o-mini", "gemini/gemini-1.5-flash")) {
            Map<?, ?> streamed = cases.get("streamParse:" + model);
            assertEquals(pancakes, streamed.get("parsed"), model + ": " + streamed);
            assertEquals("stop", streamed.get("finish"), model);
            List<?> partials = (List<?>) streamed.get("partials");
            int pieces = model.startsWith("gemini") ? 1 : 2; // Gemini sends a function call's arguments whole
            assertTrue(
                    partials.size() >= pieces && pancakes.equals(partials.getLast()),
                    model + ": the helper's partials grow to the recipe: " + partials);
        }
        Map<?, ?> json = cases.get("jsonObject");
        assertEquals(Map.of("ok", true), json.get("whole"), json.toString());
        assertEquals("stop", json.get("finish"));
        assertEquals(Map.of("ok", true), json.get("streamed"), json.toString());

        Map<?, ?> refusal = cases.get("refusal");
        Map<?, ?> refused = (Map<?, ?>) refusal.get("message");
        assertEquals("I can't help with that.", refused.get("refusal"), refusal.toString());
        assertEquals(null, refused.get("parsed"));
        assertEquals(null, refused.get("content"));
        assertEquals("stop", refusal.get("finish"));
        assertEquals("Declined by policy.", ((Map<?, ?>) refusal.get("streamed")).get("refusal"), refusal.toString());
        assertEquals(List.of("Declined by policy."), refusal.get("refusals"));
        assertEquals("stop", refusal.get("streamedFinish"));

        assertEquals(
                "LengthFinishReasonError",
                cases.get("length").get("name"),
                cases.get("length").toString());
        Map<?, ?> badFormat = cases.get("badFormat");
        assertEquals("BadRequestError", badFormat.get("name"), badFormat.toString());
        assertEquals(400L, badFormat.get("status"));
        assertEquals("invalid_request_error", badFormat.get("type"));
        assertEquals("response_format", badFormat.get("param"));
    }

    @Test
    void responseFormat_reachesEachProviderInItsOwnShape_nativeOrAsTheForcedTool() throws Exception {
        String format =
                ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"recipe\",\"strict\":true,"
                        + "\"description\":\"A recipe\",\"schema\":" + RECIPE_SCHEMA + "}}}";
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("anthropic/claude-sonnet-4-5", new String[] {
            "/output_config/format/type", "json_schema", "/output_config/format/schema/description", "A recipe"
        });
        expected.put("openai/gpt-4o-mini", new String[] {
            "/response_format/json_schema/name", "recipe", "/response_format/json_schema/schema/description", "A recipe"
        });
        expected.put("gemini/gemini-2.5-flash", new String[] {
            "/generationConfig/responseMimeType",
            "application/json",
            "/generationConfig/responseJsonSchema/description",
            "A recipe"
        });
        expected.put(
                "anthropic/claude-3-5-haiku-latest",
                new String[] {"/tool_choice/name", "recipe", "/tools/0/name", "recipe"});
        expected.put(
                "openai/compatible-model",
                new String[] {"/tool_choice/function/name", "recipe", "/tools/0/function/strict", "true"});
        expected.put("gemini/gemini-1.5-flash", new String[] {
            "/toolConfig/functionCallingConfig/allowedFunctionNames/0",
            "recipe",
            "/tools/0/functionDeclarations/0/name",
            "recipe"
        });
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            int before = fake.requestCount();
            HttpResponse<String> r = post("{\"model\":\"" + e.getKey()
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"A recipe\"}]" + format);
            assertEquals(200, r.statusCode(), r.body());
            Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>)
                            ((List<?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("choices")).getFirst())
                    .get("message");
            assertEquals(String.join("", RECIPE), message.get("content"), e.getKey() + ": " + r.body());
            assertTrue(!message.containsKey("tool_calls"), e.getKey() + ": " + r.body());
            RecordedRequest upstream = fake.requests().get(before);
            String[] pointers = e.getValue();
            for (int i = 0; i < pointers.length; i += 2) {
                assertEquals(
                        pointers[i + 1],
                        String.valueOf(upstream.json(pointers[i])),
                        e.getKey() + " " + pointers[i] + ": " + upstream.body());
            }
        }
        int before = fake.requestCount();
        HttpResponse<String> json =
                post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"JSON\"}],"
                        + "\"response_format\":{\"type\":\"json_object\"}}");
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(json.body().contains("\"content\":\"{\\\"ok\\\":true}\""), json.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("json_object", upstream.json("/tool_choice/function/name"), upstream.body());
        assertEquals(
                Map.of("type", "object", "additionalProperties", true),
                upstream.json("/tools/0/function/parameters"),
                upstream.body());

        before = fake.requestCount();
        HttpResponse<String> chosen =
                post("{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}],"
                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}}");
        assertEquals(200, chosen.statusCode(), chosen.body());
        assertEquals(
                Map.of("type", "tool", "name", "get_weather"),
                fake.requests().get(before).json("/tool_choice"));
    }

    @Test
    void toolResults_reachTheProviderInItsOwnShape() throws Exception {
        int before = fake.requestCount();
        HttpResponse<String> r = post(
                "{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":["
                        + "{\"role\":\"developer\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"sunny, 21 °C\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                        + "\"temperature\":0.5,\"stop\":\"END\",\"max_completion_tokens\":300,\"top_p\":0.9,\"user\":\"ignored\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(
                r.body()
                        .matches(
                                "\\{\"id\":\"chatcmpl-[A-Za-z0-9]{29}\",\"object\":\"chat.completion\",\"created\":\\d+,"
                                        + "\"model\":\"anthropic/claude-sonnet-4-5\",\"system_fingerprint\":null,\"choices\":\\[\\{\"index\":0,\"message\":"
                                        + "\\{\"role\":\"assistant\",\"content\":\"It is sunny in Paris.\",\"refusal\":null,\"annotations\":\\[]},"
                                        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":\\{\"prompt_tokens\":30,\"completion_tokens\":6,"
                                        + "\"total_tokens\":36}}"),
                r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("/v1/messages", upstream.path());
        assertEquals("Be brief.", upstream.json("/system"));
        assertEquals("tool_use", upstream.json("/messages/1/content/0/type"));
        assertEquals("toolu_1", upstream.json("/messages/2/content/0/tool_use_id"));
        assertEquals("get_weather", upstream.json("/tools/0/name"));
        assertEquals(300L, ((Number) upstream.json("/max_tokens")).longValue());
        assertEquals(0.5, ((Number) upstream.json("/temperature")).doubleValue());
        assertEquals("END", upstream.json("/stop_sequences/0"));
    }

    @Test
    void completionIds_randomUniqueAndNoStreamsCapability() throws Exception {
        String chat = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> whole = post(chat + "}");
            assertEquals(200, whole.statusCode(), whole.body());
            assertTrue(whole.body().contains("\"content\":\"Hello there.\""), whole.body());
            ids.add((String) ((Map<?, ?>) PartialJson.parse(whole.body()).value()).get("id"));
            HttpResponse<String> chunks = post(chat + ",\"stream\":true}");
            assertEquals(200, chunks.statusCode(), chunks.body());
            assertTrue(chunks.body().endsWith("data: [DONE]\n\n"), chunks.body());
            List<String> chunkIds = chunks.body()
                    .lines()
                    .filter(l -> l.startsWith("data: {"))
                    .map(l -> (String)
                            ((Map<?, ?>) PartialJson.parse(l.substring(6)).value()).get("id"))
                    .distinct()
                    .toList();
            assertEquals(1, chunkIds.size(), chunks.body());
            ids.add(chunkIds.getFirst());
        }
        assertEquals(6, ids.size(), ids.toString());
        for (String id : ids) {
            // neither the id nor what follows its prefix reads or cancels a stream, though the streams are kept for
            // replay
            for (String candidate : List.of(id, id.substring("chatcmpl-".length()))) {
                HttpResponse<String> events = HTTP.send(
                        request("/api/streams/" + candidate + "/events").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, events.statusCode(), candidate + ": " + events.body());
                HttpResponse<String> cancel = HTTP.send(
                        request("/api/streams/" + candidate).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, cancel.statusCode(), candidate + ": " + cancel.body());
            }
            assertTrue(id.matches("chatcmpl-[A-Za-z0-9]{29}"), id); // as OpenAI's look
        }
    }

    /**
     * A completion not streamed to OpenAI's Chat Completions is one upstream call not streamed
     * either, its {@code chat.completion} read whole and written as the gateway's (the upstream's
     * refusal of one: {@link #badInput_4xxInOpenAisShape}; an answer past the bound: below).
     */
    @Test
    void notStreamed_toChatCompletions_oneCallNotStreamed_answerWrittenWhole() throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r =
                post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"sunny, 21\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(before + 1, fake.requests().size(), "one upstream call");
        String upstream = fake.requests().get(before).body();
        assertTrue(upstream.endsWith(",\"stream\":false}"), upstream);
        Map<?, ?> completion = (Map<?, ?>) PartialJson.parse(r.body()).value();
        assertEquals("chat.completion", completion.get("object"), r.body());
        assertEquals("openai/gpt-4o-mini", completion.get("model"), r.body());
        Map<?, ?> choice = (Map<?, ?>) ((List<?>) completion.get("choices")).getFirst();
        assertEquals("stop", choice.get("finish_reason"), r.body());
        assertEquals("It is sunny in Paris.", ((Map<?, ?>) choice.get("message")).get("content"), r.body());
        assertEquals(
                Map.of("prompt_tokens", 30L, "completion_tokens", 6L, "total_tokens", 36L),
                completion.get("usage"),
                r.body());
    }

    @Test
    void notStreamed_answerPastTheBound_507NotToRetryUpstreamCancelled_streamedFlows() throws Exception {
        int before = fake.activeRequests();
        HttpResponse<String> r = post(
                "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"a very long answer\"}]}");
        assertError(r, 507, "server_error", "answer_too_large");
        assertTrue(r.body().contains("65536 bytes"), r.body());
        assertEquals("false", r.headers().firstValue("x-should-retry").orElse(null));
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.activeRequests() == before);
        HttpResponse<String> streamed = post("{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a long streamed answer\"}]}");
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertEquals(100, streamed.body().split("x{999} ", -1).length - 1, "the whole answer, streamed");
    }

    @Test
    void streamed_runsStraightToTheCaller_noRelayStreamKept_accessLogNamesTheCompletion() throws Exception {
        HttpResponse<String> r = post("{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi, direct\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Hello") && r.body().endsWith("data: [DONE]\n\n"), r.body());
        String id = r.body().replaceAll("(?s)^.*?\"id\":\"(chatcmpl-[A-Za-z0-9]+)\".*$", "$1");
        assertTrue(id.startsWith("chatcmpl-"), r.body());
        // the access log names the run by its completion id: the relay keeps no stream for it (nobody resumes it)
        String line = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> ACCESS_LOG.stream()
                                .filter(l -> l.contains(" stream=" + id + " "))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertTrue(line.contains("end=\"done:stop\"") && line.contains("tokens_out=2"), line);
        assertEquals(false, relay.contains(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
        HttpResponse<String> streams = HTTP.send(
                request("/api/streams/" + id + "/events").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, streams.statusCode(), streams.body());
    }

    @Test
    void streamed_callerLeaves_upstreamCancelledAndItsPlacesReleased() throws Exception {
        int before = fake.activeRequests();
        HttpResponse<java.io.InputStream> r = HTTP.send(
                request("/v1/chat/completions")
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
                                                + "\"messages\":[{\"role\":\"user\",\"content\":\"a very long answer, then I leave\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (java.io.InputStream body = r.body()) {
            assertEquals(4096, body.readNBytes(4096).length);
            // the upstream stalls after 90 KB: while the caller holds the stream it is counted and running
            assertEquals(1, relay.activeStreams());
        }
        // a container that tells when a caller hangs up (serve's: RelayServlet.CLIENT_GONE) cancels at
        // once; elsewhere the next write fails, and with the answer already in the socket's buffers
        // that is a heartbeat (5 s here) or two later: the upstream is let go either way, never left running
        await().atMost(Duration.ofSeconds(45)).until(() -> fake.activeRequests() == before);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ACCESS_LOG.stream().anyMatch(l -> l.contains("end=\"cancelled\"")));
    }

    @Test
    void streamed_upstreamSilent_heartbeatCommentsKeepTheConnectionBusy() throws Exception {
        OpenAiClient openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay quick = Relay.builder()
                .provider("openai", openai, "gpt-4o-mini")
                .heartbeat(Duration.ofMillis(200))
                .build();
        RelayAdmission http = RelayAdmission.builder(quick).build();
        try (RelayServer s = RelayServer.builder(http)
                .gateway(GatewayHttp.builder(http).provider("openai", openai).build())
                .token(TOKEN)
                .start()) {
            HttpResponse<java.io.InputStream> r = HTTP.send(
                    HttpRequest.newBuilder(s.uri().resolve("/v1/chat/completions"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                                            + "\"content\":\"a very long answer, then silence\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            try (java.io.InputStream body = r.body()) {
                // the upstream stalls after 90 of its 100 KB chunks: the silence after them is filled with pings
                StringBuilder tail = new StringBuilder();
                byte[] buf = new byte[8192];
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!tail.toString().contains(": ping\n\n") && System.nanoTime() < deadline) {
                    int n = body.read(buf);
                    if (n < 0) break;
                    tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (tail.length() > 4096) tail.delete(0, tail.length() - 4096);
                }
                assertTrue(tail.toString().contains(": ping\n\n"), "no heartbeat in the silence: " + tail);
            }
        } finally {
            quick.close();
            openai.close();
        }
    }

    @Test
    void badInput_4xxInOpenAisShape() throws Exception {
        assertError(
                post("{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":["),
                400,
                "invalid_request_error",
                "invalid_request");
        assertError(
                post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400,
                "invalid_request_error",
                "invalid_request");
        assertError(
                post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}"),
                400,
                "invalid_request_error",
                "invalid_request");
        assertError(
                post(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}"),
                400,
                "invalid_request_error",
                "invalid_request");
        assertError(
                post(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"required\"}"),
                400,
                "invalid_request_error",
                "invalid_request");
        for (String format : List.of(
                "\"json\"",
                "{\"type\":\"xml\"}",
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\"}}",
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":{\"type\":\"array\"}}}")) {
            HttpResponse<String> r =
                    post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                            + "\"response_format\":" + format + "}");
            assertError(r, 400, "invalid_request_error", "invalid_request");
            assertEquals(
                    "response_format",
                    ((Map<?, ?>) ((Map<?, ?>) PartialJson.parse(r.body()).value()).get("error")).get("param"),
                    r.body());
        }
        assertError(
                post(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":2}"),
                400,
                "invalid_request_error",
                "invalid_request");
        assertError(
                post(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":9000}"),
                400,
                "invalid_request_error",
                "max_tokens_too_large");
        assertError(
                post("{\"model\":\"nobody/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                404,
                "not_found_error",
                "model_not_found");
        assertError(
                post("{\"model\":\"gpt-unknown\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                404,
                "not_found_error",
                "model_not_found");
        // a body that is not UTF-8 (a lone continuation byte, an encoded surrogate) is refused; one that holds
        // U+FFFD itself is not
        for (byte[] notUtf8 : List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            byte[] head = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + notUtf8.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(notUtf8, 0, body, head.length, notUtf8.length);
            System.arraycopy(tail, 0, body, head.length + notUtf8.length, tail.length);
            HttpResponse<String> r = HTTP.send(
                    request("/v1/chat/completions")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(r, 400, "invalid_request_error", "invalid_request");
            assertTrue(r.body().contains("not valid UTF-8"), r.body());
        }
        HttpResponse<String> replacement =
                post("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi \uFFFD\"}]}");
        assertEquals(200, replacement.statusCode(), replacement.body());
        HttpResponse<String> bare =
                post("{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, bare.statusCode(), bare.body());
        assertTrue(bare.body().contains("\"model\":\"gemini/gemini-2.5-flash\""), bare.body());
        assertError(
                HTTP.send(
                        request("/v1/chat/completions")
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                415,
                "invalid_request_error",
                "unsupported_media_type");
        assertError(
                HTTP.send(request("/v1/chat/completions").GET().build(), HttpResponse.BodyHandlers.ofString()),
                405,
                "invalid_request_error",
                "method_not_allowed");
        assertError(
                post(
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"upstream refuses\"}]}"),
                400,
                "invalid_request_error",
                "invalid_request_error");
        HttpResponse<String> streamed = post("{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"upstream refuses\"}]}");
        assertError(
                streamed,
                400,
                "invalid_request_error",
                "invalid_request_error"); // before any chunk: a status, as OpenAI's
        for (String model :
                List.of("openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5")) { // passed through, translated
            HttpResponse<String> late = post("{\"model\":\"" + model + "\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"break before a word\"}]}");
            assertError(late, 400, "invalid_request_error", "invalid_request_error");
            assertTrue(late.body().contains("the model broke"), late.body());
            // the event stream's head, set while its first event was awaited, taken back
            assertTrue(
                    late.headers().firstValue("X-Accel-Buffering").isEmpty(),
                    late.headers().toString());
        }
        // within OpenAI's range, beyond Anthropic's: Anthropic's client refuses it before sending, a 400 with its
        // reason
        HttpResponse<String> hot = post("{\"model\":\"anthropic/claude-sonnet-4-5\",\"temperature\":1.5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertError(hot, 400, "invalid_request_error", "invalid_request_error");
        assertTrue(hot.body().contains("temperature must be within 0..1 for Anthropic"), hot.body());
    }

    @Test
    void guard_foreignOriginBadHostAndMissingTokenRefusedInOpenAisShape() throws Exception {
        int port = server.port();
        String chat = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Map<String, String> ok = new HashMap<>(Map.of(
                "Host", "127.0.0.1:" + port, "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
        Map<String, String> foreignOrigin = new HashMap<>(ok);
        foreignOrigin.put("Origin", "https://evil.example");
        assertRaw(
                RawHttp.send(
                        port, "POST", "/v1/chat/completions", foreignOrigin, chat.getBytes(StandardCharsets.UTF_8)),
                403,
                "permission_error",
                "origin_not_allowed");
        Map<String, String> badHost = new HashMap<>(ok);
        badHost.put("Host", "rebound.example:" + port);
        assertRaw(RawHttp.send(port, "GET", "/v1/models", badHost, null), 403, "permission_error", "host_not_allowed");
        Map<String, String> noToken = new HashMap<>(ok);
        noToken.remove("Authorization");
        assertRaw(
                RawHttp.send(port, "POST", "/v1/chat/completions", noToken, chat.getBytes(StandardCharsets.UTF_8)),
                401,
                "authentication_error",
                "unauthorized");
        Map<String, String> wrongToken = new HashMap<>(ok);
        wrongToken.put("Authorization", "Bearer not-the-token-0123456789");
        assertRaw(
                RawHttp.send(port, "GET", "/v1/models", wrongToken, null), 401, "authentication_error", "unauthorized");
        assertEquals(200, RawHttp.send(port, "GET", "/v1/models", ok, null).status());
    }

    /** The upstream's answer to a passed-through request: members in an order and of names the gateway's own writer has not. */
    private static final String PASSED_CHUNK =
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],"
                    + "\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"obfuscation\":\"x1\",\"usage\":null}";

    private static final String PASSED_STREAM = "data: " + PASSED_CHUNK + "\n\n"
            + "event: x.trace\ndata: {\"trace\":\"unknown to the gateway\"}\n\n"
            + "data: {\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";

    private static final String PASSED_USAGE =
            "data: {\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":41,\"completion_tokens\":17,\"total_tokens\":58}}\n\n";

    private static final String PASSED_WHOLE =
            "{\"object\":\"chat.completion\",\"id\":\"c10\",\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hel\",\"annotations\":[]},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":43,\"completion_tokens\":19,"
                    + "\"total_tokens\":62},\"service_tier\":\"default\",\"x_extra\":{\"b\":2,\"a\":1.50}}";

    /** {@return the fake's answer to a passed-through request: its usage chunk only when it was asked for} */
    private static FakeResponse passedThrough(String body) {
        if (body.contains("refused"))
            return FakeResponse.apiError(400, "invalid_request_error", "the upstream refused it");
        if (!body.contains("\"stream\":true")) return FakeResponse.status(200).body("application/json", PASSED_WHOLE);
        return FakeResponse.sse(
                PASSED_STREAM + (body.contains("\"include_usage\":true") ? PASSED_USAGE : "") + "data: [DONE]\n\n");
    }

    /**
     * Chat Completions to a client of OpenAI's Chat Completions is passed through: the caller's body
     * goes as it came but for its model and, as it names none, {@code max_completion_tokens} added at
     * {@code --max-tokens} (a member the gateway does not know included), with the
     * operator's key, not the caller's token; the upstream's chunks come back byte for byte, an event
     * the gateway does not know included; the usage is asked for and observed (the access log's
     * tokens), and its chunk left out for a caller that did not ask for it.
     */
    @Test
    void passthrough_streamed_bodyAndChunksAsTheyCame_usageObservedItsChunkOnlyWhenAsked() throws Exception {
        String asked = "{\"messages\":[{\"role\":\"user\",\"content\":\"pass me through\"}],"
                + "\"model\":\"openai-pass/gpt-4o-mini\",\"stream\":true,\"seed\":7,\"x_vendor\":{\"z\":1,\"a\":[]}}";
        int before = fake.requestCount();
        HttpResponse<String> r = post(asked);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "text/event-stream",
                r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(PASSED_STREAM + "data: [DONE]\n\n", r.body());
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals(
                "{\"stream_options\":{\"include_usage\":true},\"max_completion_tokens\":8192,"
                        + asked.substring(1).replace("openai-pass/gpt-4o-mini", "gpt-4o-mini"),
                upstream.body());
        assertEquals("Bearer test", upstream.header("Authorization"));
        assertTrue(
                !upstream.headers().toString().contains(TOKEN),
                upstream.headers().toString());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ACCESS_LOG.stream()
                        .anyMatch(l -> l.contains("provider=\"openai-pass\"")
                                && l.contains("tokens_in=41 tokens_out=17")
                                && l.contains("end=\"done:stop\"")));

        // asked for usage: its own stream_options go as they came, and the usage chunk comes back
        String withUsage = asked.replace("\"seed\":7", "\"stream_options\":{\"include_usage\":true}");
        HttpResponse<String> u = post(withUsage);
        assertEquals(200, u.statusCode(), u.body());
        assertEquals(PASSED_STREAM + PASSED_USAGE + "data: [DONE]\n\n", u.body());
        assertEquals(
                "{\"max_completion_tokens\":8192,"
                        + withUsage.substring(1).replace("openai-pass/gpt-4o-mini", "gpt-4o-mini"),
                fake.requests().get(before + 1).body());
    }

    /**
     * Not streamed, the caller's body goes as it came but for its model and its limit (no
     * {@code "stream": false} added), and the upstream's {@code chat.completion} comes back byte for byte, its members'
     * order, numbers and unknown members kept; its usage is observed. The upstream's refusal is the
     * door's error in OpenAI's shape, streamed or not.
     */
    @Test
    void passthrough_notStreamed_answerByteForByte_refusalInOpenAisShape() throws Exception {
        String asked =
                "{\"model\":\"openai-pass/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"pass me through\"}],"
                        + "\"store\":false}";
        int before = fake.requestCount();
        HttpResponse<String> r = post(asked);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(PASSED_WHOLE, r.body());
        assertEquals(
                "{\"max_completion_tokens\":8192,"
                        + asked.substring(1).replace("openai-pass/gpt-4o-mini", "gpt-4o-mini"),
                fake.requests().get(before).body());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ACCESS_LOG.stream()
                        .anyMatch(l ->
                                l.contains("provider=\"openai-pass\"") && l.contains("tokens_in=43 tokens_out=19")));

        String refused = "{\"model\":\"openai-pass/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"pass me through, refused\"}]";
        assertError(post(refused + "}"), 400, "invalid_request_error", "invalid_request_error");
        assertError(post(refused + ",\"stream\":true}"), 400, "invalid_request_error", "invalid_request_error");
        // a model the gateway does not offer is refused before any upstream is asked
        int count = fake.requestCount();
        assertError(
                post(
                        "{\"model\":\"gpt-9-unknown\",\"messages\":[{\"role\":\"user\",\"content\":\"pass me through\"}]}"),
                404,
                "not_found_error",
                "model_not_found");
        assertEquals(count, fake.requestCount());
    }

    /** {@return a refusal in the wire format of the provider's path: OpenAI's refusal deltas, Anthropic's stop reason} */
    /** @param whole whether the request asked for no stream: a Chat Completions one is answered one {@code chat.completion} */
    private static FakeResponse refusal(String path, boolean whole) {
        if (path.startsWith("/v1/messages")) {
            return FakeResponse.sse("""
                    event: message_start
                    data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":5,"output_tokens":1}}}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_details":{"type":"refusal","category":"cyber","explanation":"Declined by policy."}},"usage":{"output_tokens":4}}

                    event: message_stop
                    data: {"type":"message_stop"}

                    """);
        }
        if (whole) {
            return FakeResponse.status(200)
                    .body(
                            "application/json",
                            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                                    + "\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"},"
                                    + "\"finish_reason\":\"stop\"}]}");
        }
        String c =
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,";
        return FakeResponse.sse(
                c + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{\"refusal\":\"I can't\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{\"refusal\":\" help with that.\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: [DONE]\n\n");
    }

    @Test
    void translated_userFilePart_reachesAnthropicAsADocumentBlockBeforeTheText() throws Exception {
        int before = fake.requestCount();
        HttpResponse<String> r = post("{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Summarize the report.\"},{\"type\":\"file\",\"file\":"
                + "{\"filename\":\"report.pdf\",\"file_data\":\"data:application/pdf;base64,JVBERi0xLjQK\"}}]}]}");
        assertEquals(200, r.statusCode(), r.body());
        String upstream = fake.requests().get(before).body();
        String document = "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
                + "\"data\":\"JVBERi0xLjQK\"},\"title\":\"report.pdf\"}";
        assertTrue(upstream.contains(document), upstream);
        assertTrue(upstream.indexOf("Summarize the report.") > upstream.indexOf(document), upstream);
        HttpResponse<String> byId = post("{\"model\":\"anthropic/claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]}]}");
        assertError(byId, 400, "invalid_request_error", "invalid_request");
        assertTrue(byId.body().contains("messages[0].content[0].file: a file given by file_id"), byId.body());
    }

    @Test
    void translated_userInputAudio_reachesGeminiAsInlineDataAndAClaudeRefusesIt() throws Exception {
        int before = fake.requestCount();
        String audio = "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}";
        HttpResponse<String> r = post("{\"model\":\"gemini/gemini-3.8-flash\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"What is said?\"}," + audio + "]}]}");
        assertEquals(200, r.statusCode(), r.body());
        String upstream = fake.requests().get(before).body();
        assertTrue(upstream.contains("{\"inlineData\":{\"mimeType\":\"audio/wav\",\"data\":\"UklGRg==\"}}"), upstream);
        int sent = fake.requestCount();
        HttpResponse<String> claude = post("{\"model\":\"anthropic/claude-sonnet-5-5\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is said?\"}," + audio + "]}]}");
        assertEquals(400, claude.statusCode(), claude.body());
        assertTrue(claude.body().contains("audio/wav"), claude.body());
        assertEquals(sent, fake.requestCount(), "nothing sent upstream");
    }

    /** A path under {@code /v1/} that no route answers: 404 in OpenAI's shape, naming every route of the gateway's. */
    @Test
    void unknownPathUnderV1_404NamesEveryDoorAndRoute() throws Exception {
        HttpResponse<String> r = HTTP.send(
                request("/v1/completions")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(r, 404, "not_found_error", "not_found");
        assertTrue(
                r.body()
                        .contains("the gateway is GET /v1/models, POST /v1/messages/count_tokens,"
                                + " POST /v1/chat/completions, POST /v1/messages and POST /v1/responses"),
                r.body());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return HTTP.send(
                request("/v1/chat/completions")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status, String type, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), r.body());
        assertShape(r.body(), type, code);
    }

    private static void assertRaw(RawHttp.Response r, int status, String type, String code) {
        assertEquals(status, r.status(), r.body());
        assertShape(r.body(), type, code);
    }

    private static void assertShape(String body, String type, String code) {
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(body).value()).get("error");
        assertEquals(List.of("message", "type", "param", "code"), List.copyOf(error.keySet()), body);
        assertEquals(type, error.get("type"), body);
        assertEquals(code, error.get("code"), body);
        assertTrue(error.get("message") instanceof String m && !m.isBlank(), body);
    }
}
