package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's handling of its children: their JVM flags, and the lines they print. */
class RealContentRunTest {

    @Test
    void childJvmArgs_nameEachClientsAndContentsOwnFile() {
        List<String> args =
                List.of("-Xmx1g", "-XX:AOTCache=/tmp/aot/{content}-{client}.aot", "-Dboth={client},{client}");

        assertEquals(
                List.of("-Xmx1g", "-XX:AOTCache=/tmp/aot/realtool-floor2.aot", "-Dboth=floor2,floor2"),
                RealContentRun.childJvmArgs(args, "floor2", "realtool"));
        assertEquals(
                List.of("-Xmx1g", "-XX:AOTCache=/tmp/aot/realtext-sluice.aot", "-Dboth=sluice,sluice"),
                RealContentRun.childJvmArgs(args, "sluice", "realtext"));
    }

    @Test
    void childFigures_areTheLinesBeforeDone_theJvmsLinesAfterItAside() {
        List<String> lines = List.of(
                "build 1 2",
                "stream 0 1 2 3 4 5",
                "done",
                "Reading AOTConfiguration /tmp/a.aot.config and writing AOTCache /tmp/a.aot",
                "AOTCache creation is complete: /tmp/a.aot 25378816 bytes");

        assertEquals(List.of("build 1 2", "stream 0 1 2 3 4 5"), RealContentRun.childFigures("sluice", 0, lines));
        assertEquals(List.of("build 1 2"), RealContentRun.childFigures("sluice", 0, List.of("build 1 2", "done")));
    }

    @Test
    void childFigures_ofAFailedChild_throwWithItsLines() {
        IllegalStateException noDone = assertThrows(
                IllegalStateException.class,
                () -> RealContentRun.childFigures("acc2", 0, List.of("build 1 2", "stream 0 1 2 3 4 5")));
        assertTrue(
                noDone.getMessage().startsWith("acc2 child failed (exit 0): build 1 2 | stream"), noDone.getMessage());

        IllegalStateException exit = assertThrows(
                IllegalStateException.class,
                () -> RealContentRun.childFigures("acc2", 1, List.of("build 1 2", "done")));
        assertTrue(exit.getMessage().startsWith("acc2 child failed (exit 1)"), exit.getMessage());
    }
}
