package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.chat.Tool;
import dev.sluice.client.StructuredOutputMode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasoningEffortsTest {
    private static final Tool TOOL = new Tool("lookup", "", Map.of("type", "object"));

    private static ChatRequest.Builder ask(String model) {
        return ChatRequest.builder().model(model).addMessage(ChatMessage.user("hi"));
    }

    private static String chat(ChatRequest r) {
        return RequestJson.streaming(OpenAiRequests.fromChat(r, StructuredOutputMode.AUTO, "openai"));
    }

    private static String responses(ChatRequest r) {
        return ResponsesChat.request(r, StructuredOutputMode.AUTO, "openai").streamingJson();
    }

    @ParameterizedTest
    @CsvSource({
        "gpt-6.1-sol, minimal, low",
        "gpt-5.6-terra, minimal, low",
        "gpt-5.6-terra, none, none",
        "gpt-5-mini, xhigh, high",
        "gpt-5.4, max, xhigh",
        "gpt-6.2-sol, max, max",
        "some-compatible-model, xhigh, xhigh",
    })
    void effort_eachModel_theNearestValueItTakes(String model, String asked, String sent) {
        ChatRequest r = ask(model).effort(Effort.of(asked)).build();
        assertTrue(chat(r).contains("\"reasoning_effort\":\"" + sent + "\""), chat(r));
        assertTrue(responses(r).contains("\"effort\":\"" + sent + "\""), responses(r));
    }

    @Test
    void effort_valueTheModelCannotTake_errorNamingModelAndParameter() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> chat(ask("gpt-6.1-sol").effort(Effort.NONE).build()));
        assertTrue(
                e.getMessage().contains("model gpt-6.1-sol") && e.getMessage().contains("effort none"));
        assertThrows(
                IllegalArgumentException.class,
                () -> chat(ask("gpt-4o-mini").effort(Effort.HIGH).build()));
        assertFalse(chat(ask("gpt-4o-mini").effort(Effort.NONE).build()).contains("reasoning"));
    }

    @Test
    void temperature_modelThatTakesOnlyTheDefault_leftOut() {
        assertFalse(chat(ask("gpt-5.6-luna").temperature(0.8).build()).contains("temperature"));
        assertFalse(responses(ask("gpt-6.1-sol").temperature(0.8).build()).contains("temperature"));
        assertTrue(chat(ask("gpt-4o-mini").temperature(0.8).build()).contains("\"temperature\":0.8"));
    }

    @ParameterizedTest
    @CsvSource({
        "gpt-6.1-sol, , true", // no none effort: its tools always go through Responses
        "gpt-5.6-luna, , false", // default none
        "gpt-5.6-luna, high, true",
        "gpt-5.6-luna, none, false",
        "gpt-5.1, high, false", // takes tools with every effort
        "gpt-4o-mini, , false",
        "unknown-model, high, false",
    })
    void toolsNeedResponses_functionToolsWithEffort(String model, String effort, boolean expected) {
        ChatRequest.Builder b = ask(model).addTool(TOOL);
        if (effort != null) b.effort(Effort.of(effort));
        assertEquals(expected, ReasoningEfforts.toolsNeedResponses(b.build()));
        assertFalse(ReasoningEfforts.toolsNeedResponses(ask(model).build()));
    }

    @Test
    void maxTokens_aboveTheModelsOutputLimit_clearErrorOnBothApis() {
        ChatRequest tooMany = ask("gpt-4o-mini-2024-07-18").maxTokens(16385).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chat(tooMany));
        assertTrue(e.getMessage().contains("model gpt-4o-mini writes at most 16384 output tokens"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> responses(tooMany));
        assertTrue(chat(ask("gpt-4o-mini").maxTokens(16384).build()).contains("\"max_completion_tokens\":16384"));
        assertTrue(chat(ask("some-compatible-model").maxTokens(900000).build()).contains("900000"));
    }

    @Test
    void showThinking_responsesWithoutEffort_summaryAutoAloneChatNothing() {
        ChatRequest r = ask("gpt-6.1-sol").showThinking(true).build();
        assertTrue(responses(r).contains("\"reasoning\":{\"summary\":\"auto\"}"), responses(r));
        assertFalse(chat(r).contains("reasoning"), chat(r));
        ChatRequest withEffort =
                ask("gpt-6.1-sol").showThinking(true).effort(Effort.LOW).build();
        assertTrue(responses(withEffort).contains("\"summary\":\"auto\""), responses(withEffort));
    }

    @Test
    void showThinking_modelThatDoesNotReason_refusedNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> responses(ask("gpt-4o").showThinking(true).build()));
        assertTrue(e.getMessage().contains("gpt-4o"), e.getMessage());
    }
}
