package dev.sluice.examples.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.flink.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFanOutJobTest {
    @Test
    void read_promptFile_onePromptPerNonBlankLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prompts.txt");
        Files.writeString(file, "first prompt\n\n  second prompt  \n");
        assertEquals(
                List.of(new Prompt("line-1", "first prompt"), new Prompt("line-3", "second prompt")),
                PromptFanOutJob.read(file));
    }
}
