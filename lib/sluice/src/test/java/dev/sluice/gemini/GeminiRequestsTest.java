package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiRequestsTest {

    private static final Tool WEATHER = new Tool(
            "get_weather",
            "Current weather",
            Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("location", Map.of("type", "string")),
                    "required",
                    List.of("location")));

    private static JsonNode json(ChatRequest request) {
        return GeminiFixtures.tree(GeminiRequests.of(request).toJson());
    }

    @Test
    void of_simpleRequest_writesSystemContentsAndGenerationConfig() {
        JsonNode body = json(ChatRequest.builder()
                .model("gemini-2.5-flash")
                .system("Be brief.")
                .addMessage(ChatMessage.user("Hi"))
                .addMessage(ChatMessage.assistant("Hello!"))
                .addMessage(ChatMessage.user("Why?"))
                .maxTokens(100)
                .temperature(0.5)
                .addStopSequence("END")
                .build());
        assertEquals(GeminiFixtures.tree("""
                {"contents":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello!"}]},
                  {"role":"user","parts":[{"text":"Why?"}]}],
                 "systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "generationConfig":{"maxOutputTokens":100,"temperature":0.5,"stopSequences":["END"]}}"""), body);
    }

    @Test
    void of_toolLoop_callsAsFunctionCallsResultsAsFunctionResponsesByName() {
        String synthetic = GeminiChunks.syntheticId("r1", 0);
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addTool(WEATHER)
                .addMessage(ChatMessage.user("Weather in Paris and Rome?"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "Checking.",
                        List.of(
                                ToolCall.of(0, synthetic, "get_weather", "{\"location\":\"Paris\"}"),
                                ToolCall.of(1, "fc_real", "get_weather", "{\"location\":\"Rome\"}")),
                        List.of()))
                .addMessage(ChatMessage.toolResults(
                        List.of(ToolResult.of(synthetic, "{\"temp\":21}"), ToolResult.error("fc_real", "timeout"))))
                .build();
        JsonNode body = json(request);
        assertEquals(GeminiFixtures.tree("""
                {"role":"model","parts":[{"text":"Checking."},
                  {"functionCall":{"name":"get_weather","args":{"location":"Paris"}}},
                  {"functionCall":{"id":"fc_real","name":"get_weather","args":{"location":"Rome"}}}]}"""), body.get("contents").get(1));
        assertEquals(GeminiFixtures.tree("""
                {"role":"user","parts":[
                  {"functionResponse":{"name":"get_weather","response":{"temp":21}}},
                  {"functionResponse":{"id":"fc_real","name":"get_weather","response":{"error":"timeout"}}}]}"""), body.get("contents").get(2));
        assertEquals(GeminiFixtures.tree("""
                [{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
                  "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]}]"""), body.get("tools"));
    }

    @Test
    void of_toolResultWithImages_inTheFunctionResponsesPartsFromGemini3AndAfterItBefore() {
        ChatRequest.Builder loop = ChatRequest.builder()
                .addMessage(ChatMessage.user("Show me the chart"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "c1", "chart", "{}")), List.of()))
                .addMessage(ChatMessage.toolResults(List.of(
                        ToolResult.of("c1", "", List.of(dev.sluice.chat.Image.base64("image/png", "iVBORw0KGgo="))))));
        assertEquals(
                GeminiFixtures.tree("""
                        {"role":"user","parts":[{"functionResponse":{"id":"c1","name":"chart","response":{"output":""},
                          "parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}}]}"""),
                json(loop.model("gemini-3.5-flash").build()).get("contents").get(2),
                "Gemini 3: multimodal function responses");
        assertEquals(
                GeminiFixtures.tree("""
                        {"role":"user","parts":[
                          {"functionResponse":{"id":"c1","name":"chart","response":{"output":"(the tool returned images: they follow the results)"}}},
                          {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                          {"text":"The image above is what the tool call chart returned."}]}"""),
                json(loop.model("gemini-2.5-flash").build()).get("contents").get(2),
                "before Gemini 3 a function response is JSON only: the image follows it");
        IllegalArgumentException url = assertThrows(
                IllegalArgumentException.class,
                () -> GeminiRequests.of(ChatRequest.builder()
                        .model("gemini-3.5-flash")
                        .addMessage(ChatMessage.user("q"))
                        .addMessage(new ChatMessage(
                                ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "c1", "f", "{}")), List.of()))
                        .addMessage(ChatMessage.toolResults(List.of(ToolResult.of(
                                "c1", "", List.of(dev.sluice.chat.Image.url("https://example.com/a.png"))))))
                        .build()));
        assertTrue(url.getMessage().startsWith("Gemini takes an image as its bytes"), url.getMessage());
    }

    @Test
    void of_plainTextResult_wrappedAsOutput() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "a", "f", "")), List.of()))
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of("a", "sunny"))))
                .build();
        JsonNode body = json(request);
        assertEquals(
                GeminiFixtures.tree("{\"functionCall\":{\"id\":\"a\",\"name\":\"f\",\"args\":{}}}"),
                body.get("contents").get(1).get("parts").get(0));
        assertEquals(
                GeminiFixtures.tree("{\"output\":\"sunny\"}"),
                body.get("contents")
                        .get(2)
                        .get("parts")
                        .get(0)
                        .get("functionResponse")
                        .get("response"));
    }

    @Test
    void of_resultWithoutEarlierCall_throwsNamingTheId() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of("nope", "x"))))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GeminiRequests.of(request));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void of_partialCallWithBrokenArgumentsText_refusedRatherThanSendingAGuessedValue() {
        // a call of a partial response: its parsed value is the best effort, its error not yet known
        ToolCall partial = new ToolCall(0, "a", "f", "{\"city\": \"Par", Map.of("city", "Par"), null);
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(new ChatMessage(ChatMessage.Role.ASSISTANT, "", List.of(partial), List.of()))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GeminiRequests.of(request));
        assertTrue(e.getMessage().contains("tool call a"), e.getMessage());
    }

    @Test
    void of_callArgumentsNotAnObject_throws() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "", List.of(ToolCall.of(0, "a", "f", "[1]")), List.of()))
                .build();
        assertThrows(IllegalArgumentException.class, () -> GeminiRequests.of(request));
    }

    @Test
    void toJson_generationConfigThinking_written() {
        GenerateContentRequest request = GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("q")))
                .generationConfig(GenerationConfig.builder()
                        .topP(0.9)
                        .topK(40)
                        .thinkingBudget(1024)
                        .includeThoughts(true)
                        .build())
                .build();
        assertEquals(GeminiFixtures.tree("""
                {"contents":[{"role":"user","parts":[{"text":"q"}]}],
                 "generationConfig":{"topP":0.9,"topK":40,"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}"""), GeminiFixtures.tree(request.toJson()));
    }

    @Test
    void builders_badArguments_namedInMessage() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> GenerationConfig.builder().maxOutputTokens(0))
                .getMessage()
                .contains("maxOutputTokens"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> GenerationConfig.builder().topP(1.5))
                .getMessage()
                .contains("topP"));
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> GenerateContentRequest.builder().build())
                .getMessage()
                .contains("addContent"));
        assertThrows(
                IllegalArgumentException.class,
                () -> GenerateContentRequest.builder()
                        .addFunction(new FunctionDeclaration("f", "", Map.of()))
                        .addFunction(new FunctionDeclaration("f", "", Map.of())));
    }

    @Test
    void of_streamedSignaturesRepeated_putBackOnTheSameParts() {
        GeminiChunks chunks = new GeminiChunks("m", () -> 0L);
        dev.sluice.chat.ChunkAggregator aggregator = new dev.sluice.chat.ChunkAggregator();
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0,
                                Content.model(
                                        new TextPart("Let me look.", null),
                                        new FunctionCallPart(null, "get_weather", Map.of("location", "Oslo"), "sigA"),
                                        new FunctionCallPart(null, "get_weather", Map.of("location", "Rome"), null)),
                                null,
                                null,
                                List.of(),
                                List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0, Content.model(new TextPart("", "sigT")), "STOP", null, List.of(), List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        dev.sluice.chat.ChatResponse response = aggregator.result();
        assertEquals("gemini", response.providerState().provider());
        JsonNode body = json(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Weather in Oslo and Rome?"))
                .addMessage(ChatMessage.assistant(response))
                .addMessage(ChatMessage.toolResults(List.of(
                        ToolResult.of(response.toolCalls().get(0).id(), "{}"),
                        ToolResult.of(response.toolCalls().get(1).id(), "{}"))))
                .build());
        assertEquals(GeminiFixtures.tree("""
                {"role":"model","parts":[{"text":"Let me look."},
                  {"functionCall":{"name":"get_weather","args":{"location":"Oslo"}},"thoughtSignature":"sigA"},
                  {"functionCall":{"name":"get_weather","args":{"location":"Rome"}}},
                  {"text":"","thoughtSignature":"sigT"}]}"""), body.get("contents").get(1));
    }

    /** A response on Vertex AI: a streamed call with its signature first, then a parallel call sent whole. */
    private static dev.sluice.chat.ChatResponse vertexResponse() {
        GeminiChunks chunks = new GeminiChunks("gemini-3-pro-preview", () -> 0L, "vertex");
        dev.sluice.chat.ChunkAggregator aggregator = new dev.sluice.chat.ChunkAggregator();
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0,
                                Content.model(
                                        new PartialFunctionCallPart(null, "get_weather", List.of(), true, "sigV")),
                                null,
                                null,
                                List.of(),
                                List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0,
                                Content.model(new PartialFunctionCallPart(
                                        null, null, List.of(new PartialArg("$.location", "Os", true)), true, null)),
                                null,
                                null,
                                List.of(),
                                List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0,
                                Content.model(
                                        new PartialFunctionCallPart(
                                                null,
                                                null,
                                                List.of(new PartialArg("$.location", "lo", false)),
                                                false,
                                                null),
                                        new FunctionCallPart(null, "get_weather", Map.of("location", "Rome"), null)),
                                "STOP",
                                null,
                                List.of(),
                                List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        return aggregator.result();
    }

    private static ChatRequest next(dev.sluice.chat.ChatResponse response) {
        return ChatRequest.builder()
                .model("gemini-3-pro-preview")
                .addMessage(ChatMessage.user("Weather in Oslo and Rome?"))
                .addMessage(ChatMessage.assistant(response))
                .addMessage(ChatMessage.toolResults(List.of(
                        ToolResult.of(response.toolCalls().get(0).id(), "{}"),
                        ToolResult.of(response.toolCalls().get(1).id(), "{}"))))
                .addTool(WEATHER)
                .build();
    }

    @Test
    void of_vertexStreamedCallSignature_backOnTheFirstCallWithWholeArguments_onVertexOnly() {
        dev.sluice.chat.ChatResponse response = vertexResponse();
        assertEquals("vertex", response.providerState().provider());
        JsonNode vertex = GeminiFixtures.tree(
                GeminiRequests.of(next(response), dev.sluice.client.StructuredOutputMode.AUTO, "vertex", false)
                        .toJson());
        assertEquals(GeminiFixtures.tree("""
                {"role":"model","parts":[
                  {"functionCall":{"name":"get_weather","args":{"location":"Oslo"}},"thoughtSignature":"sigV"},
                  {"functionCall":{"name":"get_weather","args":{"location":"Rome"}}}]}"""), vertex.get("contents").get(1));
        JsonNode gemini = json(next(response)); // Gemini's own API: another provider's state is not sent
        assertFalse(gemini.get("contents").get(1).toString().contains("sigV"));
        assertEquals(
                GeminiRequests.UNSIGNED_STEP,
                gemini.at("/contents/1/parts/0/thoughtSignature").asText(),
                "a step Gemini 3 on this API did not produce");
    }

    @Test
    void of_gemini3CurrentTurnStepWithoutOwnState_firstCallMarkedUnsigned_olderTurnsAndOwnStateUntouched() {
        ToolCall call = ToolCall.of(0, "c1", "get_weather", "{\"location\":\"Oslo\"}");
        ToolCall parallel = ToolCall.of(1, "c2", "get_weather", "{\"location\":\"Rome\"}");
        ChatMessage handMade = new ChatMessage(ChatMessage.Role.ASSISTANT, "", List.of(call, parallel), List.of());
        ChatMessage results = ChatMessage.toolResults(List.of(ToolResult.of("c1", "{}"), ToolResult.of("c2", "{}")));
        List<ChatMessage> history = List.of(
                ChatMessage.user("Weather?"),
                handMade,
                results,
                ChatMessage.assistant("Clear."),
                ChatMessage.user("And now?"),
                handMade,
                results);
        JsonNode body = GeminiFixtures.tree(GeminiRequests.of(
                        ChatRequest.builder()
                                .model("gemini-3-pro-preview")
                                .messages(history)
                                .addTool(WEATHER)
                                .build(),
                        dev.sluice.client.StructuredOutputMode.AUTO,
                        "gemini",
                        false)
                .toJson());
        assertFalse(body.at("/contents/1/parts/0").has("thoughtSignature"), "an earlier turn is not checked");
        assertEquals(
                GeminiRequests.UNSIGNED_STEP,
                body.at("/contents/5/parts/0/thoughtSignature").asText());
        assertFalse(body.at("/contents/5/parts/1").has("thoughtSignature"), "only the step's first call");
        JsonNode older = json(ChatRequest.builder()
                .model("gemini-2.5-flash")
                .messages(history)
                .addTool(WEATHER)
                .build());
        assertFalse(older.toString().contains("thoughtSignature"), "a model before Gemini 3 checks nothing");
        JsonNode own = GeminiFixtures.tree(GeminiRequests.of(
                        ChatRequest.builder()
                                .model("gemini-3-pro-preview")
                                .messages(List.of(
                                        ChatMessage.user("Weather?"),
                                        new ChatMessage(
                                                ChatMessage.Role.ASSISTANT,
                                                "",
                                                List.of(call, parallel),
                                                List.of(),
                                                new dev.sluice.chat.ProviderState(
                                                        "gemini", "{\"calls\":{\"0\":\"c2ln\"}}")),
                                        results))
                                .addTool(WEATHER)
                                .build(),
                        dev.sluice.client.StructuredOutputMode.AUTO,
                        "gemini",
                        false)
                .toJson());
        assertEquals("c2ln", own.at("/contents/1/parts/0/thoughtSignature").asText());
    }

    @Test
    void of_streamArguments_askedInToolConfigWithAutoOrTheChoice() {
        JsonNode auto = GeminiFixtures.tree(GeminiRequests.of(
                        ChatRequest.builder()
                                .model("m")
                                .addMessage(ChatMessage.user("q"))
                                .addTool(WEATHER)
                                .build(),
                        dev.sluice.client.StructuredOutputMode.AUTO,
                        "vertex",
                        true)
                .toJson());
        assertEquals(
                GeminiFixtures.tree(
                        "{\"functionCallingConfig\":{\"mode\":\"AUTO\",\"streamFunctionCallArguments\":true}}"),
                auto.get("toolConfig"));
        JsonNode named = GeminiFixtures.tree(GeminiRequests.of(
                        ChatRequest.builder()
                                .model("m")
                                .addMessage(ChatMessage.user("q"))
                                .addTool(WEATHER)
                                .toolChoice(dev.sluice.chat.ToolChoice.named("get_weather"))
                                .build(),
                        dev.sluice.client.StructuredOutputMode.AUTO,
                        "vertex",
                        true)
                .toJson());
        assertEquals(
                GeminiFixtures.tree(
                        "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"],"
                                + "\"streamFunctionCallArguments\":true}}"),
                named.get("toolConfig"));
        JsonNode noTools = GeminiFixtures.tree(GeminiRequests.of(
                        ChatRequest.builder()
                                .model("m")
                                .addMessage(ChatMessage.user("q"))
                                .build(),
                        dev.sluice.client.StructuredOutputMode.AUTO,
                        "vertex",
                        true)
                .toJson());
        assertFalse(noTools.has("toolConfig"));
    }

    @Test
    void of_textSignatureInLaterEmptyChunk_putOnTheText() {
        GeminiChunks chunks = new GeminiChunks("m", () -> 0L);
        dev.sluice.chat.ChunkAggregator aggregator = new dev.sluice.chat.ChunkAggregator();
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0, Content.model(new TextPart("Hello", null)), null, null, List.of(), List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        aggregator.accept(chunks.map(
                new GenerateContentResponse(
                        List.of(new Candidate(
                                0, Content.model(new TextPart("", "sigT")), "STOP", null, List.of(), List.of())),
                        null,
                        null,
                        "",
                        "r1"),
                java.time.Instant.EPOCH,
                0L));
        JsonNode body = json(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Hi"))
                .addMessage(ChatMessage.assistant(aggregator.result()))
                .addMessage(ChatMessage.user("And?"))
                .build());
        assertEquals(
                GeminiFixtures.tree(
                        "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\",\"thoughtSignature\":\"sigT\"}]}"),
                body.get("contents").get(1));
    }

    @Test
    void of_schemaWithinGeminiSubset_sentAsParameters() {
        JsonNode body = json(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addTool(WEATHER)
                .build());
        JsonNode declaration =
                body.get("tools").get(0).get("functionDeclarations").get(0);
        assertTrue(declaration.has("parameters"));
        assertFalse(declaration.has("parametersJsonSchema"));
    }

    @Test
    void of_schemaBeyondGeminiSubset_sentAsParametersJsonSchema() {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "additionalProperties",
                false,
                "properties",
                Map.of("unit", Map.of("type", List.of("string", "null")), "where", Map.of("$ref", "#/$defs/place")),
                "$defs",
                Map.of("place", Map.of("type", "string")));
        JsonNode body = json(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addTool(new Tool("f", "", schema))
                .build());
        JsonNode declaration =
                body.get("tools").get(0).get("functionDeclarations").get(0);
        assertFalse(declaration.has("parameters"));
        assertEquals(
                GeminiFixtures.tree(dev.sluice.internal.low.json.Json.write(schema)),
                declaration.get("parametersJsonSchema"));
    }

    @Test
    void functionDeclaration_schemaFieldChosenOrForced() {
        Map<String, Object> nested = Map.of(
                "type",
                "object",
                "properties",
                Map.of("a", Map.of("type", "object", "properties", Map.of("b", Map.of("const", 1)))));
        assertEquals(
                "parametersJsonSchema", new FunctionDeclaration("f", "", nested).schemaFieldName(), "found at depth");
        assertEquals(
                "parameters",
                new FunctionDeclaration("f", "", nested, FunctionDeclaration.SchemaField.PARAMETERS).schemaFieldName());
        assertEquals(
                "parametersJsonSchema",
                new FunctionDeclaration(
                                "f",
                                "",
                                Map.of("type", "object"),
                                FunctionDeclaration.SchemaField.PARAMETERS_JSON_SCHEMA)
                        .schemaFieldName());
        assertEquals(
                "parameters",
                new FunctionDeclaration(
                                "f",
                                "",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        Map.of("n", Map.of("type", "integer", "minimum", 0, "enum", List.of(1, 2)))))
                        .schemaFieldName());
    }

    @Test
    void of_thinkingBudget_thinkingConfigWithThoughts() {
        JsonNode body = json(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .thinkingBudget(2048)
                .build());
        assertEquals(
                GeminiFixtures.tree("{\"thinkingBudget\":2048,\"includeThoughts\":true}"),
                body.get("generationConfig").get("thinkingConfig"));
    }

    @Test
    void of_userDocument_inlineDataBeforeTheTextAndAnUnreadTypeRefused() {
        ChatRequest r = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .addMessage(ChatMessage.user("Summarize", List.of(), List.of(Document.pdf("JVBERi0=", "a.pdf"))))
                .build();
        assertEquals(GeminiFixtures.tree("""
                        {"role":"user","parts":[{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}},
                          {"text":"Summarize"}]}"""), json(r).get("contents").get(0));
        IllegalArgumentException docx = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("gemini-2.5-flash")
                        .addMessage(ChatMessage.user(
                                "Read", List.of(), List.of(new Document("application/msword", "YQ==", null))))
                        .build()));
        assertEquals(
                "Gemini reads documents of the types application/pdf and text/plain, not application/msword",
                docx.getMessage());
    }

    @Test
    void of_userAudio_inlineDataWithGeminisAudioType() {
        ChatRequest r = ChatRequest.builder()
                .model("gemini-3.8-flash")
                .addMessage(ChatMessage.user(
                        "What is said?", List.of(), List.of(Document.audio(Document.MP3, "SUQz", "talk.mp3"))))
                .build();
        assertEquals(GeminiFixtures.tree("""
                        {"role":"user","parts":[{"inlineData":{"mimeType":"audio/mp3","data":"SUQz"}},
                          {"text":"What is said?"}]}"""), json(r).get("contents").get(0));
        IllegalArgumentException midi = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("gemini-3.8-flash")
                        .addMessage(ChatMessage.user(
                                "Hear", List.of(), List.of(Document.audio("audio/midi", "TVRoZA==", null))))
                        .build()));
        assertTrue(midi.getMessage().startsWith("Gemini reads audio of the types ["), midi.getMessage());
    }

    @Test
    void of_userImageByHttpsUrl_fileDataWithTheTypeItsNameSays_otherSchemesRefusedWithoutTheUrl() {
        ChatRequest r = ChatRequest.builder()
                .model("gemini-3.8-flash")
                .addMessage(ChatMessage.user(
                        "Describe",
                        List.of(
                                dev.sluice.chat.Image.url("https://example.com/cat.PNG?X-Amz-Signature=abc"),
                                dev.sluice.chat.Image.url("https://example.com/photo"))))
                .build();
        assertEquals(GeminiFixtures.tree("""
                        {"role":"user","parts":[
                          {"fileData":{"mimeType":"image/png","fileUri":"https://example.com/cat.PNG?X-Amz-Signature=abc"}},
                          {"fileData":{"fileUri":"https://example.com/photo"}},
                          {"text":"Describe"}]}"""), json(r).get("contents").get(0));
        IllegalArgumentException http = assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("gemini-3.8-flash")
                        .addMessage(ChatMessage.user(
                                "Describe",
                                List.of(dev.sluice.chat.Image.url("http://example.com/a.png?token=s3cret"))))
                        .build()));
        assertEquals(
                "Gemini fetches images from https (and gs://) URLs only, not http: URLs: send the image's bytes,"
                        + " base64-encoded, or an https URL",
                http.getMessage());
    }

    @Test
    void of_providerFile_fileDataWithItsUriAndTypeAnotherProvidersRefused() {
        String uri = "https://generativelanguage.googleapis.com/v1beta/files/abc";
        ChatRequest r = ChatRequest.builder()
                .model("gemini-3.8-flash")
                .addMessage(ChatMessage.user("Summarize")
                        .withFiles(List.of(new dev.sluice.chat.ProviderFile("gemini", uri, "application/pdf"))))
                .build();
        assertEquals(
                GeminiFixtures.tree("""
                        {"role":"user","parts":[{"fileData":{"mimeType":"application/pdf","fileUri":"%s"}},
                          {"text":"Summarize"}]}""".formatted(uri)), json(r).get("contents").get(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("gemini-3.8-flash")
                        .addMessage(ChatMessage.user("Summarize")
                                .withFiles(List.of(
                                        new dev.sluice.chat.ProviderFile("anthropic", "file_011", "application/pdf"))))
                        .build()));
    }

    @Test
    void of_consecutiveUserMessages_oneUserContentOfSeparateParts() {
        ChatRequest r = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .addMessage(ChatMessage.user("<environment_context>2026-11-28</environment_context>"))
                .addMessage(ChatMessage.user("What makes bread rise?"))
                .build();
        assertEquals(GeminiFixtures.tree("""
                        [{"role":"user","parts":[{"text":"<environment_context>2026-11-28</environment_context>"},
                          {"text":"What makes bread rise?"}]}]"""), json(r).get("contents"));
    }

    @Test
    void of_showThinking_includeThoughtsWithTheModelsOwnThinking() {
        JsonNode body = json(ChatRequest.builder()
                .model("gemini-3.6-flash")
                .addMessage(ChatMessage.user("Hi"))
                .showThinking(true)
                .build());
        assertEquals(
                GeminiFixtures.tree("{\"includeThoughts\":true}"),
                body.get("generationConfig").get("thinkingConfig"),
                body.toString());
        assertThrows(
                IllegalArgumentException.class,
                () -> json(ChatRequest.builder()
                        .model("gemini-2.0-flash")
                        .addMessage(ChatMessage.user("Hi"))
                        .showThinking(true)
                        .build()));
    }
}
