package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.Document;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderFile;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicRequestsTest {

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static final Tool WEATHER = new Tool(
            "get_weather",
            "Current weather",
            map("type", "object", "properties", map("city", map("type", "string")), "required", List.of("city")));

    @Test
    void toMessageRequest_fullToolLoop_exactRequestJson() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .system("Use tools.")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "Checking.",
                        List.of(
                                ToolCall.of(0, "toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                                ToolCall.of(1, "toolu_2", "get_weather", "")),
                        List.of()))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.USER,
                        "And tomorrow?",
                        List.of(),
                        List.of(ToolResult.of("toolu_1", "18C"), ToolResult.error("toolu_2", "timeout"))))
                .addTool(WEATHER)
                .maxTokens(512)
                .temperature(0.5)
                .addStopSequence("END")
                .build();
        assertEquals(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":512,\"messages\":["
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather in Paris?\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"get_weather\",\"input\":{}}]},"
                        + "{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"18C\"},"
                        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"timeout\",\"is_error\":true},"
                        + "{\"type\":\"text\",\"text\":\"And tomorrow?\"}]}],"
                        + "\"system\":\"Use tools.\","
                        + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Current weather\",\"input_schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}],"
                        + "\"temperature\":0.5,\"stop_sequences\":[\"END\"],\"stream\":true}",
                RequestJson.write(AnthropicRequests.toMessageRequest(request), true));
    }

    @Test
    void toMessageRequest_toolResultWithImages_imageBlocksThenItsTextInTheToolResult() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .addMessage(ChatMessage.user("Show me the chart"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "toolu_1", "chart", "{}")), List.of()))
                .addMessage(ChatMessage.toolResults(List.of(new ToolResult(
                        "toolu_1",
                        "Sales by month",
                        true,
                        List.of(
                                dev.sluice.chat.Image.base64("image/png", "iVBORw0KGgo="),
                                dev.sluice.chat.Image.url("https://example.com/a.jpg"))))))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(
                json.contains(
                        "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                                + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
                                + "\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":"
                                + "\"https://example.com/a.jpg\"}},{\"type\":\"text\",\"text\":\"Sales by month\"}],\"is_error\":true}]}"),
                json);
    }

    @Test
    void toMessageRequest_streamedToolUseRepeatedInNextRequest_toolUseBlockHasTheStreamedInput() {
        ChunkAggregator aggregator = new ChunkAggregator();
        AnthropicChunks mapper = new AnthropicChunks(Clock.systemUTC(), System::nanoTime, System.nanoTime());
        for (StreamEvent e : FixtureEvents.decode("tool-use-weather"))
            mapper.map(e).ifPresent(aggregator::accept);
        ChatResponse response = aggregator.result();
        ChatRequest next = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Weather?"))
                .addMessage(ChatMessage.assistant(response))
                .addMessage(ChatMessage.toolResults(
                        List.of(ToolResult.of(response.toolCalls().get(0).id(), "15 degrees"))))
                .build();
        MessageRequest mapped = AnthropicRequests.toMessageRequest(next);
        assertEquals(
                List.of(
                        TextParam.of("Okay, let's check the weather for San Francisco, CA:"),
                        ToolUseParam.of(
                                "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                                "get_weather",
                                map("location", "San Francisco, CA", "unit", "fahrenheit"))),
                mapped.messages().get(1).content());
        assertEquals(
                List.of(ToolResultParam.of("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "15 degrees")),
                mapped.messages().get(2).content());
    }

    @Test
    void toMessageRequest_minimal_defaultMaxTokensAndNoOptionalFields() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .build();
        assertEquals(
                "{\"model\":\"m\",\"max_tokens\":" + AnthropicRequests.DEFAULT_MAX_TOKENS + ",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}],\"stream\":true}",
                RequestJson.write(AnthropicRequests.toMessageRequest(request), true));
        assertEquals(4096, AnthropicRequests.DEFAULT_MAX_TOKENS);
    }

    @Test
    void toMessageRequest_temperatureAboveOne_refusedNamingIt() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .temperature(1.5)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(request));
        assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void toMessageRequest_temperatureOne_accepted() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .temperature(1)
                .build();
        assertEquals(
                1.0, AnthropicRequests.toMessageRequest(request).temperature().orElseThrow());
    }

    @Test
    void toMessageRequest_toolCallArgumentsNotAnObject_refusedNamingTheCall() {
        for (String arguments : List.of("{\"city\":", "[1,2]")) {
            ChatRequest request = ChatRequest.builder()
                    .model("m")
                    .addMessage(ChatMessage.user("Hi"))
                    .addMessage(new ChatMessage(
                            ChatMessage.Role.ASSISTANT,
                            "",
                            List.of(ToolCall.of(0, "toolu_9", "f", arguments)),
                            List.of()))
                    .build();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(request));
            assertTrue(e.getMessage().contains("toolu_9"), e.getMessage());
        }
    }

    @Test
    void toMessageRequest_partialCallWithBrokenArgumentsText_refusedRatherThanSendingAGuessedValue() {
        // a call of a partial response: its parsed value is the best effort, its error not yet known
        ToolCall partial = new ToolCall(0, "toolu_9", "f", "{\"city\": \"Par", Map.of("city", "Par"), null);
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .addMessage(new ChatMessage(ChatMessage.Role.ASSISTANT, "", List.of(partial), List.of()))
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(request));
        assertTrue(
                e.getMessage().contains("toolu_9") && e.getMessage().contains("unterminated string"), e.getMessage());
    }

    @Test
    void toMessageRequest_toolWithEmptyDescription_descriptionLeftOut() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .addTool(new Tool("noop", "", map("type", "object")))
                .build();
        assertTrue(RequestJson.write(AnthropicRequests.toMessageRequest(request), true)
                .contains("\"tools\":[{\"name\":\"noop\",\"input_schema\":{\"type\":\"object\"}}]"));
    }

    @Test
    void toMessageRequest_toolNameTheApiRefuses_refusedNamingIt() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .addTool(new Tool("get weather", "", map("type", "object")))
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(request));
        assertTrue(e.getMessage().contains("get weather"), e.getMessage());
    }

    private static ChatResponse aggregate(String fixture) {
        ChunkAggregator aggregator = new ChunkAggregator();
        AnthropicChunks mapper = new AnthropicChunks(Clock.systemUTC(), System::nanoTime, System.nanoTime());
        for (StreamEvent e : FixtureEvents.decode(fixture)) mapper.map(e).ifPresent(aggregator::accept);
        return aggregator.result();
    }

    @Test
    void toMessageRequest_thinkingResponseRepeated_thinkingBlockWithSignatureFirstThenText() {
        ChatResponse response = aggregate("thinking-with-signature");
        assertEquals("anthropic", response.providerState().provider());
        MessageRequest mapped = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("27 * 453?"))
                .addMessage(ChatMessage.assistant(response))
                .addMessage(ChatMessage.user("Thanks"))
                .build());
        List<ContentBlockParam> content = mapped.messages().get(1).content();
        assertEquals(
                new ThinkingParam(response.thinking(), "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds/sig+A=="),
                content.get(0));
        assertEquals(List.of(TextParam.of(response.text())), content.subList(1, content.size()));
    }

    @Test
    void toMessageRequest_stateWithRedactedThinkingAndToolUse_blocksKeepTheirPlaces() {
        String state = "[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig1\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"enc\"},{\"type\":\"tool_use\",\"id\":\"t2\"},"
                + "{\"type\":\"thinking\",\"thinking\":\"more\",\"signature\":\"sig2\"},{\"type\":\"text\"},"
                + "{\"type\":\"tool_use\",\"id\":\"t1\"}]";
        ChatMessage assistant = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                "Checking.",
                List.of(
                        ToolCall.of(0, "t1", "get_weather", "{\"city\":\"Oslo\"}"),
                        ToolCall.of(1, "t2", "get_weather", "{}")),
                List.of(),
                new dev.sluice.chat.ProviderState("anthropic", state));
        MessageRequest mapped = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(assistant)
                .build());
        assertEquals(
                List.of(
                        new ThinkingParam("hmm", "sig1"),
                        new RedactedThinkingParam("enc"),
                        ToolUseParam.of("t2", "get_weather", map()),
                        new ThinkingParam("more", "sig2"),
                        TextParam.of("Checking."),
                        ToolUseParam.of("t1", "get_weather", map("city", "Oslo"))),
                mapped.messages().get(1).content());
    }

    @Test
    void toMessageRequest_otherProvidersState_ignored() {
        ChatMessage assistant = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                "Hi",
                List.of(),
                List.of(),
                new dev.sluice.chat.ProviderState("gemini", "{\"calls\":{}}"));
        MessageRequest mapped = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(assistant)
                .build());
        assertEquals(List.of(TextParam.of("Hi")), mapped.messages().get(1).content());
    }

    @Test
    void toMessageRequest_corruptState_refusedSayingWhatToDo() {
        ChatMessage assistant = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                "Hi",
                List.of(),
                List.of(),
                new dev.sluice.chat.ProviderState("anthropic", "{not json"));
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(assistant)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(request));
        assertTrue(e.getMessage().contains("ChatMessage.assistant(response)"), e.getMessage());
    }

    @Test
    void toMessageRequest_thinkingBudget_enabledAndMaxTokensAboveIt() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .thinkingBudget(2048)
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(json.contains("\"max_tokens\":" + (2048 + AnthropicRequests.DEFAULT_MAX_TOKENS)), json);
        assertTrue(json.contains("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}"), json);
        ChatRequest tooSmall = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .thinkingBudget(2048)
                .maxTokens(2048)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(tooSmall));
        assertTrue(e.getMessage().contains("maxTokens (2048)"), e.getMessage());
    }

    @Test
    void aggregate_responseWithoutThinking_hasNoProviderState() {
        assertEquals(null, aggregate("tool-use-weather").providerState());
    }

    @Test
    void toMessageRequest_userDocuments_documentBlocksTitledBeforeTheImagesAndText() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .addMessage(ChatMessage.user(
                        "Summarize",
                        List.of(dev.sluice.chat.Image.base64("image/png", "iVBORw0KGgo=")),
                        List.of(Document.pdf("JVBERi0=", "report.pdf"), new Document("text/plain", "aGk=", null))))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(
                json.contains(
                        "\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":"
                                + "\"application/pdf\",\"data\":\"JVBERi0=\"},\"title\":\"report.pdf\"},{\"type\":\"document\","
                                + "\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"hi\"}},{\"type\":\"image\","),
                json);
        assertTrue(json.indexOf("\"text\":\"Summarize\"") > json.indexOf("\"type\":\"image\""), json);
        IllegalArgumentException csv = assertThrows(
                IllegalArgumentException.class,
                () -> AnthropicRequests.toMessageRequest(ChatRequest.builder()
                        .model("claude-sonnet-4-5")
                        .addMessage(
                                ChatMessage.user("Read", List.of(), List.of(new Document("text/csv", "YQ==", null))))
                        .build()));
        assertEquals(
                "Anthropic reads documents of the types application/pdf and text/plain, not text/csv",
                csv.getMessage());
    }

    @Test
    void toMessageRequest_cacheMarks_cacheControlOnTheSystemBlockAndTheMarkedMessagesLastBlock() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .system("You are terse.")
                .promptCache(PromptCache.systemPrompt())
                .addMessage(ChatMessage.user(
                                "The report",
                                List.of(dev.sluice.chat.Image.base64("image/png", "iVBORw0KGgo=")),
                                List.of(Document.pdf("JVBERi0=", null)))
                        .withCacheMark(true))
                .addMessage(ChatMessage.assistant("Read."))
                .addMessage(ChatMessage.user("The question"))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(
                json.contains(
                        "\"system\":[{\"type\":\"text\",\"text\":\"You are terse.\",\"cache_control\":{\"type\":\"ephemeral\"}}]"),
                json);
        assertTrue(
                json.contains(
                        "{\"type\":\"text\",\"text\":\"The report\",\"cache_control\":{\"type\":\"ephemeral\"}}]}"),
                json);
        assertEquals(2, json.split("cache_control", -1).length - 1, "the two marks only: " + json);
    }

    @Test
    void toMessageRequest_consecutiveUserMessages_oneTurnOfSeparateTextBlocks() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .addMessage(ChatMessage.user("<environment_context>2026-11-28</environment_context>"))
                .addMessage(ChatMessage.user("What makes bread rise?"))
                .build();
        String json = RequestJson.write(AnthropicRequests.toMessageRequest(request), true);
        assertTrue(
                json.contains("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                        + "\"<environment_context>2026-11-28</environment_context>\"},{\"type\":\"text\",\"text\":"
                        + "\"What makes bread rise?\"}]}]"),
                json);
    }

    @Test
    void toMessageRequest_providerFiles_fileSourcesWithTheFilesBetaAndAnotherProvidersRefused() {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-5-5")
                .addMessage(ChatMessage.user("Compare")
                        .withFiles(List.of(
                                new ProviderFile("anthropic", "file_011", "application/pdf"),
                                new ProviderFile("anthropic", "file_012", "image/png"))))
                .build();
        MessageRequest mapped = AnthropicRequests.toMessageRequest(request);
        String json = RequestJson.write(mapped, true);
        assertTrue(
                json.contains("{\"type\":\"document\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}},"
                        + "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_012\"}},"
                        + "{\"type\":\"text\",\"text\":\"Compare\"}"),
                json);
        assertEquals(List.of("files-api-2025-04-14"), mapped.betas());
        IllegalArgumentException other = assertThrows(
                IllegalArgumentException.class,
                () -> AnthropicRequests.toMessageRequest(ChatRequest.builder()
                        .model("claude-sonnet-5-5")
                        .addMessage(ChatMessage.user("Read")
                                .withFiles(List.of(new ProviderFile("openai", "file-abc", "application/pdf"))))
                        .build()));
        assertEquals(
                "file file-abc is openai's (its Files API gave the id): a request to anthropic cannot name it; send the"
                        + " file's bytes (Document, Image) instead",
                other.getMessage());
    }
}
