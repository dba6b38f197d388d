package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code "role": "system"} message mid-conversation (the SDKs' {@code SystemMessageParam}) and its
 * per-message {@code output_config.effort} (build-with-claude/effort-per-message): the JSON written, the
 * beta it needs, what the record refuses, and the guard's view of roles around it.
 */
class SystemMessageParamTest {
    @Test
    void write_systemTextAndEffortOnlyMessages_exactJsonAsTheApiTakesIt() {
        MessageRequest r = MessageRequest.builder()
                .model("claude-fable-5-1")
                .maxTokens(1024)
                .addUserMessage("Plan it.")
                .addSystemMessage("Answer in one line.")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Summarize.")
                .effort("high")
                .build();
        assertEquals(
                "{\"model\":\"claude-fable-5-1\",\"max_tokens\":1024,\"messages\":["
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Plan it.\"}]},"
                        + "{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"Answer in one line.\"}]},"
                        + "{\"role\":\"system\",\"content\":[],\"output_config\":{\"effort\":\"low\"}},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Summarize.\"}]}],"
                        + "\"stream\":true,\"output_config\":{\"effort\":\"high\"}}",
                RequestJson.write(r, true));
        MessageRequest noTopLevelEffort = MessageRequest.builder() // the oracle predates the typed effort
                .model("m")
                .maxTokens(1)
                .messages(r.messages())
                .build();
        for (boolean stream : new boolean[] {true, false})
            assertEquals(
                    JacksonRequestJsonOracle.write(noTopLevelEffort, stream),
                    RequestJson.write(noTopLevelEffort, stream));
        assertEquals(List.of(MessageRequest.MID_CONVERSATION_OUTPUT_CONFIG_BETA), r.betas());
    }

    @Test
    void write_systemMessageWithTextAndEffort_bothWritten_noBetaWithoutEffort() {
        MessageParam m = new MessageParam(MessageParam.Role.SYSTEM, List.of(TextParam.of("Be brief.")), "medium");
        MessageRequest r = MessageRequest.builder()
                .model("m")
                .maxTokens(1)
                .addUserMessage("hi")
                .addMessage(m)
                .build();
        assertTrue(
                RequestJson.write(r, false)
                        .contains("{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],"
                                + "\"output_config\":{\"effort\":\"medium\"}}"),
                RequestJson.write(r, false));
        MessageRequest plain = MessageRequest.builder()
                .model("m")
                .maxTokens(1)
                .addUserMessage("hi")
                .addSystemMessage("Be brief.")
                .build();
        assertEquals(List.of(), plain.betas());
    }

    @Test
    void messageParam_effortElsewhereOrWrongOrNotTextOrFirst_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new MessageParam(MessageParam.Role.USER, List.of(TextParam.of("x")), "low"));
        assertThrows(IllegalArgumentException.class, () -> MessageParam.systemEffort("medium-ish"));
        assertThrows(IllegalArgumentException.class, () -> new MessageParam(MessageParam.Role.SYSTEM, List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MessageParam(MessageParam.Role.SYSTEM, List.of(ToolResultParam.of("toolu_1", "42"))));
        IllegalStateException first = assertThrows(
                IllegalStateException.class,
                () -> MessageRequest.builder()
                        .model("m")
                        .maxTokens(1)
                        .addSystemMessage("Be brief.")
                        .addUserMessage("hi")
                        .build());
        assertTrue(first.getMessage().contains("first message is a system message"), first.getMessage());
    }

    @Test
    void guard_prefillIsTheLastUserOrAssistantTurn_pastTrailingSystemMessages() {
        // claude-opus-4-6 refuses a prefill: a system message after the assistant turn does not hide it
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ClaudeChecks.check(MessageRequest.builder()
                        .model("claude-opus-4-6")
                        .maxTokens(1024)
                        .addUserMessage("hi")
                        .addAssistantMessage("The answer is")
                        .addSystemMessage("Be brief.")
                        .build()));
        assertTrue(e.getMessage().contains("prefill"), e.getMessage());
        assertDoesNotThrow(() -> ClaudeChecks.check(MessageRequest.builder()
                .model("claude-opus-4-6")
                .maxTokens(1024)
                .addUserMessage("hi")
                .addSystemMessage("Be brief.")
                .build()));
    }

    @Test
    void guard_systemEffortTheModelCannotTake_refusedNamingTheMessage() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ClaudeChecks.check(MessageRequest.builder()
                        .model("claude-haiku-4-5")
                        .maxTokens(1024)
                        .addUserMessage("hi")
                        .addMessage(MessageParam.systemEffort("low"))
                        .build()));
        assertTrue(e.getMessage().contains("claude-haiku-4-5"), e.getMessage());
        assertTrue(e.getMessage().contains("messages.1.output_config.effort"), e.getMessage());
    }

    @Test
    void guard_effortChangeUnderBetweenTools_refusedEvenForAModelTheCatalogDoesNotKnow() {
        MessageRequest r = MessageRequest.builder()
                .model("claude-next-preview")
                .maxTokens(1024)
                .thinking(ThinkingConfig.betweenTools())
                .addUserMessage("hi")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("again")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClaudeChecks.check(r));
        assertTrue(e.getMessage().contains("claude-next-preview"), e.getMessage());
        assertTrue(e.getMessage().contains("messages.1.output_config.effort low"), e.getMessage());
        assertDoesNotThrow(() -> ClaudeChecks.check(MessageRequest.builder()
                .model("claude-next-preview")
                .maxTokens(1024)
                .thinking(ThinkingConfig.adaptive())
                .messages(r.messages())
                .build()));
    }

    /**
     * The per-message effort beta's supported models (effort-per-message.md's supportedModels) take a
     * system message's effort; the others are refused before any request, naming the model and the field.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "claude-fable-5-2, true",
        "claude-mythos-5-2, true",
        "claude-fable-5-1, true",
        "claude-mythos-5-1, true",
        "claude-opus-5-5, true",
        "claude-opus-5, true",
        "claude-sonnet-5-5, true",
        "claude-haiku-5-5, true",
        "us.anthropic.claude-opus-5-5, true",
        "claude-fable-5, false",
        "claude-mythos-5, false",
        "claude-opus-4-8, false",
        "claude-opus-4-7, false",
        "claude-opus-4-6, false",
        "claude-sonnet-5, false",
        "claude-sonnet-4-6, false",
        "claude-next-preview, true" // a model the table does not know: sent as asked
    })
    void guard_systemEffortByModel_takenWhereTheBetaListsTheModelElseRefusedNamingBoth(String model, boolean takes) {
        MessageRequest r = MessageRequest.builder()
                .model(model)
                .maxTokens(1024)
                .addUserMessage("Plan it.")
                .addAssistantMessage("1. Export. 2. Import.")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Summarize.")
                .build();
        if (takes) {
            assertDoesNotThrow(() -> ClaudeChecks.check(r));
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClaudeChecks.check(r));
        assertTrue(e.getMessage().contains("model " + model), e.getMessage());
        assertTrue(e.getMessage().contains("messages.2.output_config.effort low"), e.getMessage());
        assertTrue(e.getMessage().contains("mid-conversation-output-config-2026-07-01"), e.getMessage());
    }
}
