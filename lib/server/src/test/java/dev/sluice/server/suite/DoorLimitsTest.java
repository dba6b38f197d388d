package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.PartialJson;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator's limits on every path of the gateway's three doors (issue #95 M1 and its notes): a
 * request passed through to a target of its own dialect and one translated through a route are
 * held to the same {@code --max-tokens} in the dialect's own member (absent, malformed, too large),
 * the same {@code n}, the same refusal of a body that names a member twice, and the same
 * credentials; each refusal in the door's own shape, with nothing sent upstream. The testkit's
 * server records what reaches the upstream.
 */
class DoorLimitsTest {
    private static final String TOKEN = "door-limits-token-0123456789";
    private static final int CAP = 100_000;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static List<AutoCloseable> clients;
    private static RelayServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().start();
        fake.setDispatcher(r -> FakeResponse.answer().text("Hello", " there.").usage(5, 2));
        String url = fake.baseUrl().toString();
        AnthropicClient anthropic =
                AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        OpenAiClient openai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        clients = List.of(anthropic, openai);
        FallbackChain route = FallbackChain.builder()
                .target("anthropic:claude-sonnet-4-5", anthropic, "claude-sonnet-4-5")
                .build();
        // a route to a target whose client sends tool names as they are (OpenAI's Chat Completions)
        FallbackChain wide = FallbackChain.builder()
                .target("openai:gpt-4o-mini", openai, "gpt-4o-mini")
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-5-mini")
                .provider("fast", route, "claude-sonnet-4-5")
                .provider("wide", wide, "gpt-4o-mini")
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(50)
                .maxTokens(CAP)
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", anthropic)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .route("fast", route)
                .route("wide", wide)
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
     * Each door, passed through (its provider speaks the dialect) and translated (the route {@code
     * fast}, whose target speaks Anthropic Messages): the door's member, the member the upstream
     * reads it as, the member the upstream gets when the request names none, and its value
     * (passed through: {@code --max-tokens}, or the model's own output limit when the catalog's is
     * lower; translated: 4096).
     */
    private static final String DOORS = """
            /v1/messages,         anthropic/claude-sonnet-4-5, max_tokens,            max_tokens,            max_tokens,            64000
            /v1/messages,         fast,                        max_tokens,            max_tokens,            max_tokens,            4096
            /v1/chat/completions, openai/gpt-4o-mini,          max_completion_tokens, max_completion_tokens, max_completion_tokens, 16384
            /v1/chat/completions, openai/gpt-4o-mini,          max_tokens,            max_tokens,            max_completion_tokens, 16384
            /v1/chat/completions, fast,                        max_completion_tokens, max_tokens,            max_tokens,            4096
            /v1/chat/completions, fast,                        max_tokens,            max_tokens,            max_tokens,            4096
            /v1/responses,        openai-responses/gpt-5-mini, max_output_tokens,     max_output_tokens,     max_output_tokens,     100000
            /v1/responses,        fast,                        max_output_tokens,     max_tokens,            max_tokens,            4096
            """;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(textBlock = DOORS)
    void maxTokensNotAWholeNumberInRange_refused400InTheDoorsShapeNamingIt_nothingSentUpstream(
            String door, String model, String member, String upstreamMember, String absentMember, int absent)
            throws Exception {
        for (String value : List.of("1e6", "999999.0", "\"100\"", "-1", "0", "1000001", "2.5", "[]")) {
            int before = fake.requests().size();
            HttpResponse<String> r = post(door, body(door, model, ",\"" + member + "\":" + value));
            assertEquals(400, r.statusCode(), value + ": " + r.body());
            assertInvalidRequestInTheDoorsShape(door, r);
            assertTrue(r.body().contains(member), value + ": names the member: " + r.body());
            assertEquals(before, fake.requests().size(), value + ": nothing sent upstream");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(textBlock = DOORS)
    void maxTokensPastTheOperatorsLimit_refused400MaxTokensTooLarge_nothingSentUpstream(
            String door, String model, String member, String upstreamMember, String absentMember, int absent)
            throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, body(door, model, ",\"" + member + "\":" + (CAP + 1)));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("max_tokens_too_large") || r.body().contains("at most " + CAP), r.body());
        assertInvalidRequestInTheDoorsShape(door, r);
        assertEquals(before, fake.requests().size(), "nothing sent upstream");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(textBlock = DOORS)
    void maxTokensAbsent_theUpstreamGetsTheLimit_oneWithin_reachesItAsAsked(
            String door, String model, String member, String upstreamMember, String absentMember, int absent)
            throws Exception {
        Map<?, ?> sent = sentUpstream(door, body(door, model, ""));
        assertEquals((long) absent, sent.get(absentMember), sent.toString());
        sent = sentUpstream(door, body(door, model, ",\"" + member + "\":" + absent));
        assertEquals((long) absent, sent.get(upstreamMember), sent.toString());
        sent = sentUpstream(door, body(door, model, ",\"" + member + "\":1000"));
        assertEquals(1000L, sent.get(upstreamMember), sent.toString());
    }

    @ParameterizedTest
    @CsvSource({"openai/gpt-4o-mini", "fast"})
    void chatCompletions_nOtherThanOne_refused400NamingIt_nOfOnePasses(String model) throws Exception {
        for (String n : List.of("128", "2", "0", "1.0", "\"1\"")) {
            int before = fake.requests().size();
            HttpResponse<String> r = post("/v1/chat/completions", body("/v1/chat/completions", model, ",\"n\":" + n));
            assertEquals(400, r.statusCode(), n + ": " + r.body());
            assertInvalidRequestInTheDoorsShape("/v1/chat/completions", r);
            assertTrue(r.body().contains("'n' must be"), r.body());
            assertEquals(before, fake.requests().size(), n + ": nothing sent upstream");
        }
        Map<?, ?> sent = sentUpstream("/v1/chat/completions", body("/v1/chat/completions", model, ",\"n\":1"));
        assertTrue(sent.containsKey("model"), sent.toString());
    }

    /**
     * A body that names a member twice (as its bytes, not a re-encoding): the gateway's parser keeps
     * the last, an upstream may keep the first; refused on every door and path, so that the model
     * and the limit the gateway checked are the ones used.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = DOORS)
    void memberNamedTwice_refused400InTheDoorsShape_nothingSentUpstream(
            String door, String model, String member, String upstreamMember, String absentMember, int absent)
            throws Exception {
        String one = body(door, model, "");
        List<String> twice = List.of(
                "{\"model\":\"openai/gpt-4o\"," + one.substring(1),
                "{\"mod\\u0065l\":\"openai/gpt-4o\"," + one.substring(1),
                one.substring(0, one.length() - 1) + ",\"" + member + "\":100,\"" + member + "\":1e9}");
        for (String sent : twice) {
            int before = fake.requests().size();
            HttpResponse<String> r = post(door, sent);
            assertEquals(400, r.statusCode(), sent + ": " + r.body());
            assertInvalidRequestInTheDoorsShape(door, r);
            assertTrue(r.body().contains("more than once"), r.body());
            assertEquals(before, fake.requests().size(), sent + ": nothing sent upstream");
        }
    }

    @ParameterizedTest
    @CsvSource({"/v1/messages, anthropic/claude-sonnet-4-5", "/v1/chat/completions, openai/gpt-4o-mini"})
    void bearerAndApiKeyThatDisagree_refused401InTheDoorsShape_bothTheTokenPass(String door, String model)
            throws Exception {
        for (String[] keys : List.of(new String[] {TOKEN, "sk-ant-someone-else"}, new String[] {"other", TOKEN})) {
            int before = fake.requests().size();
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(base.resolve(door))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + keys[0])
                            .header("x-api-key", keys[1])
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body(door, model, "")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), r.body());
            Map<?, ?> error = error(door, r);
            assertEquals("authentication_error", error.get("type"), r.body());
            assertEquals(before, fake.requests().size(), "nothing sent upstream");
        }
        HttpResponse<String> both = HTTP.send(
                HttpRequest.newBuilder(base.resolve(door))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("x-api-key", TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body(door, model, "")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, both.statusCode(), both.body());
    }

    /**
     * Tool names as each door's own API takes them (Anthropic 1 to 128 of {@code [a-zA-Z0-9_-]},
     * OpenAI 1 to 64), translated to a target whose client would send them on as they are.
     */
    @ParameterizedTest
    @CsvSource({"/v1/messages, 128", "/v1/chat/completions, 64", "/v1/responses, 64"})
    void translated_toolNameOutsideTheDoorsRule_refused400InTheDoorsShape(String door, int longest) throws Exception {
        for (String name : List.of("get weather", "get.weather", "wetter_für_paris", "x".repeat(longest + 1))) {
            int before = fake.requests().size();
            HttpResponse<String> r = post(door, body(door, "wide", tools(door, name)));
            assertEquals(400, r.statusCode(), name + ": " + r.body());
            assertInvalidRequestInTheDoorsShape(door, r);
            assertTrue(r.body().contains("letters, digits"), r.body());
            assertEquals(before, fake.requests().size(), name + ": nothing sent upstream");
        }
        Map<?, ?> sent = sentUpstream(door, body(door, "wide", tools(door, "Get_weather-2" + "x".repeat(64 - 13))));
        assertTrue(sent.toString().contains("Get_weather-2"), sent.toString());
    }

    @Test
    void passthrough_bodyOtherwiseAsItCame_theLimitAddedFirst() throws Exception {
        String sent =
                "{\"model\" : \"openai-responses/gpt-5-mini\",\"stream\":true,\"input\":\"Say hi\",\"store\":false}";
        int before = fake.requests().size();
        HttpResponse<String> r = post("/v1/responses", sent);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "{\"max_output_tokens\":100000,\"model\" : \"gpt-5-mini\",\"stream\":true,\"input\":\"Say hi\",\"store\":false}",
                fake.requests().get(before).body());
    }

    private static String tools(String door, String name) {
        return switch (door) {
            case "/v1/messages" -> ",\"tools\":[{\"name\":\"" + name + "\",\"input_schema\":{\"type\":\"object\"}}]";
            case "/v1/chat/completions" ->
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + name
                        + "\",\"parameters\":{\"type\":\"object\"}}}]";
            default ->
                ",\"tools\":[{\"type\":\"function\",\"name\":\"" + name + "\",\"parameters\":{\"type\":\"object\"}}]";
        };
    }

    /** {@return a streamed request of the door's dialect for the model, with {@code extra} members at its end} */
    private static String body(String door, String model, String extra) {
        String prompt = door.equals("/v1/responses")
                ? "\"input\":\"Say hi\""
                : "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]";
        return "{\"model\":\"" + model + "\",\"stream\":true," + prompt + extra + "}";
    }

    /** {@return the body the upstream got for a request that was answered 200} */
    private static Map<?, ?> sentUpstream(String door, String json) throws Exception {
        int before = fake.requests().size();
        HttpResponse<String> r = post(door, json);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(before + 1, fake.requests().size(), "one upstream call");
        RecordedRequest upstream = fake.requests().get(before);
        return (Map<?, ?>) PartialJson.parse(upstream.body()).value();
    }

    private static void assertInvalidRequestInTheDoorsShape(String door, HttpResponse<String> r) {
        assertEquals("invalid_request_error", error(door, r).get("type"), r.body());
    }

    /** {@return the error object of a refusal in the door's shape: Anthropic's {@code {"type":"error","error"}}, else OpenAI's {@code {"error"}}} */
    private static Map<?, ?> error(String door, HttpResponse<String> r) {
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(r.body()).value();
        if (door.equals("/v1/messages")) assertEquals("error", body.get("type"), r.body());
        return (Map<?, ?>) body.get("error");
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
