package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.models.ModelCapabilities.Maker;
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
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Model names as coding agents send them to the gateway's doors: a bare id that several providers
 * offer goes to its maker's own API (Anthropic's, OpenAI's Responses at {@code /v1/responses} and
 * Chat Completions elsewhere, Google's), else to the one provider that offers it; one that only
 * others offer is a {@code 404 model_not_found} naming each {@code provider/model} that would serve
 * it. Each provider reaches the testkit's server with a key of its own, so the key says which answered.
 */
class GatewayModelNamesTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static List<AutoCloseable> clients;
    private static RelayServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        fake.setDispatcher(r -> FakeResponse.answer().text("Answered."));
        String url = fake.baseUrl().toString();
        AnthropicClient anthropic =
                AnthropicClient.builder().apiKey("key-anthropic").baseUrl(url).build();
        AnthropicClient foundry =
                AnthropicClient.builder().apiKey("key-foundry").baseUrl(url).build();
        AnthropicClient vertex =
                AnthropicClient.builder().apiKey("key-vertex").baseUrl(url).build();
        OpenAiClient openai =
                OpenAiClient.builder().apiKey("key-openai").baseUrl(url).build();
        OpenAiClient azure =
                OpenAiClient.builder().apiKey("key-azure").baseUrl(url).build();
        GeminiClient gemini =
                GeminiClient.builder().apiKey("key-gemini").baseUrl(url).build();
        clients = List.of(anthropic, foundry, vertex, openai, azure, gemini);
        Relay relay = Relay.builder()
                .provider("foundry-anthropic", foundry, "claude-sonnet-4-5")
                .provider("anthropic", anthropic, "claude-sonnet-4-5")
                .provider("vertex-anthropic", vertex, "claude-sonnet-4-5")
                .provider("azure-openai", azure, "gpt-4o-mini")
                .provider("openai", openai, "gpt-4o-mini")
                .provider("openai-responses", openai.responses(), "gpt-4o-mini")
                .provider("vertex", gemini, "gemini-2.5-flash")
                .build();
        RelayAdmission http = RelayAdmission.builder(relay)
                .models("foundry-anthropic", Set.of("claude-sonnet-4-5", "claude-haiku-4-5"))
                .models("anthropic", Set.of("claude-sonnet-4-5"))
                .models("vertex-anthropic", Set.of("claude-sonnet-4-5", "claude-haiku-4-5"))
                .models("azure-openai", Set.of("gpt-4o-mini"))
                .models("openai", Set.of("gpt-4o-mini"))
                .models("openai-responses", Set.of("gpt-4o-mini"))
                .models("vertex", Set.of("gemini-2.5-flash"))
                .build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("foundry-anthropic", foundry)
                .provider("anthropic", anthropic)
                .provider("vertex-anthropic", vertex)
                .provider("azure-openai", azure)
                .provider("openai", openai)
                .provider("openai-responses", openai.responses())
                .provider("vertex", gemini)
                .ownApi("anthropic", Maker.ANTHROPIC)
                .ownApi("openai", Maker.OPENAI)
                .ownApi("openai-responses", Maker.OPENAI)
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

    private int seen; // the upstream requests before this case's

    @BeforeEach
    void count() {
        seen = fake.requests().size();
    }

    @Test
    void bareClaudeId_offeredByThreeProviders_goesToAnthropicOnEveryDoor() throws Exception {
        for (String door : List.of("/v1/messages", "/v1/chat/completions", "/v1/responses")) {
            HttpResponse<String> r = post(door, body(door, "claude-sonnet-4-5"));
            assertEquals(200, r.statusCode(), door + ": " + r.body());
            RecordedRequest upstream = last();
            assertEquals("key-anthropic", upstream.header("x-api-key"), door);
            assertEquals("/v1/messages", upstream.path(), door);
        }
    }

    @Test
    void bareGptId_offeredByOpenAiAndAzure_goesToResponsesAtItsDoorAndChatCompletionsElsewhere() throws Exception {
        assertEquals(
                200, post("/v1/responses", body("/v1/responses", "gpt-4o-mini")).statusCode());
        RecordedRequest responses = last();
        assertEquals("/v1/responses", responses.path());
        assertEquals("Bearer key-openai", responses.header("Authorization"));
        for (String door : List.of("/v1/chat/completions", "/v1/messages")) {
            HttpResponse<String> r = post(door, body(door, "gpt-4o-mini"));
            assertEquals(200, r.statusCode(), door + ": " + r.body());
            RecordedRequest upstream = last();
            assertEquals("/v1/chat/completions", upstream.path(), door);
            assertEquals("Bearer key-openai", upstream.header("Authorization"), door);
        }
    }

    @Test
    void bareId_offeredByOneProvider_goesToIt() throws Exception {
        HttpResponse<String> r = post("/v1/messages", body("/v1/messages", "gemini-2.5-flash"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("key-gemini", last().header("x-goog-api-key"));
    }

    @Test
    void bareId_offeredOnlyByProvidersNotItsMakers_is404NamingEach() throws Exception {
        int before = fake.requestCount();
        HttpResponse<String> messages = post("/v1/messages", body("/v1/messages", "claude-haiku-4-5"));
        assertEquals(404, messages.statusCode(), messages.body());
        Map<?, ?> error =
                (Map<?, ?>) ((Map<?, ?>) PartialJson.parse(messages.body()).value()).get("error");
        assertEquals("not_found_error", error.get("type"), messages.body());
        String message = (String) Objects.requireNonNull(error.get("message"));
        assertTrue(
                message.contains("foundry-anthropic/claude-haiku-4-5")
                        && message.contains("vertex-anthropic/claude-haiku-4-5"),
                message);
        HttpResponse<String> chat = post("/v1/chat/completions", body("/v1/chat/completions", "claude-haiku-4-5"));
        assertEquals(404, chat.statusCode(), chat.body());
        assertTrue(chat.body().contains("\"code\":\"model_not_found\""), chat.body());
        assertTrue(chat.body().contains("vertex-anthropic/claude-haiku-4-5"), chat.body());
        assertEquals(before, fake.requestCount(), "no upstream was asked");
    }

    private RecordedRequest last() {
        List<RecordedRequest> all = fake.requests();
        assertEquals(seen + 1, all.size(), "one upstream request: " + all);
        seen = all.size();
        return all.getLast();
    }

    private static String body(String door, String model) {
        return switch (door) {
            case "/v1/responses" -> "{\"model\":\"" + model + "\",\"input\":\"hi\"}";
            case "/v1/messages" ->
                "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            default -> "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        };
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("anthropic-version", "2023-06-01")
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
