package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * State across a route at the Messages door: on a route of two Anthropic targets, an answer with
 * thinking comes back with its signature as the target sent it; sent back, it reaches that target
 * unchanged with thinking on, and any other target without it (and, its tool loop's thinking
 * lost, without thinking).
 */
class GatewayRouteStateTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static AnthropicClient first;
    private static AnthropicClient second;
    private static RelayServer server;
    private static URI base;

    /** Anthropic's events of an answer that thinks (signed {@code signature}) and calls a tool. */
    private static String thinkingAnswer(String signature) {
        return """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Look it up."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"SIGNATURE"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"lookup","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":\\"sky\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}

                """.replace("SIGNATURE", signature);
    }

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        fake.setDispatcher(r -> {
            boolean a = "claude-sonnet-4-5".equals(r.json("/model"));
            if (a && r.body().contains("first target overloaded"))
                return FakeResponse.apiError(529, "overloaded_error", "Overloaded");
            return FakeResponse.sse(thinkingAnswer(a ? "SIG-A+/=" : "SIG-B+/="));
        });
        String url = fake.baseUrl().toString();
        first = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .retryPolicy(RetryPolicy.none())
                .build();
        second = AnthropicClient.builder().apiKey("test").baseUrl(url).build();
        FallbackChain pair = FallbackChain.builder()
                .target("anthropic:claude-sonnet-4-5", first, "claude-sonnet-4-5")
                .target("anthropic:claude-haiku-4-5", second, "claude-haiku-4-5")
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", first, "claude-sonnet-4-5")
                .provider("pair", pair, "claude-sonnet-4-5")
                .build();
        RelayAdmission http = RelayAdmission.builder(relay).maxTokens(8192).build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", first)
                .route("pair", pair.continuingOnly())
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
        base = server.uri();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        first.close();
        second.close();
        fake.close();
    }

    /** A tool continuation: the first turn's thinking and tool call sent back with the tool's result. */
    private static String continuation(String signature, String prompt) {
        return "{\"model\":\"pair\",\"max_tokens\":2048,\"stream\":true,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Look it up.\",\"signature\":\""
                + signature
                + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"lookup\",\"input\":{\"q\":\"sky\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":\"blue\"}]}],"
                + "\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}]}";
    }

    @Test
    void twoTargetRoute_thinkingAnswer_signatureReachesTheClientAndGoesBackToItsTargetOnly() throws Exception {
        String turn1 = post("{\"model\":\"pair\",\"max_tokens\":2048,\"stream\":true,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}],"
                + "\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}]}");
        assertTrue(
                turn1.contains("{\"type\":\"signature_delta\",\"signature\":\"SIG-A+/=\"}"),
                "the signature as the target sent it: " + turn1);

        int before = fake.requests().size();
        String sent = continuation("SIG-A+/=", "Why is the sky blue?");
        String turn2 = post(sent);
        assertTrue(turn2.contains("event: message_stop"), turn2);
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("claude-sonnet-4-5", upstream.json("/model"));
        assertEquals(sent.replace("\"pair\"", "\"claude-sonnet-4-5\""), upstream.body(), "unchanged, thinking on");
    }

    @Test
    void twoTargetRoute_firstTargetOverloaded_theNextGetsTheTurnWithoutTheOthersThinking() throws Exception {
        post(continuation("SIG-B-unknown", "warm up")); // nothing remembered of this signature: stripped everywhere
        int before = fake.requests().size();
        String turn = post(continuation("SIG-A+/=", "first target overloaded"));
        assertTrue(turn.contains("{\"type\":\"signature_delta\",\"signature\":\"SIG-B+/=\"}"), turn);
        List<RecordedRequest> upstream =
                fake.requests().subList(before, fake.requests().size());
        assertEquals(2, upstream.size(), upstream.toString());
        RecordedRequest next = upstream.get(1);
        assertEquals("claude-haiku-4-5", next.json("/model"));
        assertFalse(next.body().contains("SIG-A"), "another target's signature never: " + next.body());
        assertFalse(next.body().contains("\"thinking\":{"), "its tool loop's thinking lost: no thinking" + next.body());
        assertTrue(next.body().contains("\"tool_use\""), next.body());
    }

    private static String post(String json) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/v1/messages"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("anthropic-version", "2023-06-01")
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
