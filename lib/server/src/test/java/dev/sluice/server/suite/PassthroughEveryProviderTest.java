package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.Passthrough;
import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.WireApi;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every door of the gateway (Chat Completions, Messages, Responses), streamed and not, through every
 * provider of the catalog that speaks one of the doors' APIs, each built by {@link ProviderCatalog}
 * from its environment as {@code serve} builds it (its wrappers included: the Responses API's client
 * on OpenAI, Azure and Bedrock), against the test kit's fake: a {@code 200} with the upstream's
 * answer, passed through where the door speaks the provider's API, translated elsewhere. Issue 95's
 * L2: a wrapper that passed the streamed call through but not the whole answer's made every
 * non-streamed Responses passthrough a {@code 500}.
 */
class PassthroughEveryProviderTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final String ANSWER = "Upstream-answer-42";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static Path vertexKey;
    private static final List<ProviderClient> CLIENTS = new ArrayList<>();
    private static RelayServer server;

    /** The catalog's providers whose API is a door's: those a request can pass through. */
    static List<ProviderCatalog> passing() {
        return ProviderCatalog.all().stream()
                .filter(p -> p.api() == WireApi.MESSAGES
                        || p.api() == WireApi.CHAT_COMPLETIONS
                        || p.api() == WireApi.RESPONSES)
                .toList();
    }

    @BeforeAll
    static void start() throws Exception {
        fake = FakeLlmServer.start();
        // Vertex AI's token endpoint answered as the fake answers it; every model call with one answer
        fake.setDispatcher(r -> r.path().equals(FakeVertex.TOKEN_PATH)
                ? FakeResponse.answerPrompt()
                : FakeResponse.answer().text(ANSWER).usage(5, 2));
        vertexKey = Files.createTempFile("sluice-vertex-key", ".json");
        Files.writeString(vertexKey, FakeVertex.serviceAccountJson(fake.baseUrl()));
        String url = fake.baseUrl().toString();
        Map<String, String> env = new HashMap<>();
        env.putAll(Map.of(
                "ANTHROPIC_BASE_URL", url, "ANTHROPIC_API_KEY", "k", "OPENAI_BASE_URL", url, "OPENAI_API_KEY", "k"));
        env.putAll(Map.of(
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                url,
                "AWS_ENDPOINT_URL_BEDROCK_MANTLE",
                url + FakeBedrock.MANTLE_PATH,
                "AWS_BEARER_TOKEN_BEDROCK",
                FakeBedrock.API_KEY,
                "AWS_REGION",
                "us-east-1"));
        env.putAll(Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS",
                vertexKey.toString(),
                "GOOGLE_CLOUD_LOCATION",
                "us-central1",
                "GOOGLE_VERTEX_BASE_URL",
                url));
        env.putAll(Map.of(
                "AZURE_OPENAI_ENDPOINT",
                url,
                "AZURE_OPENAI_API_KEY",
                FakeAzure.API_KEY,
                "ANTHROPIC_FOUNDRY_BASE_URL",
                url + "/anthropic",
                "ANTHROPIC_FOUNDRY_API_KEY",
                FakeAzure.API_KEY));
        Relay.Builder relay = Relay.builder();
        Map<String, ProviderClient> byName = new HashMap<>();
        for (ProviderCatalog p : passing()) {
            ProviderClient client = p.connect(p.options(env).build(), env);
            CLIENTS.add(client);
            byName.put(p.id(), client);
            relay.provider(p.id(), client, p.defaultModel());
        }
        RelayAdmission http = RelayAdmission.builder(relay.build()).build();
        GatewayHttp.Builder gateway = GatewayHttp.builder(http);
        byName.forEach(gateway::provider);
        server = RelayServer.builder(http).gateway(gateway.build()).token(TOKEN).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        for (ProviderClient c : CLIENTS) c.close();
        fake.close();
        Files.deleteIfExists(vertexKey);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderCatalog p : passing())
            for (String door : List.of("/v1/chat/completions", "/v1/messages", "/v1/responses"))
                for (boolean stream : List.of(true, false)) cases.add(Arguments.of(p, door, stream));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} stream={2}")
    @MethodSource("cases")
    void door_catalogProvider_answers200WithTheUpstreamsAnswer(ProviderCatalog p, String door, boolean stream)
            throws Exception {
        String model = p.id() + "/" + p.defaultModel();
        String body = switch (door) {
            case "/v1/messages" ->
                "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            case "/v1/responses" -> "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"input\":\"Hi\"}";
            default ->
                "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        };
        int before = calls().size();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve(door))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains(ANSWER), "the upstream's answer: " + r.body());
        List<RecordedRequest> calls = calls();
        assertEquals(before + 1, calls.size(), "one upstream call");
        if (!passes(p, door)) return;
        RecordedRequest upstream = calls.getLast();
        // passed through: the caller's body as it came but for its model (a cloud's envelope aside)
        assertTrue(upstream.body().contains("\"Hi\""), upstream.body());
        assertEquals(
                stream,
                upstream.body().contains("\"stream\":true") || upstream.path().contains("stream"),
                "sent as asked, streamed or not: " + upstream.path() + " " + upstream.body());
    }

    /** {@return the fake's requests but for Vertex AI's token endpoint's} */
    private static List<RecordedRequest> calls() {
        return fake.requests().stream()
                .filter(q -> !q.path().equals(FakeVertex.TOKEN_PATH))
                .toList();
    }

    /** {@return whether a request at {@code door} passes through to {@code p}: its client's passthrough speaks the door's API} */
    private static boolean passes(ProviderCatalog p, String door) {
        ProviderClient client = CLIENTS.get(passing().indexOf(p));
        WireApi api = switch (door) {
            case "/v1/messages" -> WireApi.MESSAGES;
            case "/v1/responses" -> WireApi.RESPONSES;
            default -> WireApi.CHAT_COMPLETIONS;
        };
        // every catalog provider of a door's API passes its requests through, both calls with it
        assertEquals(Optional.of(p.api()), client.passthrough().map(Passthrough::api), p.id());
        return api == p.api();
    }
}
