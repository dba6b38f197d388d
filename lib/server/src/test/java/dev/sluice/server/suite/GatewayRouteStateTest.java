package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * State across a route at the Messages door: on a route of two Anthropic targets, an answer with
 * thinking comes back with its signature as the target sent it; sent back, it reaches that target
 * unchanged with thinking on, and any other target without it (and, its tool loop's thinking
 * lost, without thinking). At the Responses door, on a route of two Responses targets, the same for
 * encrypted reasoning: a reasoning item's {@code encrypted_content} reaches only the target that
 * issued it.
 */
class GatewayRouteStateTest {
    private static final String TOKEN = "gateway-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeLlmServer fake;
    private static AnthropicClient first;
    private static AnthropicClient second;
    private static OpenAiClient firstOpenai;
    private static OpenAiClient secondOpenai;
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

    /** The Responses API's events of an answer that reasons (its item's {@code encrypted_content} {@code enc}) and says hi. */
    private static String reasoningAnswer(String enc) {
        String reasoning =
                "{\"id\":\"rs_01\",\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"" + enc + "\"}";
        String message = "{\"id\":\"msg_01\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hi.\",\"annotations\":[]}]}";
        String response = "{\"id\":\"resp_01\",\"object\":\"response\",\"created_at\":1,\"model\":\"m\",\"status\":";
        return "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                + response + "\"in_progress\",\"output\":[]}}\n\n"
                + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":1,"
                + "\"output_index\":0,\"item\":{\"id\":\"rs_01\",\"type\":\"reasoning\",\"summary\":[]}}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":2,"
                + "\"output_index\":0,\"item\":" + reasoning + "}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":3,"
                + "\"item_id\":\"msg_01\",\"output_index\":1,\"content_index\":0,\"delta\":\"Hi.\"}\n\n"
                + "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"sequence_number\":4,"
                + "\"output_index\":1,\"item\":" + message + "}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":5,\"response\":"
                + response + "\"completed\",\"output\":[" + reasoning + "," + message + "],"
                + "\"usage\":{\"input_tokens\":9,\"output_tokens\":3,\"total_tokens\":12}}}\n\n";
    }

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.start();
        fake.setDispatcher(r -> {
            if (r.path().startsWith("/v1/responses")) {
                boolean a = "gpt-5-mini".equals(r.json("/model"));
                if (a && r.body().contains("first target overloaded")) return FakeResponse.status(503);
                return FakeResponse.sse(reasoningAnswer(a ? "ENC-A+/=" : "ENC-B+/="));
            }
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
        firstOpenai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(url)
                .retryPolicy(RetryPolicy.none())
                .build();
        secondOpenai = OpenAiClient.builder().apiKey("test").baseUrl(url).build();
        FallbackChain responsesPair = FallbackChain.builder()
                .target("openai-responses:gpt-5-mini", firstOpenai.responses(), "gpt-5-mini")
                .target("openai-responses:gpt-5-nano", secondOpenai.responses(), "gpt-5-nano")
                .build();
        Relay relay = Relay.builder()
                .provider("anthropic", first, "claude-sonnet-4-5")
                .provider("pair", pair, "claude-sonnet-4-5")
                .provider("responses-pair", responsesPair, "gpt-5-mini")
                .build();
        RelayAdmission http = RelayAdmission.builder(relay).maxTokens(8192).build();
        GatewayHttp gateway = GatewayHttp.builder(http)
                .provider("anthropic", first)
                .route("pair", pair.continuingOnly())
                .route("responses-pair", responsesPair.continuingOnly())
                .build();
        server = RelayServer.builder(http).gateway(gateway).token(TOKEN).start();
        base = server.uri();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        first.close();
        second.close();
        firstOpenai.close();
        secondOpenai.close();
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

    /** A Responses turn of Codex's kind: store off, encrypted reasoning asked, an earlier turn's reasoning item {@code enc}. */
    private static String responsesTurn(String enc, String prompt) {
        return "{\"model\":\"responses-pair\",\"max_output_tokens\":2048,\"stream\":true,\"store\":false,"
                + "\"include\":[\"reasoning.encrypted_content\"],\"input\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Why?\"}]},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_01\",\"summary\":[],\"encrypted_content\":\"" + enc + "\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi.\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + prompt + "\"}]}]}";
    }

    @Test
    void twoResponsesTargetRoute_encryptedReasoning_reachesTheClientAndGoesBackToItsTargetOnly() throws Exception {
        String turn1 = post(
                "/v1/responses",
                "{\"model\":\"responses-pair\",\"max_output_tokens\":2048,\"stream\":true,\"store\":false,"
                        + "\"include\":[\"reasoning.encrypted_content\"],\"input\":\"Why?\"}");
        assertTrue(turn1.contains("\"encrypted_content\":\"ENC-A+/=\""), "as the target sent it: " + turn1);

        int before = fake.requests().size();
        String sent = responsesTurn("ENC-A+/=", "And then?");
        String turn2 = post("/v1/responses", sent);
        assertTrue(turn2.contains("event: response.completed"), turn2);
        RecordedRequest upstream = fake.requests().get(before);
        assertEquals("gpt-5-mini", upstream.json("/model"));
        assertEquals(sent.replace("\"responses-pair\"", "\"gpt-5-mini\""), upstream.body(), "unchanged");
    }

    @Test
    void twoResponsesTargetRoute_firstTargetFails_theNextGetsTheTurnWithoutTheOthersReasoning() throws Exception {
        post("/v1/responses", responsesTurn("ENC-unknown", "warm up")); // never issued here: stripped everywhere
        int before = fake.requests().size();
        String turn = post("/v1/responses", responsesTurn("ENC-A+/=", "first target overloaded"));
        assertTrue(turn.contains("\"encrypted_content\":\"ENC-B+/=\""), turn);
        List<RecordedRequest> upstream =
                fake.requests().subList(before, fake.requests().size());
        assertEquals(2, upstream.size(), upstream.toString());
        RecordedRequest next = upstream.get(1);
        assertEquals("gpt-5-nano", next.json("/model"));
        assertFalse(next.body().contains("ENC-A"), "another target's encrypted reasoning never: " + next.body());
        assertFalse(next.body().contains("\"type\":\"reasoning\""), next.body());
        assertTrue(
                next.body().contains("first target overloaded") && next.body().contains("\"Hi.\""), next.body());
        assertTrue(next.body().contains("\"include\":[\"reasoning.encrypted_content\"]"), next.body());
    }

    private static String post(String json) throws Exception {
        return post("/v1/messages", json);
    }

    private static String post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
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
