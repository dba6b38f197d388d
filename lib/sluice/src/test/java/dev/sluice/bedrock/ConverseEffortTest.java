package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.client.StructuredOutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Claude's effort on Bedrock's Converse: in additionalModelRequestFields, as the model takes it. */
class ConverseEffortTest {
    private static String json(String model, Effort effort) {
        return BedrockRequests.of(
                ChatRequest.builder()
                        .model(model)
                        .addMessage(ChatMessage.user("hi"))
                        .effort(effort)
                        .temperature(0.3)
                        .build(),
                StructuredOutputMode.AUTO);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "us.anthropic.claude-opus-4-7 | high | {\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}}",
                "anthropic.claude-opus-4-6-v1 | xhigh | {\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"max\"}}",
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0 | low | {\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}",
                "global.anthropic.claude-haiku-5-5 | none | {\"thinking\":{\"type\":\"disabled\"}}",
                "us.anthropic.claude-sonnet-5-5 | none | {\"thinking\":{\"type\":\"between_tools\"}}",
            })
    void effort_claudeOnConverse_inAdditionalModelRequestFields(String model, String effort, String fields) {
        String json = json(model, Effort.of(effort));
        assertTrue(json.contains("\"additionalModelRequestFields\":" + fields), json);
    }

    @Test
    void temperature_claudeThatRefusesSampling_leftOut() {
        assertFalse(json("us.anthropic.claude-opus-4-7", Effort.LOW).contains("temperature"));
        assertTrue(
                json("us.anthropic.claude-sonnet-4-5-20250929-v1:0", Effort.LOW).contains("\"temperature\":0.3"));
    }

    @ParameterizedTest
    @CsvSource({"anthropic.claude-opus-5-5", "global.anthropic.claude-fable-5"})
    void effortNone_claudeThatAlwaysThinks_refusedBeforeAnyRequest(String model) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json(model, Effort.NONE));
        assertTrue(e.getMessage().contains("effort none"), e.getMessage());
    }

    @Test
    void forcedToolAndPrefill_claudeThatRefusesThem_clearErrorBeforeAnyRequest() {
        dev.sluice.chat.Tool tool = new dev.sluice.chat.Tool("lookup", "", java.util.Map.of("type", "object"));
        ChatRequest.Builder forced = ChatRequest.builder()
                .addMessage(ChatMessage.user("hi"))
                .addTool(tool)
                .toolChoice(dev.sluice.chat.ToolChoice.required());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BedrockRequests.of(
                        forced.model("us.anthropic.claude-sonnet-5-5").build(), StructuredOutputMode.AUTO));
        assertTrue(
                e.getMessage().contains("model us.anthropic.claude-sonnet-5-5 refuses a forced tool choice"),
                e.getMessage());
        assertTrue(BedrockRequests.of(
                        forced.model("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                                .build(),
                        StructuredOutputMode.AUTO)
                .contains("\"toolChoice\":{\"any\":{}}"));

        ChatRequest.Builder prefilled =
                ChatRequest.builder().addMessage(ChatMessage.user("hi")).addMessage(ChatMessage.assistant("Once upon"));
        IllegalArgumentException p = assertThrows(
                IllegalArgumentException.class,
                () -> BedrockRequests.of(
                        prefilled.model("anthropic.claude-opus-4-6-v1").build(), StructuredOutputMode.AUTO));
        assertTrue(p.getMessage().contains("refuses an assistant prefill"), p.getMessage());
        assertTrue(BedrockRequests.of(
                        prefilled
                                .model("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                                .build(),
                        StructuredOutputMode.AUTO)
                .contains("Once upon"));
    }

    @Test
    void maxTokens_aboveAClaudesOutputLimit_clearErrorBeforeAnyRequest() {
        ChatRequest r = ChatRequest.builder()
                .model("us.anthropic.claude-haiku-4-5-20251001-v1:0")
                .addMessage(ChatMessage.user("hi"))
                .maxTokens(64001)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BedrockRequests.of(r, StructuredOutputMode.AUTO));
        assertTrue(e.getMessage().contains("writes at most 64000 output tokens"), e.getMessage());
    }
}
