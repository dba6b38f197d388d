package dev.sluice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.function.Executable;

/**
 * The command lines JDK Flight Recorder's {@code jdk.ProcessStart} event (on in the JDK's
 * {@code default} and {@code profile} settings) records of the processes a call starts: for tests that
 * no secret of a child's command reaches a recording.
 */
public final class ProcessStarts {
    private ProcessStarts() {}

    /** {@return the command lines of the processes started while {@code call} ran, as the events hold them} */
    public static List<String> during(Executable call) throws Throwable {
        Path jfr = Files.createTempFile("process-starts", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            call.execute();
            recording.stop();
            recording.dump(jfr);
            List<String> commands = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
                if (event.getEventType().getName().equals("jdk.ProcessStart")) commands.add(event.getString("command"));
            }
            return commands;
        } finally {
            Files.deleteIfExists(jfr);
        }
    }
}
