package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's shared client options, against the fake server. */
class SharedOptionsTest {

    @Test
    void run_oneOptionsValue_configuresBothProviders() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            List<String> texts = SharedOptions.run(
                    fake.baseUrl().toString(), "test", new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(2, texts.size());
            assertFalse(texts.get(0).isBlank());
            assertFalse(texts.get(1).isBlank());
        }
        assertEquals(
                "[anthropic: " + ExampleClient.MODEL + "]\n[openai: gpt-6-luna]\n",
                bytes.toString(StandardCharsets.UTF_8),
                "the shared observer saw both streams");
    }
}
