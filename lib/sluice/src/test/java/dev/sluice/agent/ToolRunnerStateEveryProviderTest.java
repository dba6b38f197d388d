package dev.sluice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.PartialJson;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state rule's verification on every provider and cloud: a conversation of three questions,
 * each a tool loop through the tool runner with thinking on, against a strict fake server of its
 * own (which refuses like the real API and counts every altered or foreign opaque value). Each
 * answer completes, the server never refuses, and every opaque value a response carried (thinking
 * signatures, redacted thinking, encrypted reasoning, thought signatures, {@code reasoning_content})
 * goes back on the next requests verbatim, under the client's own provider name.
 */
class ToolRunnerStateEveryProviderTest {
    private static final Set<String> OPAQUE_KEYS = Set.of(
            "signature",
            "thoughtSignature",
            "thought_signature",
            "redactedContent",
            "encrypted_content",
            "reasoning_content",
            "data");
    private static final String GEMINI_3 = "gemini-3-pro-preview";
    private static final String DEEPSEEK = "deepseek-v4-flash";
    private static final String BEDROCK_CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private static VertexAccess vertex(FakeLlmServer server, String location) {
        return VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .location(location)
                .endpoint(server.baseUrl().toString())
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(3600)))
                .build();
    }

    private static AwsAccess aws(FakeLlmServer server) {
        return AwsAccess.builder()
                .region("us-east-1")
                .endpoint(server.baseUrl())
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
    }

    private static AzureAccess azure(FakeLlmServer server) {
        return AzureAccess.builder()
                .endpoint(server.baseUrl().toString())
                .apiKey(FakeAzure.API_KEY)
                .build();
    }

    /** The client for a provider name, against the server, and the model it is asked for. */
    private record Client(ChatProvider provider, String model) {}

    private static Client client(String name, FakeLlmServer server) {
        String base = server.baseUrl().toString();
        return switch (name) {
            case "anthropic" ->
                new Client(
                        AnthropicClient.builder()
                                .apiKey("k")
                                .baseUrl(base)
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        "claude-sonnet-4-5");
            case "bedrock-anthropic" ->
                new Client(
                        AnthropicClient.builder()
                                .bedrock(aws(server))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        BEDROCK_CLAUDE);
            case "vertex-anthropic" ->
                new Client(
                        AnthropicClient.builder()
                                .vertex(vertex(server, "us-east5"))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        "claude-sonnet-4-5@20250929");
            case "foundry-anthropic" ->
                new Client(
                        AnthropicClient.builder()
                                .foundry(azure(server))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        "claude-sonnet-4-5");
            case "openai-responses" ->
                new Client(
                        OpenAiClient.builder()
                                .apiKey("k")
                                .baseUrl(base)
                                .retryPolicy(RetryPolicy.none())
                                .build()
                                .responses(),
                        "gpt-5");
            case "azure-openai-responses" ->
                new Client(
                        OpenAiClient.builder()
                                .azure(azure(server))
                                .retryPolicy(RetryPolicy.none())
                                .build()
                                .responses(),
                        "gpt-5");
            case "openai" ->
                new Client(
                        OpenAiClient.builder()
                                .apiKey("k")
                                .baseUrl(base)
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        DEEPSEEK);
            case "azure-openai" ->
                new Client(
                        OpenAiClient.builder()
                                .azure(azure(server))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        DEEPSEEK);
            case "gemini" ->
                new Client(
                        GeminiClient.builder()
                                .apiKey("k")
                                .baseUrl(base)
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        GEMINI_3);
            case "vertex" ->
                new Client(
                        GeminiClient.builder()
                                .vertex(vertex(server, "global"))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        GEMINI_3);
            case "bedrock" ->
                new Client(
                        BedrockClient.builder()
                                .access(aws(server))
                                .retryPolicy(RetryPolicy.none())
                                .build(),
                        BEDROCK_CLAUDE);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Adds the opaque fields of a JSON value (as a provider state or a request holds them). */
    private static void opaque(Object value, List<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (OPAQUE_KEYS.contains(String.valueOf(e.getKey()))
                        && e.getValue() instanceof String s
                        && !s.isEmpty()) out.add(s);
                else opaque(e.getValue(), out);
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> opaque(v, out));
        }
    }

    /** Adds every string of a JSON value. */
    private static void leaves(Object value, List<String> out) {
        switch (value) {
            case String s -> out.add(s);
            case Map<?, ?> m -> m.values().forEach(v -> leaves(v, out));
            case List<?> l -> l.forEach(v -> leaves(v, out));
            case null, default -> {}
        }
    }

    private static AgentEvent.RunFinished run(ToolRunner runner, String model, List<ChatMessage> conversation) {
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .messages(conversation)
                .maxTokens(4096)
                .thinkingBudget(1024)
                .build();
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request)) {
            for (AgentEvent e : events) if (e instanceof AgentEvent.RunFinished f) finished = f;
        }
        return finished;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "anthropic",
                "bedrock-anthropic",
                "vertex-anthropic",
                "foundry-anthropic",
                "openai-responses",
                "azure-openai-responses",
                "openai",
                "azure-openai",
                "gemini",
                "vertex",
                "bedrock"
            })
    void toolRunner_threeQuestionsWithThinking_everyAnswerCompletesAndTheStateGoesBackVerbatim(String name)
            throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder().tokensPerSecond(0).start()) {
            Client client = client(name, server);
            try (AutoCloseable closing = () -> {
                if (client.provider() instanceof AutoCloseable c) c.close();
            }) {
                check(name, server, client);
            }
        }
    }

    private static void check(String name, FakeLlmServer server, Client client) {
        AgentTool weather = AgentTool.of(
                "get_weather",
                "The weather in a city",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")),
                        "required",
                        List.of("city")),
                (args, ctx) -> "sunny");
        ToolRunner runner = ToolRunner.builder(client.provider()).tool(weather).build();
        String provider = name.equals("azure-openai-responses") ? "azure-openai" : name;
        List<ChatMessage> conversation = new ArrayList<>();
        for (String city : List.of("Paris", "Oslo", "Lima")) {
            conversation.add(ChatMessage.user("What is the weather in " + city + "? Use the get_weather tool."));
            AgentEvent.RunFinished finished = run(runner, client.model(), conversation);
            assertNotNull(finished, name + ": the run finished");
            assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, finished.reason(), name);
            assertEquals(2, finished.turns(), name + ": a tool call, then the answer");
            assertFalse(finished.text().isBlank(), name);
            conversation = new ArrayList<>(finished.conversation());
        }
        assertEquals(12, conversation.size(), name); // three times: user, assistant call, tool result, answer
        assertEquals(0, server.opaqueRejections(), name + ": the strict fake refused nothing");

        List<RecordedRequest> sent = server.requests().stream()
                .filter(r ->
                        r.body() != null && !r.body().isEmpty() && !r.path().contains("token"))
                .toList();
        String last = sent.getLast().body();
        int carried = 0;
        for (ChatMessage m : conversation.subList(0, conversation.size() - 1)) {
            if (m.role() != ChatMessage.Role.ASSISTANT || m.toolCalls().isEmpty()) continue;
            assertNotNull(m.providerState(), name + ": a tool-call turn carries its state");
            assertEquals(provider, m.providerState().provider(), name);
            List<String> values = new ArrayList<>();
            Object state = PartialJson.parse(m.providerState().data()).value();
            if (name.equals("gemini") || name.equals("vertex")) leaves(state, values); // thought signatures by part
            else opaque(state, values);
            assertFalse(values.isEmpty(), name + ": the state holds an opaque value");
            for (String v : values) {
                assertTrue(last.contains(JsonOut.write(v)), name + ": " + v.length() + " chars sent back verbatim");
                carried++;
            }
        }
        System.out.printf(
                "%s: %d requests, %d opaque values carried back verbatim, 0 refused%n", name, sent.size(), carried);
    }
}
