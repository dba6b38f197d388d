package dev.sluice.internal.call.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.models.ThinkingForm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Effort none as each Claude turns thinking off: the form its row names, within the effort it goes with. */
class ClaudeThinkingTest {
    private static ChatRequest none(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hi"))
                .effort(Effort.NONE)
                .build();
    }

    private static ModelCapabilities row(ModelCapabilities.Off off, Effort byDefault) {
        return new ModelCapabilities(
                "claude-test-9",
                ModelCapabilities.Maker.ANTHROPIC,
                ThinkingForm.ADAPTIVE,
                List.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH, Effort.XHIGH, Effort.MAX),
                byDefault,
                0,
                0,
                off,
                false,
                true,
                false,
                true,
                false,
                false,
                128000,
                null,
                null,
                "a test row");
    }

    @Test
    void plan_effortNone_theRowsOffFormAndNoEffortWhereTheDefaultIsWithinItsBound() {
        assertEquals(
                new ClaudeThinking(null, "between_tools", null),
                ClaudeThinking.plan(
                        none("claude-sonnet-5-5"),
                        ModelCatalog.find("claude-sonnet-5-5").orElseThrow()));
        assertEquals(
                new ClaudeThinking(null, "disabled", null),
                ClaudeThinking.plan(
                        none("claude-haiku-5-5"),
                        ModelCatalog.find("claude-haiku-5-5").orElseThrow()));
        assertEquals(new ClaudeThinking(null, "disabled", null), ClaudeThinking.plan(none("claude-next"), null));
    }

    @Test
    void plan_effortNoneOnAModelWhoseDefaultIsAboveTheBound_sendsTheBoundAsTheEffort() {
        ModelCapabilities.Off upToHigh = new ModelCapabilities.Off("disabled", Effort.HIGH);
        assertEquals(
                new ClaudeThinking(null, "disabled", "high"),
                ClaudeThinking.plan(none("claude-test-9"), row(upToHigh, Effort.XHIGH)));
        assertEquals(
                new ClaudeThinking(null, "disabled", null),
                ClaudeThinking.plan(none("claude-test-9"), row(upToHigh, Effort.MEDIUM)));
    }
}
