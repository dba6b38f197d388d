package dev.sluice.azure;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.ChatCompletionChunk;
import dev.sluice.openai.ChatCompletionEvent;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Azure OpenAI (Chat Completions and the Responses API) and Claude on Foundry against the test
 * kit's fake Azure over loopback sockets: the routes, the key and Entra ID (client secret, managed
 * identity, the application's own tokens), Azure's first chunk, the typed errors with Azure's
 * request id, and one token shared and refreshed across concurrent streams of two clients.
 */
class AzureProvidersTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    static final String PROMPT = "Explain what a sluice gate does, briefly.";

    static String base() {
        return fake.server().baseUrl().toString();
    }

    static AzureAccess keyed() {
        return AzureAccess.builder().endpoint(base()).apiKey(FakeAzure.API_KEY).build();
    }

    static Map<String, String> secretEnv() {
        return Map.of(
                "AZURE_OPENAI_ENDPOINT",
                base(),
                "AZURE_TENANT_ID",
                FakeAzure.TENANT_ID,
                "AZURE_CLIENT_ID",
                FakeAzure.CLIENT_ID,
                "AZURE_CLIENT_SECRET",
                FakeAzure.CLIENT_SECRET,
                "AZURE_AUTHORITY_HOST",
                base());
    }

    static ChatRequest prompt(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user(PROMPT))
                .build();
    }

    /** {@return the text OpenAI's own route of the fake answers the prompt with: the reference} */
    static String reference() {
        try (OpenAiClient direct =
                OpenAiClient.builder().baseUrl(base()).apiKey("sk-test").build()) {
            String text = direct.chat(prompt("gpt-4o")).text();
            fake.server().takeRequest();
            return text;
        }
    }

    /** {@return the chunks of a neutral stream} */
    static List<MessageChunk> chunks(ChatProvider provider, ChatRequest request) {
        List<MessageChunk> all = new ArrayList<>();
        try (EventStream<MessageChunk> stream = provider.stream(request)) {
            stream.forEach(all::add);
        }
        return all;
    }

    static String text(List<MessageChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.text()));
        return sb.toString();
    }

    @Test
    void chat_apiKey_streamsTheTextFromTheV1RouteWithApiKeyHeader() {
        String reference = reference();
        List<MessageChunk> chunks;
        try (OpenAiClient client = OpenAiClient.builder().azure(keyed()).build()) {
            chunks = chunks(client, prompt("gpt-4o"));
        }
        assertEquals(reference, text(chunks));
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("/openai/v1/chat/completions", sent.target(), "the v1 API: no api-version");
        assertEquals(FakeAzure.API_KEY, sent.header("api-key"));
        assertNull(sent.header("authorization"), "the key alone authorizes");
        assertEquals("gpt-4o", sent.json("/model"), "the model names the deployment");
        assertFalse(
                chunks.getFirst().id().isEmpty(),
                "Azure's first chunk (empty choices, no id) gives no chunk: the first has the id");
        assertEquals(
                FinishReason.Kind.STOP,
                chunks.stream()
                        .filter(c -> c.finishReason() != null)
                        .findFirst()
                        .orElseThrow()
                        .finishReason()
                        .kind());
    }

    @Test
    void chat_firstChunkOfEmptyChoices_typedStreamHasItAndNeutralStreamHasNoEmptyChunk() {
        List<ChatCompletionEvent> events = new ArrayList<>();
        try (OpenAiClient client = OpenAiClient.builder().azure(keyed()).build();
                ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.builder()
                        .model("gpt-4o")
                        .addMessage(ChatCompletionMessage.user(PROMPT))
                        .build())) {
            stream.forEach(events::add);
        }
        ChatCompletionChunk first = (ChatCompletionChunk) events.getFirst();
        assertTrue(
                first.choices().isEmpty() && first.id().isEmpty(),
                "Azure's prompt_filter_results chunk, as sent: " + first);
        List<MessageChunk> chunks;
        try (OpenAiClient client = OpenAiClient.builder().azure(keyed()).build()) {
            chunks = chunks(client, prompt("gpt-4o"));
        }
        for (MessageChunk c : chunks) {
            assertTrue(
                    !c.text().isEmpty()
                            || !c.toolCalls().isEmpty()
                            || c.finishReason() != null
                            || c.usage() != null
                            || !c.id().isEmpty(),
                    "no empty chunk: " + c);
        }
    }

    @Test
    void responses_entraClientSecret_streamsTheTextWithABearerTheFakeIssued() {
        String reference;
        try (OpenAiClient direct =
                OpenAiClient.builder().baseUrl(base()).apiKey("sk-test").build()) {
            reference = direct.responses().chat(prompt("gpt-4o")).text();
        }
        fake.server().takeRequest();
        AzureAccess access =
                AzureAccess.builder().environment(secretEnv()).fromEnv().build();
        String text;
        try (OpenAiClient client = OpenAiClient.builder().azure(access).build()) {
            text = text(chunks(client.responses(), prompt("gpt-4o")));
        }
        assertEquals(reference, text);
        RecordedRequest token = fake.server().takeRequest();
        assertEquals(
                "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token",
                token.path(),
                "nothing is fetched before the first request");
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("/openai/v1/responses", sent.target());
        assertTrue(
                sent.header("authorization").startsWith("Bearer " + FakeAzure.TOKEN_PREFIX),
                sent.header("authorization"));
        assertNull(sent.header("api-key"));
    }

    @Test
    void foundry_apiKey_streamsTheTextFromAnthropicMessagesWithXApiKey() {
        String reference;
        try (AnthropicClient direct =
                AnthropicClient.builder().baseUrl(base()).apiKey("sk-ant-test").build()) {
            reference = direct.chat(prompt("claude-sonnet-4-5")).text();
        }
        fake.server().takeRequest();
        AzureAccess access = AzureAccess.builder()
                .environment(Map.of(
                        "ANTHROPIC_FOUNDRY_BASE_URL",
                        base() + "/anthropic",
                        "ANTHROPIC_FOUNDRY_API_KEY",
                        FakeAzure.API_KEY))
                .foundryFromEnv()
                .build();
        String text;
        try (AnthropicClient client = AnthropicClient.builder().foundry(access).build()) {
            text = text(chunks(client, prompt("claude-sonnet-4-5")));
        }
        assertEquals(reference, text);
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("/anthropic/v1/messages", sent.target());
        assertEquals(FakeAzure.API_KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        assertEquals("claude-sonnet-4-5", sent.json("/model"), "the model (the deployment) stays in the body");
    }

    @Test
    void foundry_endpointWithoutPath_getsAnthropicPath() {
        try (AnthropicClient client = AnthropicClient.builder().foundry(keyed()).build()) {
            assertFalse(client.chat(prompt("claude-haiku-4-5")).text().isEmpty());
        }
        assertEquals("/anthropic/v1/messages", fake.server().takeRequest().target());
    }

    static final Map<String, Function<AzureAccess, ChatProvider>> PROVIDERS = Map.of(
            "azure-openai", a -> OpenAiClient.builder().azure(a).build(),
            "azure-openai-responses",
                    a -> OpenAiClient.builder().azure(a).build().responses(),
            "foundry-anthropic", a -> AnthropicClient.builder().foundry(a).build());

    @Test
    void everyProvider_tool_callsItAndFinishesForToolCalls() {
        for (var p : PROVIDERS.entrySet()) {
            ChatProvider provider = p.getValue().apply(keyed());
            ChatResponse r = provider.chat(ChatRequest.builder()
                    .model(p.getKey().startsWith("foundry") ? "claude-sonnet-4-5" : "gpt-4o")
                    .addMessage(ChatMessage.user("What's the weather in Paris? Use the get_weather tool."))
                    .addTool(WEATHER)
                    .build());
            assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind(), p.getKey());
            assertEquals("get_weather", r.toolCalls().getFirst().name(), p.getKey());
            close(provider);
        }
    }

    @Test
    void everyProvider_structuredOutput_jsonOfTheSchema() {
        for (var p : PROVIDERS.entrySet()) {
            ChatProvider provider = p.getValue().apply(keyed());
            ChatResponse r = provider.chat(ChatRequest.builder()
                    .model(p.getKey().startsWith("foundry") ? "claude-sonnet-4-5" : "gpt-4o")
                    .addMessage(ChatMessage.user("A soup recipe, please"))
                    .responseFormat(RECIPE)
                    .build());
            String json = r.text().isEmpty() ? r.toolCalls().getFirst().arguments() : r.text();
            assertTrue(json.strip().startsWith("{") && json.contains("\"title\""), p.getKey() + ": " + json);
            close(provider);
        }
    }

    static void close(ChatProvider provider) {
        if (provider instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void everyProvider_wrongKey_401WithAzuresCodeAndApimRequestId() {
        AzureAccess wrong =
                AzureAccess.builder().endpoint(base()).apiKey("not-the-key").build();
        for (var p : PROVIDERS.entrySet()) {
            ChatProvider provider = p.getValue().apply(wrong);
            ApiException e = assertThrows(ApiException.class, () -> chunks(provider, prompt("gpt-4o")), p.getKey());
            assertEquals(401, e.statusCode(), p.getKey());
            assertEquals("http_error_401", e.errorType(), p.getKey());
            assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
            assertFalse(e.getMessage().contains("not-the-key"), "no key in a message");
            assertTrue(e.requestId().isPresent(), p.getKey() + ": Azure's apim-request-id");
            fake.server().takeRequest();
            close(provider);
        }
    }

    @Test
    void chat_rateLimited_429WithRetryAfterAndRequestId() {
        try (OpenAiClient client = OpenAiClient.builder()
                .azure(keyed())
                .retryPolicy(RetryPolicy.none())
                .build()) {
            ApiException e = assertThrows(ApiException.class, () -> chunks(client, prompt("fake-rate-limited")));
            assertEquals(429, e.statusCode());
            assertEquals("http_error_429", e.errorType());
            assertEquals(1000, e.retryAfterMillis().orElseThrow(), "Azure's retry-after-ms");
            assertTrue(e.requestId().isPresent());
        }
    }

    static final String FILTERED = """
            data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}

            data: {"choices":[{"content_filter_results":{},"delta":{"content":"","refusal":null,"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1764158400,"id":"chatcmpl-az1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_az"}

            data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Here is"},"finish_reason":null,"index":0,"logprobs":null}],"created":1764158400,"id":"chatcmpl-az1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_az"}

            data: {"choices":[{"content_filter_offsets":{"check_offset":0,"start_offset":0,"end_offset":7},"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"finish_reason":null,"index":0}],"created":0,"id":"","model":"","object":""}

            data: {"choices":[{"content_filter_results":{"violence":{"filtered":true,"severity":"high"}},"delta":{},"finish_reason":"content_filter","index":0,"logprobs":null}],"created":1764158400,"id":"chatcmpl-az1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_az"}

            data: [DONE]

            """;

    @Test
    void chat_contentFilteredMidAnswer_contentFilterFinishAndTheTextBefore() {
        fake.server().enqueue(FakeResponse.sse(FILTERED));
        ChatResponse r;
        List<MessageChunk> chunks;
        try (OpenAiClient client = OpenAiClient.builder().azure(keyed()).build()) {
            r = client.chat(prompt("gpt-4o"));
            fake.server().enqueue(FakeResponse.sse(FILTERED));
            chunks = chunks(client, prompt("gpt-4o"));
        }
        assertEquals(
                List.of("", "Here is", ""),
                chunks.stream().map(MessageChunk::text).toList(),
                "the role chunk, the text, the finish: no chunk of the filter's own");
        assertTrue(chunks.stream().allMatch(c -> c.id().equals("chatcmpl-az1")));
        assertEquals("Here is", r.text());
        assertEquals(FinishReason.Kind.CONTENT_FILTER, r.finishReason().kind());
        assertEquals("chatcmpl-az1", r.id());
    }

    @Test
    void chat_promptFiltered_400OfTypeContentFilter() {
        fake.server()
                .enqueue(
                        FakeResponse.status(400)
                                .header("apim-request-id", "7d1e0000-aaaa-bbbb-cccc-000000000001")
                                .body(
                                        "application/json",
                                        "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering"
                                                + " Azure OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\","
                                                + "\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}"));
        try (OpenAiClient client = OpenAiClient.builder().azure(keyed()).build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.chat(prompt("gpt-4o")));
            assertEquals(400, e.statusCode());
            assertEquals("content_filter", e.errorType());
            assertEquals("7d1e0000-aaaa-bbbb-cccc-000000000001", e.requestId().orElseThrow());
        }
    }

    @Test
    void everyProvider_serverEchoingHeaders_neitherKeyNorTokenInTheFailure() {
        AzureAccess entra =
                AzureAccess.builder().environment(secretEnv()).fromEnv().build();
        for (AzureAccess access : List.of(keyed(), entra)) {
            for (var p : PROVIDERS.entrySet()) {
                ChatProvider provider = p.getValue().apply(access);
                ApiException e = assertThrows(
                        ApiException.class, () -> chunks(provider, prompt("fake-echo-headers")), p.getKey());
                String bearer = fake.server().requests().getLast().header("authorization");
                String shown = e.getMessage() + " " + e.errorMessage();
                assertTrue(shown.contains("Unexpected request"), shown);
                assertFalse(shown.contains(FakeAzure.API_KEY), p.getKey() + ": " + shown);
                if (bearer != null) assertFalse(shown.contains(bearer.substring(7)), p.getKey() + ": " + shown);
                close(provider);
            }
        }
    }

    @Test
    void foundry_countTokens_sameCountAsAnthropicsApiAtFoundrysPath() {
        dev.sluice.anthropic.MessageRequest request = dev.sluice.anthropic.MessageRequest.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(100)
                .addUserMessage(PROMPT)
                .build();
        long direct;
        try (AnthropicClient client =
                AnthropicClient.builder().baseUrl(base()).apiKey("sk-ant-test").build()) {
            direct = client.messages().countTokens(request);
        }
        try (AnthropicClient client = AnthropicClient.builder().foundry(keyed()).build()) {
            assertEquals(direct, client.messages().countTokens(request));
        }
        assertEquals(
                "/anthropic/v1/messages/count_tokens",
                fake.server().requests().getLast().path());
        assertEquals(FakeAzure.API_KEY, fake.server().requests().getLast().header("x-api-key"));
    }
}
