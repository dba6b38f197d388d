package dev.sluice.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.Effort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCatalogTest {

    @Test
    void all_everyRow_hasASourceAUniqueModelAndItsMakersThinkingForm() {
        Set<String> seen = new HashSet<>();
        assertTrue(ModelCatalog.all().size() > 40);
        for (ModelCapabilities c : ModelCatalog.all()) {
            assertTrue(seen.add(c.model()), "twice: " + c.model());
            Set<ThinkingForm> forms = switch (c.maker()) { // a row under the wrong maker goes to the wrong mapper
                case ANTHROPIC ->
                    Set.of(
                            ThinkingForm.ADAPTIVE_OR_BUDGET,
                            ThinkingForm.ADAPTIVE,
                            ThinkingForm.ADAPTIVE_ALWAYS,
                            ThinkingForm.BUDGET,
                            ThinkingForm.NONE);
                case OPENAI -> Set.of(ThinkingForm.EFFORT, ThinkingForm.NONE);
                case GOOGLE ->
                    Set.of(ThinkingForm.LEVEL, ThinkingForm.BUDGET, ThinkingForm.BUDGET_ALWAYS, ThinkingForm.NONE);
            };
            assertTrue(forms.contains(c.thinking()), c.model() + ": " + c.maker() + " " + c.thinking());
            assertFalse(c.source().isBlank(), c.model());
            if (c.defaultEffort() != null) assertTrue(c.efforts().contains(c.defaultEffort()), c.model());
            if (c.replacement() != null) {
                assertTrue(ModelCatalog.find(c.replacement()).isPresent(), c.model() + " → " + c.replacement());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "claude-sonnet-4-5, claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929, claude-sonnet-4-5",
        "claude-sonnet-4-5@20250929, claude-sonnet-4-5",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0, claude-sonnet-4-5",
        "global.anthropic.claude-opus-4-6-v1, claude-opus-4-6",
        "anthropic.claude-fable-5, claude-fable-5",
        "claude-fable-5-1, claude-fable-5-1",
        "claude-opus-4-20250514, claude-opus-4",
        "claude-opus-4-1-20250805, claude-opus-4-1",
        "gpt-5-mini-2025-08-07, gpt-5-mini",
        "gpt-5, gpt-5",
        "gpt-6.1-sol, gpt-6.1-sol",
        "models/gemini-2.5-flash, gemini-2.5-flash",
        "gemini-2.5-flash-lite, gemini-2.5-flash-lite",
        "gemini-3.1-pro-preview, gemini-3.1-pro",
    })
    void find_idOfAFamily_findsTheLongestRow(String id, String row) {
        assertEquals(row, ModelCatalog.find(id).orElseThrow().model());
    }

    @ParameterizedTest
    @CsvSource({"gpt-5.3-codex", "claude-test", "fake-model", "gemini-3.9-ultra", "claude-opus-45"})
    void find_unknownId_isEmpty(String id) {
        assertEquals(Optional.empty(), ModelCatalog.find(id));
    }

    @ParameterizedTest
    @CsvSource({
        // model, asked, sent
        "gpt-6.1-sol, minimal, low",
        "gpt-5.6-terra, minimal, low",
        "gpt-5, none, minimal",
        "gpt-5, max, high",
        "gpt-5.4, max, xhigh",
        "claude-opus-4-6, xhigh, max",
        "claude-opus-4-6, minimal, low",
        "claude-opus-4-5, max, high",
        "claude-haiku-5-5, minimal, low",
        "gemini-3-pro, medium, high",
        "gemini-3.5-flash, none, minimal",
        "gemini-3.5-flash, xhigh, high",
    })
    void nearestEffort_valueTheModelLacks_isTheNearestItTakes(String model, String asked, String sent) {
        assertEquals(
                Effort.of(sent),
                ModelCatalog.find(model)
                        .orElseThrow()
                        .nearestEffort(Effort.of(asked))
                        .orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
        "claude-opus-5-5, none",
        "claude-fable-5-1, none",
        "claude-fable-5, none",
        "gpt-6.1-sol, none",
        "gemini-3.5-flash, none",
        "gemini-2.5-pro, none",
        "gpt-4o-mini, high",
        "gpt-4o, low"
    })
    void checkEffort_valueTheModelCannotTake_namesModelAndParameter(String model, String effort) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelCatalog.checkEffort(model, Effort.of(effort)));
        assertTrue(e.getMessage().contains("model " + model.split("-2")[0]), e.getMessage());
        assertTrue(e.getMessage().contains("effort " + effort), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "claude-opus-4-7, none",
        "claude-opus-5-5, low",
        "gpt-6.1-terra, none",
        "gpt-4o, none",
        "gemini-2.5-flash, none",
        "unknown-model, max",
        "claude-sonnet-4-5, max"
    })
    void checkEffort_valueTheModelTakes_passes(String model, String effort) {
        ModelCatalog.checkEffort(model, Effort.of(effort));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // model | off | up to (or "-": any effort)
                "claude-sonnet-5-5 | between_tools | high",
                "claude-haiku-5-5 | disabled | high",
                "claude-opus-5 | disabled | high",
                "claude-opus-4-7 | disabled | -",
                "claude-sonnet-4-5 | disabled | -",
                "gpt-6.1-terra | none | -",
                "gemini-2.5-flash | 0 | -",
            })
    void off_eachModelThatCanStopThinking_saysHowAndUpToWhichEffort(String model, String value, String upTo) {
        ModelCapabilities c = ModelCatalog.find(model).orElseThrow();
        ModelCapabilities.Off off = c.off();
        assertEquals(new ModelCapabilities.Off(value, upTo.equals("-") ? null : Effort.of(upTo)), off);
        assertTrue(c.canTurnOffThinking());
        assertTrue(off.allows(Effort.HIGH));
        assertEquals(upTo.equals("-"), off.allows(Effort.XHIGH));
    }

    @ParameterizedTest
    @CsvSource({"claude-fable-5", "claude-mythos-5", "claude-fable-5-1", "claude-opus-5-5", "gemini-3.5-flash"})
    void off_modelThatAlwaysThinks_none(String model) {
        ModelCapabilities c = ModelCatalog.find(model).orElseThrow();
        assertEquals(null, c.off());
        assertFalse(c.canTurnOffThinking());
    }

    @Test
    void parse_offColumnDisagreesWithTheThinkingForm_refused() {
        String header = "model\tmaker\tthinking\tefforts\tdefault\tbudget\toff\tsampling\tforced_tool\tprefill"
                + "\tstructured\tchat_tools\tper_message_effort\tmax_output\tretires\treplacement\tsource\tread\tinputs\n";
        String alwaysButOff = "claude-x\tanthropic\tadaptive-always\tlow,high\thigh\t-\tdisabled\tno\tno\tno"
                + "\tnative\t-\tno\t0\t-\t-\ta test\t2026-11-28\ttext\n";
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ModelCatalog.parse(new java.io.BufferedReader(new java.io.StringReader(header + alwaysButOff))));
        assertTrue(e.getMessage().contains("claude-x's off column 'disabled'"), e.getMessage());
        String offButNoWay = alwaysButOff.replace("adaptive-always", "adaptive").replace("\tdisabled\t", "\t-\t");
        assertThrows(
                IllegalStateException.class,
                () -> ModelCatalog.parse(new java.io.BufferedReader(new java.io.StringReader(header + offButNoWay))));
    }

    @Test
    void checkInput_aPdfOrAudioTheRowDoesNotRead_refusedNamingTheModelAndWhatItReads() {
        ModelCatalog.checkInput("gemini-3.8-flash", ModelCapabilities.Input.AUDIO, "--file talk.wav");
        ModelCatalog.checkInput("claude-sonnet-5-5", ModelCapabilities.Input.PDF, "--file a.pdf");
        ModelCatalog.checkInput("gpt-audio-mini", ModelCapabilities.Input.AUDIO, "--file talk.wav");
        ModelCatalog.checkInput("my-local-model", ModelCapabilities.Input.AUDIO, "--file talk.wav");
        IllegalArgumentException claude = assertThrows(
                IllegalArgumentException.class,
                () -> ModelCatalog.checkInput("claude-sonnet-5-5", ModelCapabilities.Input.AUDIO, "--file talk.wav"));
        assertEquals(
                "model claude-sonnet-5-5 does not read audio (--file talk.wav): it reads text, images, PDFs;"
                        + " leave it out, or ask a model that reads audio",
                claude.getMessage());
        IllegalArgumentException gpt4 = assertThrows(
                IllegalArgumentException.class,
                () -> ModelCatalog.checkInput("gpt-4", ModelCapabilities.Input.PDF, "--file a.pdf"));
        assertTrue(gpt4.getMessage().startsWith("model gpt-4 does not read PDFs (--file a.pdf): it reads text;"));
        assertEquals(ModelCapabilities.Input.AUDIO, ModelCapabilities.Input.of("audio/mpeg"));
        assertEquals(ModelCapabilities.Input.PDF, ModelCapabilities.Input.of("application/PDF"));
        assertEquals(ModelCapabilities.Input.TEXT, ModelCapabilities.Input.of("text/csv"));
    }

    @Test
    void budgetFor_budgetModels_staysInTheModelsRange() {
        ModelCapabilities flash = ModelCatalog.find("gemini-2.5-flash").orElseThrow();
        assertEquals(0, flash.budgetFor(Effort.NONE));
        assertEquals(24576, flash.budgetFor(Effort.MAX));
        assertEquals(2048, flash.budgetFor(Effort.LOW));
        ModelCapabilities pro = ModelCatalog.find("gemini-2.5-pro").orElseThrow();
        assertEquals(32768, pro.budgetFor(Effort.MAX));
        ModelCapabilities sonnet = ModelCatalog.find("claude-sonnet-4-5").orElseThrow();
        assertEquals(1024, sonnet.budgetFor(Effort.MINIMAL));
        assertEquals(65536, sonnet.budgetFor(Effort.MAX));
    }

    @Test
    void retirementNotice_withinThirtyDaysOrPast_namesDateAndReplacement() {
        LocalDate today = LocalDate.parse("2026-11-27");
        assertEquals(
                Optional.of("model claude-sonnet-4-5 retires on 2026-11-30 (in 3 days); use claude-sonnet-5-5 instead"),
                ModelCatalog.retirementNotice("claude-sonnet-4-5", today));
        assertEquals(
                Optional.of("model o4-mini was retired on 2026-10-23 and its requests fail; use gpt-5.6-terra instead"),
                ModelCatalog.retirementNotice("o4-mini", today));
        assertTrue(ModelCatalog.retirementNotice("gpt-5-mini", today).isPresent()); // 2026-12-11: 14 days
        assertEquals(Optional.empty(), ModelCatalog.retirementNotice("gpt-4o-mini", today)); // 2027-01-14: 48 days
        assertEquals(Optional.empty(), ModelCatalog.retirementNotice("claude-opus-5-5", today));
        assertEquals(Optional.empty(), ModelCatalog.retirementNotice("unknown-model", today));
    }

    @Test
    void retirementNotice_replacementItselfRetiring_followsTheChainToACurrentModel() {
        LocalDate today = LocalDate.parse("2026-11-28");
        assertEquals(
                Optional.of("model claude-3-7-sonnet was retired on 2026-02-19 and its requests fail; use"
                        + " claude-sonnet-5-5 instead (claude-sonnet-4-5, named in its place, retires too)"),
                ModelCatalog.retirementNotice("claude-3-7-sonnet", today));
        assertEquals(
                Optional.of("model gemini-2.0-flash was retired on 2026-06-01 and its requests fail; use"
                        + " gemini-3.5-flash-lite instead (gemini-2.5-flash, named in its place, retires too)"),
                ModelCatalog.retirementNotice("gemini-2.0-flash", today));
        assertEquals(
                Optional.of("model gemini-3.5-flash is deprecated; use gemini-3.6-flash instead"),
                ModelCatalog.retirementNotice("gemini-3.5-flash", today));
        assertEquals(
                Optional.of("model claude-mythos-preview was retired on 2026-06-30 and its requests fail"),
                ModelCatalog.retirementNotice("claude-mythos-preview", today));
    }

    @Test
    void isCurrent_retirementWithinSixtyDaysOrAReplacementNamed_notCurrent() {
        LocalDate today = LocalDate.parse("2026-11-28");
        assertTrue(ModelCatalog.isCurrent("gemini-3.8-flash", today));
        assertTrue(ModelCatalog.isCurrent("unknown-model", today));
        assertFalse(ModelCatalog.isCurrent("gemini-3.5-flash", today)); // deprecated, no day
        assertFalse(ModelCatalog.isCurrent("gpt-4o-mini", LocalDate.parse("2025-01-01"))); // a replacement named
        assertTrue(ModelCatalog.isCurrent("gpt-5.1", today)); // 2027-04-01, no replacement named
        assertTrue(ModelCatalog.isCurrent("gpt-5.1", LocalDate.parse("2027-01-30"))); // 61 days before
        assertFalse(ModelCatalog.isCurrent("gpt-5.1", LocalDate.parse("2027-01-31"))); // 60 days before
        assertTrue(ModelCatalog.isCurrent("gemini-3.1-flash-lite", today)); // 2027-05-07
        assertFalse(ModelCatalog.isCurrent("gemini-3.1-flash-lite", LocalDate.parse("2027-04-01")));
        assertEquals(Optional.empty(), ModelCatalog.currentReplacement("gemini-3.8-flash", today));
        assertEquals(
                Optional.of("claude-haiku-4-5"), ModelCatalog.currentReplacement("claude-3-haiku-20240307", today));
    }

    @Test
    void parse_columnsByHeaderName_readDayRequired() throws IOException {
        String header = "model\tmaker\tthinking\tefforts\tdefault\tbudget\toff\tsampling\tforced_tool\tprefill"
                + "\tstructured\tchat_tools\tper_message_effort\tmax_output\tretires\treplacement\tsource\tread\tinputs";
        String row = "gpt-x\topenai\tnone\t-\t-\t-\t-\tyes\tyes\tno\tnative\t-\t-\t4096\t-\t-\tsrc\t";
        assertEquals(
                "gpt-x",
                ModelCatalog.parse(new BufferedReader(
                                new StringReader(header + "\textra\n" + row + "2026-11-28\ttext,pdf\tx\n")))
                        .get(0)
                        .model());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ModelCatalog.parse(new BufferedReader(new StringReader(header + "\n" + row + "soon\ttext\n"))));
        assertTrue(e.getMessage().contains("gpt-x's read column"), e.getMessage());
    }

    @Test
    void effortOf_unknownName_listsTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Effort.of("huge"));
        assertTrue(e.getMessage().contains("none, minimal, low, medium, high, xhigh, max"));
        assertEquals(Effort.XHIGH, Effort.of("XHigh"));
    }

    /** {@link ModelCatalog#find} keeps its answers, for the names a gateway's callers send: up to a bound, however many they send. */
    @Test
    void find_answersKept_boundedWhateverTheCallersName() {
        Optional<ModelCapabilities> first = ModelCatalog.find("claude-sonnet-4-5");
        assertEquals(first, ModelCatalog.find("claude-sonnet-4-5"));
        assertEquals(first, ModelCatalog.find("us.anthropic.claude-sonnet-4-5"), "normalized as before");
        for (int i = 0; i < 5_000; i++)
            assertTrue(ModelCatalog.find("no-such-model-" + i).isEmpty());
        assertTrue(ModelCatalog.namesKept() <= 1024, "kept: " + ModelCatalog.namesKept());
        assertEquals(first, ModelCatalog.find("claude-sonnet-4-5"), "past the bound, still found");
    }
}
