package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.Document;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockRequestsTest {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object");

    private static String json(ChatRequest r) {
        return BedrockRequests.of(r, StructuredOutputMode.AUTO);
    }

    @Test
    void of_textWithSystemAndInference_converseShape() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-pro-v1:0")
                .system("Be brief.")
                .addMessage(ChatMessage.user("Hi"))
                .addMessage(ChatMessage.assistant("Hello"))
                .addMessage(ChatMessage.user("Again"))
                .maxTokens(100)
                .temperature(0.5)
                .addStopSequence("END")
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Hello\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"Again\"}]}],"
                        + "\"system\":[{\"text\":\"Be brief.\"}],"
                        + "\"inferenceConfig\":{\"maxTokens\":100,\"temperature\":0.5,\"stopSequences\":[\"END\"]}}",
                json(r));
    }

    @Test
    void of_userImages_imageBlocksBeforeTheTextAndAUrlRefused() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-pro-v1:0")
                .addMessage(ChatMessage.user(
                        "What is this?", List.of(dev.sluice.chat.Image.base64("image/png", "iVBORw0KGgo="))))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"png\",\"source\":"
                        + "{\"bytes\":\"iVBORw0KGgo=\"}}},{\"text\":\"What is this?\"}]}]}",
                json(r));
        IllegalArgumentException url = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("amazon.nova-pro-v1:0")
                        .addMessage(
                                ChatMessage.user("", List.of(dev.sluice.chat.Image.url("https://example.com/a.png"))))
                        .build()));
        assertEquals(
                "Bedrock Converse takes an image as its bytes, not by URL: send the image's bytes, base64-encoded",
                url.getMessage());
        IllegalArgumentException bmp = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("amazon.nova-pro-v1:0")
                        .addMessage(ChatMessage.user("", List.of(dev.sluice.chat.Image.base64("image/bmp", "Qk0="))))
                        .build()));
        assertEquals("Bedrock Converse reads png, jpeg, gif and webp images, not image/bmp", bmp.getMessage());
    }

    @Test
    void of_toolResultWithImages_imageBlocksBeforeItsTextInTheToolResult() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-pro-v1:0")
                .addMessage(ChatMessage.user("Show me the chart"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "t1", "chart", "{}")), List.of()))
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of(
                        "t1", "Sales by month", List.of(dev.sluice.chat.Image.base64("image/jpeg", "/9j/4AAQ"))))))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Show me the chart\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"chart\",\"input\":{}}}]},"
                        + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":["
                        + "{\"image\":{\"format\":\"jpeg\",\"source\":{\"bytes\":\"/9j/4AAQ\"}}},{\"text\":\"Sales by month\"}]}}]}]}",
                json(r));
    }

    @Test
    void of_toolsCallsAndResults_toolConfigToolUseAndToolResult() {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .addTool(new Tool("get_weather", "Weather now", SCHEMA))
                .toolChoice(ToolChoice.named("get_weather"))
                .addMessage(ChatMessage.user("Weather?"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "",
                        List.of(ToolCall.of(0, "tu1", "get_weather", "{\"city\":\"Paris\"}")),
                        List.of()))
                .addMessage(ChatMessage.toolResults(
                        List.of(ToolResult.of("tu1", "{\"temp\":21}"), ToolResult.error("tu2", "boom"))))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Weather?\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"tu1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]},"
                        + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"tu1\",\"content\":[{\"json\":{\"temp\":21}}]}},"
                        + "{\"toolResult\":{\"toolUseId\":\"tu2\",\"content\":[{\"text\":\"boom\"}],\"status\":\"error\"}}]}],"
                        + "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Weather now\","
                        + "\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}],\"toolChoice\":{\"tool\":{\"name\":\"get_weather\"}}}}",
                json(r));
    }

    @Test
    void of_toolChoices_autoAnyAndNoneLeavesToolsOut() {
        ChatRequest.Builder b = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("x"))
                .addTool(new Tool("t", "", SCHEMA));
        assertEquals(
                "{\"auto\":{}}", toolChoice(json(b.toolChoice(ToolChoice.auto()).build())));
        assertEquals(
                "{\"any\":{}}",
                toolChoice(json(b.toolChoice(ToolChoice.required()).build())));
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
                json(b.toolChoice(ToolChoice.none()).build()));
    }

    @Test
    void of_toolChoiceNoneWithToolCallsInHistory_toolsDeclaredWithoutChoice() {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .addTool(new Tool("t", "", SCHEMA))
                .toolChoice(ToolChoice.none())
                .addMessage(ChatMessage.user("x"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "a", "t", "{}")), List.of()))
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of("a", "ok"))))
                .build();
        String json = json(r);
        assertEquals(
                true,
                json.endsWith(
                        ",\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"t\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}]}}"),
                json);
    }

    private static String toolChoice(String json) {
        return json.substring(json.indexOf("\"toolChoice\":") + "\"toolChoice\":".length(), json.length() - 2);
    }

    @Test
    void of_toolCallArgumentsNotAnObject_illegalArgument() {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("x"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "a", "t", "[1]")), List.of()))
                .build();
        assertThrows(IllegalArgumentException.class, () -> json(r));
    }

    @Test
    void of_reasoningRoundTrip_signatureAndRedactedBackVerbatimBeforeText() {
        ConverseFrames frames = new ConverseFrames()
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Think.\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"Eq+/\\u00e9==\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":1,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"AAEC\"}}}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":2,\"delta\":{\"text\":\"Answer\"}}")
                .event("messageStop", "{\"stopReason\":\"end_turn\"}");
        BedrockChunks chunks = new BedrockChunks("m", () -> 0);
        ChunkAggregator agg = new ChunkAggregator();
        BedrockDecoder d = new BedrockDecoder();
        frames.messages().forEach(m -> chunks.map(d.decode(m, Instant.EPOCH, 0)).ifPresent(agg::accept));
        ChatResponse response = agg.snapshot();
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Q"))
                .addMessage(ChatMessage.assistant(response))
                .addMessage(ChatMessage.user("More"))
                .thinkingBudget(2048)
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Q\"}]},{\"role\":\"assistant\",\"content\":["
                        + "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Think.\",\"signature\":\"Eq+/\u00e9==\"}}},"
                        + "{\"reasoningContent\":{\"redactedContent\":\"AAEC\"}},{\"text\":\"Answer\"}]},"
                        + "{\"role\":\"user\",\"content\":[{\"text\":\"More\"}]}],"
                        + "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}}",
                json(r));
    }

    @Test
    void of_otherProvidersState_ignored() {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Q"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "A", List.of(), List.of(), new ProviderState("gemini", "{}")))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Q\"}]},{\"role\":\"assistant\",\"content\":[{\"text\":\"A\"}]}]}",
                json(r));
    }

    @Test
    void of_responseFormatOnClaude45_nativeOutputConfigSchemaAsText() {
        ChatRequest r = ChatRequest.builder()
                .model("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .addMessage(ChatMessage.user("x"))
                .responseFormat(new ResponseFormat("person", SCHEMA, true))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],\"outputConfig\":{\"textFormat\":"
                        + "{\"type\":\"json_schema\",\"structure\":{\"jsonSchema\":{\"schema\":\"{\\\"type\\\":\\\"object\\\"}\",\"name\":\"person\"}}}}}",
                json(r));
    }

    @Test
    void of_responseFormatOnOlderModel_forcedTool() {
        ChatRequest r = ChatRequest.builder()
                .model("anthropic.claude-3-haiku-20240307-v1:0")
                .addMessage(ChatMessage.user("x"))
                .responseFormat(new ResponseFormat("person", SCHEMA, true))
                .build();
        String json = json(r);
        assertEquals("{\"tool\":{\"name\":\"person\"}}", toolChoice(json));
        assertEquals(-1, json.indexOf("outputConfig"));
    }

    @Test
    void of_userDocuments_documentBlocksNamedBeforeTheTextAndATextBlockBesideThem() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-pro-v1:0")
                .addMessage(ChatMessage.user(
                        "",
                        List.of(),
                        List.of(Document.pdf("JVBERi0=", "Q3 report (final).pdf"), Document.pdf("JVBERi0=", null))))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"document\":{\"format\":\"pdf\",\"name\":\"Q3 report (final)\",\"source\":{\"bytes\":\"JVBERi0=\"}}},"
                        + "{\"document\":{\"format\":\"pdf\",\"name\":\"document\",\"source\":{\"bytes\":\"JVBERi0=\"}}},"
                        + "{\"text\":\"See the documents.\"}]}]}",
                json(r));
        IllegalArgumentException zip = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("amazon.nova-pro-v1:0")
                        .addMessage(ChatMessage.user(
                                "Read", List.of(), List.of(new Document("application/zip", "UEs=", null))))
                        .build()));
        assertEquals(
                "Bedrock Converse reads documents of the types pdf, csv, doc, docx, xls, xlsx, html, txt and md, not application/zip",
                zip.getMessage());
    }

    @Test
    void of_providerFile_refusedAsConverseTakesNoFileIds() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("amazon.nova-pro-v1:0")
                        .addMessage(ChatMessage.user("Read")
                                .withFiles(List.of(
                                        new dev.sluice.chat.ProviderFile("bedrock", "file-1", "application/pdf"))))
                        .build()));
        assertEquals(
                "Bedrock Converse takes no file ids (file-1): send the file's bytes (Document, Image)", e.getMessage());
    }

    @Test
    void of_userAudio_audioBlockWithItsFormatAndNoTextAddedBesideIt() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-2-sonic-v1:0")
                .addMessage(ChatMessage.user("", List.of(), List.of(Document.audio(Document.MP3, "SUQz", "talk.mp3"))))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"audio\":{\"format\":\"mp3\",\"source\":{\"bytes\":\"SUQz\"}}}]}]}",
                json(r));
        IllegalArgumentException midi = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("amazon.nova-2-sonic-v1:0")
                        .addMessage(ChatMessage.user(
                                "Hear", List.of(), List.of(Document.audio("audio/midi", "TVRoZA==", null))))
                        .build()));
        assertTrue(midi.getMessage().startsWith("Bedrock Converse reads audio of the formats ["), midi.getMessage());
        assertTrue(midi.getMessage().endsWith("], not audio/midi"), midi.getMessage());
    }

    @Test
    void of_cacheMarks_cachePointAfterTheSystemPromptAndAfterTheMarkedMessage() {
        ChatRequest r = ChatRequest.builder()
                .model("anthropic.claude-sonnet-4-5")
                .system("You are terse.")
                .promptCache(PromptCache.systemPrompt())
                .addMessage(ChatMessage.user("The long context").withCacheMark(true))
                .addMessage(ChatMessage.assistant("Read."))
                .addMessage(ChatMessage.user("The question"))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"The long context\"},{\"cachePoint\":{\"type\":\"default\"}}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Read.\"}]},"
                        + "{\"role\":\"user\",\"content\":[{\"text\":\"The question\"}]}],"
                        + "\"system\":[{\"text\":\"You are terse.\"},{\"cachePoint\":{\"type\":\"default\"}}]}",
                json(r));
    }

    @Test
    void of_consecutiveUserMessages_oneTurnOfSeparateTextBlocks() {
        ChatRequest r = ChatRequest.builder()
                .model("amazon.nova-pro-v1:0")
                .addMessage(ChatMessage.user("<environment_context>2026-11-28</environment_context>"))
                .addMessage(ChatMessage.user("What makes bread rise?"))
                .build();
        assertEquals(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"<environment_context>2026-11-28"
                        + "</environment_context>\"},{\"text\":\"What makes bread rise?\"}]}]}",
                json(r));
    }

    @Test
    void of_showThinkingOnClaude47AndLater_adaptiveSummarizedInTheAdditionalFields() {
        String json = json(ChatRequest.builder()
                .model("us.anthropic.claude-opus-4-7")
                .addMessage(ChatMessage.user("Hi"))
                .maxTokens(4000)
                .showThinking(true)
                .build());
        assertTrue(
                json.contains(
                        "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"adaptive\",\"display\":\"summarized\"}"),
                json);
    }
}
