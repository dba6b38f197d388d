package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApprovalPromptTest {

    @ParameterizedTest
    @ValueSource(strings = {"y", "Y", "yes", " YES ", "Yes"})
    void approves_yOrYes_approved(String answer) {
        assertTrue(ApprovalPrompt.approves(answer));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n", "no", "yep", "ye", "sure", "y y"})
    void approves_anythingElse_denied(String answer) {
        assertFalse(ApprovalPrompt.approves(answer));
    }

    @Test
    void approves_endOfInput_denied() {
        assertFalse(ApprovalPrompt.approves(null));
    }

    @Test
    void question_toolAndItsWholeArgumentsOnOneLine_controlCharactersMadeVisible() {
        assertEquals(
                "approve echo({\"message\":\"hi\"})? [y/N] ",
                ApprovalPrompt.question("echo", "{\"message\":\"hi\"}\n"));
        String long60 = "{\"text\":\"" + "x".repeat(200) + "\"}";
        assertEquals(
                "approve t(" + long60 + ")? [y/N] ",
                ApprovalPrompt.question("t", long60),
                "never cut: the person sees what they approve");
        assertEquals(
                "approve evil\\x1B[2J({\"a\":  1})? [y/N] ", ApprovalPrompt.question("evil\u001b[2J", "{\"a\":\n 1}"));
    }

    @Test
    void ask_answerRead_questionWrittenAfterTheLineBreak() {
        StringWriter out = new StringWriter();
        ApprovalPrompt prompt = new ApprovalPrompt(new StringReader("yes\nn\n"), out);
        assertTrue(prompt.ask("\n", "echo", "{}"));
        assertFalse(prompt.ask("", "echo", "{}"));
        assertFalse(prompt.ask("", "echo", "{}"), "end of input denies");
        assertEquals(
                "\napprove echo({})? [y/N] approve echo({})? [y/N] approve echo({})? [y/N] " + System.lineSeparator(),
                out.toString());
    }
}
