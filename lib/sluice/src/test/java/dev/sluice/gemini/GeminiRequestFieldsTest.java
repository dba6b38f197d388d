package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.vertex.VertexTesting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request's {@code safetySettings} and {@code cachedContent} (google-genai 2.0's
 * {@code SafetySetting} and {@code GenerateContentConfig.cachedContent()}), as the client sends them
 * to the test kit's server on the Gemini API and on Vertex AI: the cache's name completed for each
 * API, a safety setting's {@code method} sent to Vertex AI and refused on the Gemini API (as the SDK
 * refuses it), and a cache with a system instruction, functions or a tool config refused as the API
 * refuses it.
 */
class GeminiRequestFieldsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @TempDir
    Path dir;

    private static final String MODEL = "gemini-3.5-flash";

    private GeminiClient client(boolean vertex) {
        GeminiClient.Builder b = GeminiClient.builder().retryPolicy(RetryPolicy.none());
        if (vertex)
            return b.vertex(VertexTesting.serviceAccount(FAKE.server(), dir, "us-central1"))
                    .build();
        return b.apiKey("k").baseUrl(FAKE.server().baseUrl().toString()).build();
    }

    private RecordedRequest sent(boolean vertex, GenerateContentRequest request) {
        try (GeminiClient c = client(vertex);
                GenerateContentStream s = c.streamGenerateContent(MODEL, request)) {
            s.forEach(e -> {});
        }
        List<RecordedRequest> all = FAKE.server().requests();
        return all.stream()
                .filter(r -> r.path().contains(":streamGenerateContent"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private static GenerateContentRequest.Builder ask() {
        return GenerateContentRequest.builder().addContent(Content.user(Part.text("hi")));
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void stream_safetySettings_sentInOrder(boolean vertex) {
        RecordedRequest q = sent(
                vertex,
                ask().addSafetySetting(SafetySetting.of("HARM_CATEGORY_DANGEROUS_CONTENT", "BLOCK_ONLY_HIGH"))
                        .addSafetySetting(SafetySetting.of("HARM_CATEGORY_HARASSMENT", "OFF"))
                        .build());
        assertEquals(
                List.of(
                        Map.of("category", "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold", "BLOCK_ONLY_HIGH"),
                        Map.of("category", "HARM_CATEGORY_HARASSMENT", "threshold", "OFF")),
                q.json("/safetySettings"));
    }

    @Test
    void stream_safetyMethodOnVertex_sent() {
        RecordedRequest q = sent(
                true,
                ask().addSafetySetting(
                                new SafetySetting("HARM_CATEGORY_HATE_SPEECH", "BLOCK_LOW_AND_ABOVE", "SEVERITY"))
                        .build());
        assertEquals("SEVERITY", q.json("/safetySettings/0/method"));
    }

    @Test
    void stream_safetyMethodOnTheGeminiApi_refusedBeforeAnyRequest() {
        GenerateContentRequest request = ask().addSafetySetting(
                        new SafetySetting("HARM_CATEGORY_HATE_SPEECH", "BLOCK_LOW_AND_ABOVE", "SEVERITY"))
                .build();
        try (GeminiClient c = client(false)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> c.streamGenerateContent(MODEL, request));
            assertTrue(e.getMessage().contains("HARM_CATEGORY_HATE_SPEECH has method SEVERITY"), e.getMessage());
        }
        assertEquals(0, FAKE.server().requests().size());
    }

    @ParameterizedTest
    @CsvSource({
        "false, cachedContents/abc123, cachedContents/abc123",
        "false, abc123, cachedContents/abc123",
        "true, abc123, projects/sluice-fake-project/locations/us-central1/cachedContents/abc123",
        "true, cachedContents/abc123, projects/sluice-fake-project/locations/us-central1/cachedContents/abc123",
        "true, projects/p9/locations/europe-west4/cachedContents/x, projects/p9/locations/europe-west4/cachedContents/x",
    })
    void stream_cachedContent_nameCompletedForTheApi(boolean vertex, String name, String sent) {
        RecordedRequest q = sent(vertex, ask().cachedContent(name).build());
        assertEquals(sent, q.json("/cachedContent"));
        assertNull(q.json("/systemInstruction"));
    }

    @Test
    void build_cachedContentWithSystemFunctionsOrToolConfig_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ask().cachedContent("cachedContents/a")
                        .systemInstruction("terse")
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ask().cachedContent("cachedContents/a")
                        .addFunction(new FunctionDeclaration("f", "", Map.of()))
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ask().cachedContent("cachedContents/a")
                        .toolConfig(ToolConfig.auto())
                        .build());
    }

    @Test
    void build_twoSettingsOfOneCategoryOrNoEnumName_refused() {
        GenerateContentRequest.Builder b = ask().addSafetySetting(SafetySetting.of("HARM_CATEGORY_HARASSMENT", "OFF"));
        assertThrows(
                IllegalArgumentException.class,
                () -> b.addSafetySetting(SafetySetting.of("HARM_CATEGORY_HARASSMENT", "BLOCK_NONE")));
        assertThrows(IllegalArgumentException.class, () -> SafetySetting.of("harassment", "OFF"));
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void stream_builtInToolsBesideAFunction_eachItsOwnToolsEntry(boolean vertex) {
        RecordedRequest q = sent(
                vertex,
                ask().addFunction(new FunctionDeclaration("lookup", "Looks a word up", Map.of("type", "object")))
                        .addBuiltInTool(BuiltInTool.GOOGLE_SEARCH)
                        .addBuiltInTool(BuiltInTool.CODE_EXECUTION)
                        .addBuiltInTool(BuiltInTool.URL_CONTEXT)
                        .build());
        assertEquals("lookup", q.json("/tools/0/functionDeclarations/0/name"));
        assertEquals(Map.of(), q.json("/tools/1/googleSearch"));
        assertEquals(Map.of(), q.json("/tools/2/codeExecution"));
        assertEquals(Map.of(), q.json("/tools/3/urlContext"));
        assertEquals(4, ((List<?>) q.json("/tools")).size());
    }

    @Test
    void stream_builtInToolAlone_theOnlyToolsEntry() {
        RecordedRequest q =
                sent(false, ask().addBuiltInTool(BuiltInTool.GOOGLE_SEARCH).build());
        assertEquals(List.of(Map.of("googleSearch", Map.of())), q.json("/tools"));
    }

    @Test
    void build_builtInToolTwiceOrWithACache_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ask().addBuiltInTool(BuiltInTool.URL_CONTEXT).addBuiltInTool(BuiltInTool.URL_CONTEXT));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ask().cachedContent("abc")
                        .addBuiltInTool(BuiltInTool.GOOGLE_SEARCH)
                        .build());
        assertTrue(e.getMessage().contains("may not set a system instruction, tools or a tool config"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void stream_mediaResolution_sentInGenerationConfig(boolean vertex) {
        RecordedRequest q = sent(
                vertex,
                ask().generationConfig(GenerationConfig.builder()
                                .mediaResolution("MEDIA_RESOLUTION_LOW")
                                .build())
                        .build());
        assertEquals("MEDIA_RESOLUTION_LOW", q.json("/generationConfig/mediaResolution"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GenerationConfig.builder().mediaResolution("ULTRA"));
        assertTrue(e.getMessage().contains("not ULTRA"), e.getMessage());
    }

    @Test
    void stream_thinkingLevelAlone_sent() {
        RecordedRequest q = sent(
                false,
                ask().generationConfig(
                                GenerationConfig.builder().thinkingLevel("LOW").build())
                        .build());
        assertEquals("LOW", q.json("/generationConfig/thinkingConfig/thinkingLevel"));
    }

    /** The escape the other APIs' requests have: a field this version does not model, sent after the known ones. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void stream_extraField_sentAfterTheKnownOnes_aModelledOneRefused(boolean vertex) {
        RecordedRequest q = sent(
                vertex,
                ask().generationConfig(
                                GenerationConfig.builder().maxOutputTokens(64).build())
                        .extra("labels", Map.of("team", "search"))
                        .build());
        assertEquals("search", q.json("/labels/team"), q.body());
        assertTrue(q.body().indexOf("\"labels\"") > q.body().indexOf("\"generationConfig\""), q.body());
        for (String modelled : List.of("contents", "generationConfig", "safetySettings", "tools", "cachedContent")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ask().extra(modelled, Map.of()));
            assertTrue(e.getMessage().contains("field " + modelled + " is modelled"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ask().extra("labels", new Object()));
    }
}
