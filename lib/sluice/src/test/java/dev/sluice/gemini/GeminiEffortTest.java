package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.models.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiEffortTest {
    private static String json(String model, Effort effort) {
        ChatRequest r = ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hi"))
                .effort(effort)
                .build();
        return GeminiJson.request(GeminiRequests.of(r, StructuredOutputMode.AUTO, "gemini", false));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "gemini-3.5-flash | low | \"thinkingLevel\":\"LOW\"",
                "gemini-3-pro | medium | \"thinkingLevel\":\"HIGH\"",
                "gemini-3.1-pro-preview | max | \"thinkingLevel\":\"HIGH\"",
                "gemini-3.5-flash | minimal | \"thinkingLevel\":\"MINIMAL\"",
                "gemini-3.7-flash | minimal | \"thinkingLevel\":\"LOW\"",
                "gemini-3.8-flash | minimal | \"thinkingLevel\":\"LOW\"",
                "gemini-2.5-flash | none | \"thinkingBudget\":0",
                "gemini-2.5-flash | max | \"thinkingBudget\":24576",
                "gemini-2.5-pro | low | \"thinkingBudget\":2048",
                "gemini-9-ultra | xhigh | \"thinkingLevel\":\"HIGH\"",
            })
    void effort_eachModel_sentAsItsThinkingConfig(String model, String effort, String sent) {
        String json = json(model, Effort.of(effort));
        assertTrue(json.contains(sent), json);
        assertFalse(json.contains("thinkingLevel") && json.contains("thinkingBudget"), json);
    }

    @Test
    void effortNone_modelThatAlwaysThinks_errorNamingModelAndParameter() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> json("gemini-3.5-flash", Effort.NONE));
        assertTrue(e.getMessage().contains("model gemini-3.5-flash")
                && e.getMessage().contains("effort none"));
        assertThrows(IllegalArgumentException.class, () -> json("gemini-2.5-pro", Effort.NONE));
    }

    @Test
    void generationConfig_levelAndBudgetTogether_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> GenerationConfig.builder()
                        .thinkingLevel("LOW")
                        .thinkingBudget(10)
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GenerationConfig.builder().thinkingLevel("low").build());
    }

    @Test
    void maxTokens_aboveTheModelsOutputLimit_clearErrorBeforeAnyRequest() {
        ChatRequest r = ChatRequest.builder()
                .model("gemini-3.5-flash")
                .addMessage(ChatMessage.user("hi"))
                .maxTokens(65537)
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GeminiRequests.of(r, StructuredOutputMode.AUTO, "gemini", false));
        assertTrue(
                e.getMessage().contains("model gemini-3.5-flash writes at most 65536 output tokens"), e.getMessage());
    }

    @Test
    void lastMessageTheAssistants_geminiRefusesIt_clearErrorBeforeAnyRequest() {
        ChatRequest prefilled = ChatRequest.builder()
                .model("gemini-3.5-flash")
                .addMessage(ChatMessage.user("hi"))
                .addMessage(ChatMessage.assistant("Once upon"))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GeminiRequests.of(prefilled, StructuredOutputMode.AUTO, "gemini", false));
        assertTrue(e.getMessage().contains("model gemini-3.5-flash refuses an assistant prefill"), e.getMessage());
        ChatRequest unknown = ChatRequest.builder()
                .model("my-gemma")
                .addMessage(ChatMessage.user("hi"))
                .addMessage(ChatMessage.assistant("Once upon"))
                .build();
        assertTrue(GeminiJson.request(GeminiRequests.of(unknown, StructuredOutputMode.AUTO, "gemini", false))
                .contains("Once upon"));
    }

    @ParameterizedTest
    @CsvSource({"gemini-3.6-flash, false", "gemini-3.5-flash-lite, false", "gemini-3.8-flash, true", "my-gemma, true"})
    void temperature_modelThatIgnoresSampling_leftOut(String model, boolean sent) {
        ChatRequest r = ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hi"))
                .temperature(0.2)
                .build();
        String json = GeminiJson.request(GeminiRequests.of(r, StructuredOutputMode.AUTO, "gemini", false));
        assertEquals(sent, json.contains("\"temperature\""), json);
    }

    @Test
    void thinkingLevel_minimalOnAFlashThatRefusesIt_errorNamingTheLevels() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ModelCatalog.find("gemini-3.7-flash").orElseThrow().checkEffortValue("thinkingLevel", "MINIMAL"));
        assertTrue(e.getMessage().contains("it takes low, medium, high"), e.getMessage());
    }
}
