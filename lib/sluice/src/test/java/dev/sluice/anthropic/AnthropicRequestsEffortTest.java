package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolChoice;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The neutral effort, thinking budget and sampling, sent to each Claude model as its row of the catalog says. */
class AnthropicRequestsEffortTest {

    /** {@return the request as the client sends it: mapped, then checked against the model's row} */
    private static String json(ChatRequest r) {
        MessageRequest mapped = AnthropicRequests.toMessageRequest(r);
        ClaudeChecks.check(mapped);
        return RequestJson.write(mapped, true);
    }

    private static ChatRequest.Builder ask(String model) {
        return ChatRequest.builder().model(model).addMessage(ChatMessage.user("hi"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // model | effort | the thinking sent | the output_config sent (or "-")
                "claude-opus-5-5 | high | {\"type\":\"adaptive\"} | {\"effort\":\"high\"}",
                "claude-fable-5-1 | minimal | {\"type\":\"adaptive\"} | {\"effort\":\"low\"}",
                "claude-opus-4-6 | xhigh | {\"type\":\"adaptive\"} | {\"effort\":\"max\"}",
                "claude-haiku-5-5 | max | {\"type\":\"adaptive\"} | {\"effort\":\"max\"}",
                "claude-opus-4-7 | none | {\"type\":\"disabled\"} | -",
                "claude-haiku-5-5 | none | {\"type\":\"disabled\"} | -",
                "claude-opus-5 | none | {\"type\":\"disabled\"} | -",
                "claude-sonnet-5-5 | none | {\"type\":\"between_tools\"} | -",
                "claude-sonnet-5-5-20261001 | low | {\"type\":\"adaptive\"} | {\"effort\":\"low\"}",
                "claude-haiku-4-5 | medium | {\"type\":\"enabled\",\"budget_tokens\":8192} | -",
                "claude-opus-4-5 | low | {\"type\":\"enabled\",\"budget_tokens\":2048} | {\"effort\":\"low\"}",
                "claude-sonnet-4-5-20250929 | none | {\"type\":\"disabled\"} | -",
                "claude-future-9 | xhigh | {\"type\":\"adaptive\"} | {\"effort\":\"xhigh\"}",
            })
    void effort_eachModel_sentInTheFormItTakes(String model, String effort, String thinking, String config) {
        String json = json(ask(model).effort(Effort.of(effort)).build());
        assertTrue(json.contains("\"thinking\":" + thinking), json);
        if (config.equals("-")) assertFalse(json.contains("output_config"), json);
        else assertTrue(json.contains("\"output_config\":" + config), json);
    }

    @Test
    void effort_budgetModelWithMaxTokens_budgetKeptUnderIt() {
        String json = json(
                ask("claude-sonnet-4-5").effort(Effort.MAX).maxTokens(20000).build());
        assertTrue(json.contains("\"max_tokens\":20000"), json);
        assertTrue(json.contains("\"budget_tokens\":19999"), json);
        String defaulted = json(ask("claude-sonnet-4-5").effort(Effort.HIGH).build());
        assertTrue(defaulted.contains("\"max_tokens\":" + (16384 + AnthropicRequests.DEFAULT_MAX_TOKENS)), defaulted);
    }

    @Test
    void effortMax_budgetModel_budgetAndMaxTokensKeptWithinItsOutputLimit() {
        String json = json(ask("claude-sonnet-4-5").effort(Effort.MAX).build());
        assertTrue(json.contains("\"max_tokens\":64000"), json); // was 65536 + 4096: a 400
        assertTrue(json.contains("\"budget_tokens\":" + (64000 - AnthropicRequests.DEFAULT_MAX_TOKENS)), json);
    }

    @Test
    void maxTokens_aboveTheModelsOutputLimit_clearErrorBeforeAnyRequest() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> json(ask("claude-haiku-4-5-20251001").maxTokens(64001).build()));
        assertTrue(
                e.getMessage().contains("model claude-haiku-4-5 writes at most 64000 output tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("maxTokens 64001"), e.getMessage());
        assertTrue(json(ask("claude-haiku-4-5").maxTokens(64000).build()).contains("\"max_tokens\":64000"));
        assertTrue(json(ask("claude-next-9").maxTokens(500000).build()).contains("\"max_tokens\":500000"));
    }

    @ParameterizedTest
    @CsvSource({"claude-opus-5-5", "claude-fable-5-1", "claude-fable-5", "claude-mythos-5"})
    void effortNone_modelThatAlwaysThinks_refusedBeforeAnyRequest(String model) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> json(ask(model).effort(Effort.NONE).build()));
        assertTrue(e.getMessage().contains("model " + model) && e.getMessage().contains("effort none"), e.getMessage());
    }

    @Test
    void thinkingBudget_adaptiveOnlyModel_sentAsAdaptive() {
        String json = json(ask("claude-opus-4-7").thinkingBudget(4096).build());
        assertTrue(json.contains("\"thinking\":{\"type\":\"adaptive\"}"), json);
        String old = json(ask("claude-sonnet-4-5").thinkingBudget(4096).build());
        assertTrue(old.contains("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}"), old);
    }

    @Test
    void temperature_modelThatRefusesSampling_leftOut() {
        assertFalse(json(ask("claude-opus-4-7").temperature(0.2).build()).contains("temperature"));
        assertTrue(json(ask("claude-sonnet-4-5").temperature(0.2).build()).contains("\"temperature\":0.2"));
        assertTrue(json(ask("some-proxy-model").temperature(0.2).build()).contains("\"temperature\":0.2"));
    }

    @Test
    void forcedToolChoice_modelThatRefusesIt_clearErrorBeforeAnyRequest() {
        Tool t = new Tool("lookup", "", Map.of("type", "object"));
        ChatRequest forced = ask("claude-opus-5-5")
                .addTool(t)
                .toolChoice(ToolChoice.named("lookup"))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json(forced));
        assertTrue(e.getMessage().contains("model claude-opus-5-5 refuses a forced tool choice"), e.getMessage());
        ChatRequest auto =
                ask("claude-opus-5-5").addTool(t).toolChoice(ToolChoice.auto()).build();
        assertTrue(json(auto).contains("\"tool_choice\":{\"type\":\"auto\"}"));
        ChatRequest old = ask("claude-sonnet-4-5")
                .addTool(t)
                .toolChoice(ToolChoice.named("lookup"))
                .build();
        assertTrue(json(old).contains("\"tool_choice\":{\"type\":\"tool\",\"name\":\"lookup\"}"));
    }

    @Test
    void prefill_modelThatRefusesIt_clearErrorAndNoContinuation() {
        ChatRequest prefilled = ask("claude-opus-4-6")
                .addMessage(ChatMessage.assistant("Once upon"))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json(prefilled));
        assertTrue(e.getMessage().contains("refuses an assistant prefill"), e.getMessage());
        assertTrue(json(ask("claude-sonnet-4-5")
                        .addMessage(ChatMessage.assistant("Once upon"))
                        .build())
                .contains("Once upon"));
        AnthropicClient client = AnthropicClient.builder().apiKey("k").build();
        try (client) {
            assertFalse(client.continuesAssistantTurn("claude-opus-4-6"));
            assertTrue(client.continuesAssistantTurn("claude-sonnet-4-5"));
            assertTrue(client.continuesAssistantTurn("unknown-model"));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "claude-fable-5, true",
        "claude-fable-5-1, true",
        "claude-mythos-5, true",
        "claude-haiku-4-5, true",
        "claude-opus-4-1, false",
        "claude-3-5-haiku-20241022, false",
        "claude-next-1, true",
        "gpt-4o, false"
    })
    void nativeStructuredOutput_byCapability(String model, boolean expected) {
        assertEquals(expected, AnthropicRequests.nativeStructuredOutput(model));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // model | effort (or "-") | the thinking sent
                "claude-opus-4-7 | - | {\"type\":\"adaptive\",\"display\":\"summarized\"}",
                "claude-opus-5-5 | high | {\"type\":\"adaptive\",\"display\":\"summarized\"}",
                "claude-opus-4-6 | - | {\"type\":\"adaptive\"}",
                "claude-haiku-4-5 | - | {\"type\":\"enabled\",\"budget_tokens\":8192}",
                "claude-sonnet-5-5 | none | {\"type\":\"between_tools\"}",
                "claude-future-9 | - | {\"type\":\"adaptive\",\"display\":\"summarized\"}",
            })
    void showThinking_eachModel_thinkingOnAndShownAsItTakesIt(String model, String effort, String thinking) {
        ChatRequest.Builder b = ask(model).showThinking(true).maxTokens(16000);
        if (!effort.equals("-")) b.effort(Effort.of(effort));
        String json = json(b.build());
        assertTrue(json.contains("\"thinking\":" + thinking), json);
    }

    @Test
    void showThinking_modelThatDoesNotThink_refusedNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> json(ask("claude-3-5-haiku-20241022").showThinking(true).build()));
        assertTrue(
                e.getMessage().contains("claude-3-5-haiku") && e.getMessage().contains("does not think"),
                e.getMessage());
    }

    @Test
    void thinkingConfig_displayUpdates_takenAsTheApiTakesIt() {
        assertEquals("updates", ThinkingConfig.adaptive("updates").display());
        assertThrows(IllegalArgumentException.class, () -> ThinkingConfig.adaptive("verbose"));
    }
}
