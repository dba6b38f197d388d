package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/testkit.md shows Summarizer and SummarizerTest as they are here, so its example compiles and passes. */
class TestkitGuideTest {
    private static final Path HERE = Path.of("src", "test", "java", "dev", "sluice", "examples", "testkit");

    @Test
    void guide_firstTwoJavaBlocks_areTheseFilesAfterTheirPackageLine() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "testkit.md"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(guide);
        for (String file : new String[] {"Summarizer.java", "SummarizerTest.java"}) {
            assertTrue(block.find(), "docs/testkit.md shows " + file);
            String source = Files.readString(HERE.resolve(file));
            assertEquals(
                    source.substring(source.indexOf('\n') + 1).strip(),
                    block.group(1).strip(),
                    "docs/testkit.md shows " + file + " as it is (after its package line)");
        }
    }
}
