package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's check of one relayed stream: ids without gap or repeat across resumes, the text as the events assemble it. */
class TranscriptTest {
    private static Transcript read(String... idTypeData) {
        Transcript t = new Transcript();
        t.connect();
        for (int i = 0; i < idTypeData.length; i += 3) {
            if (idTypeData[i].equals("|")) { // a resume: the connection before it was cut
                t.connect();
                i -= 2;
                continue;
            }
            t.accept(idTypeData[i], idTypeData[i + 1], idTypeData[i + 2]);
        }
        return t;
    }

    @Test
    void accept_resumedWithoutGapOrRepeat_theWholeTextAndNoProblem() {
        Transcript t = read(
                "1",
                "start",
                "{}",
                "2",
                "delta",
                "{\"text\":\"Hel\"}",
                "|",
                "3",
                "delta",
                "{\"text\":\"lo\"}",
                "4",
                "done",
                "{\"text\":\"Hello\"}");
        t.expect("Hello", true);
        assertEquals(List.of(), t.problems());
        assertEquals("done", t.terminal());
        assertEquals(2, t.connections());
    }

    @Test
    void accept_aResumeThatRepeatsOrSkipsAnEvent_isAProblem() {
        Transcript repeated =
                read("1", "start", "{}", "2", "delta", "{\"text\":\"a\"}", "|", "2", "delta", "{\"text\":\"a\"}");
        assertTrue(
                repeated.problems().getFirst().startsWith("repeated event 2"),
                repeated.problems().toString());
        Transcript gap = read("1", "start", "{}", "|", "3", "delta", "{\"text\":\"b\"}");
        assertTrue(
                gap.problems().getFirst().startsWith("gap: event 3"),
                gap.problems().toString());
    }

    @Test
    void accept_anEventAfterTheTerminalOne_orABodyEndingWithoutOne_isAProblem() {
        Transcript after = read("1", "start", "{}", "2", "cancelled", "{}", "3", "delta", "{\"text\":\"x\"}");
        assertTrue(
                after.problems().getFirst().contains("after the terminal cancelled"),
                after.problems().toString());
        Transcript cut = read("1", "start", "{}", "2", "delta", "{\"text\":\"x\"}");
        cut.disconnected(true);
        assertTrue(
                cut.problems().getFirst().contains("without a terminal event"),
                cut.problems().toString());
    }

    @Test
    void accept_switches_restartDiscardsTheText_continueKeepsItAndMustNameIt() {
        Transcript restart = read(
                "1",
                "delta",
                "{\"text\":\"wrong \"}",
                "2",
                "switch",
                "{\"mode\":\"restart\",\"kept\":\"\"}",
                "3",
                "delta",
                "{\"text\":\"right\"}",
                "4",
                "done",
                "{}");
        restart.expect("right", true);
        assertEquals(List.of(), restart.problems());
        Transcript kept =
                read("1", "delta", "{\"text\":\"so \"}", "2", "switch", "{\"mode\":\"continue\",\"kept\":\"so\"}");
        assertTrue(
                kept.problems().getFirst().startsWith("switch 2 kept \"so\""),
                kept.problems().toString());
    }

    @Test
    void expect_aTextThatIsNotTheAnswer_orDoneNamingAnother_isAProblem() {
        Transcript t = read("1", "delta", "{\"text\":\"Hello\"}", "2", "done", "{\"text\":\"Hello!\"}");
        t.expect("Hello!", true);
        assertEquals(2, t.problems().size(), t.problems().toString());
        Transcript partial = read("1", "delta", "{\"text\":\"Hel\"}", "2", "error", "{\"type\":\"overloaded_error\"}");
        partial.expect("Hello", false);
        assertEquals(List.of(), partial.problems());
        assertEquals("overloaded_error", partial.errorType());
    }
}
