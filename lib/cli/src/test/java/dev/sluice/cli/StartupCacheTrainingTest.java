package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The training run of {@code serve}'s startup cache: every door, passed through and translated, streamed and not,
 * answered whole by a {@code serve} on the embedded fake (a request the fake or {@code serve} refuses, as a body
 * gone stale against the catalog would be, is a failed kind), and {@code serve} stopped after it.
 */
class StartupCacheTrainingTest {
    @Test
    void train_everyKindAnsweredWhole_serveStoppedAfter() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Map<String, Integer> answered = StartupCacheTraining.train(3, err);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(12, answered.size(), printed);
        answered.forEach((kind, n) -> assertEquals(3, n, kind + ": " + printed));
        for (String kind : answered.keySet()) assertTrue(printed.contains(kind), printed);
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("sluice-training-serve") && t.isAlive()),
                "serve still running after the training");
    }

    @Test
    void kinds_eachDoorPassedThroughAndTranslated_streamedAndNot() {
        List<StartupCacheTraining.Kind> kinds = StartupCacheTraining.kinds();
        Set<String> doors = kinds.stream()
                .map(k -> k.path() + " " + k.body().contains("\"stream\":true") + " "
                        + k.body().substring(0, k.body().indexOf('/')))
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "/v1/chat/completions true {\"model\":\"openai",
                        "/v1/chat/completions true {\"model\":\"anthropic",
                        "/v1/chat/completions false {\"model\":\"openai",
                        "/v1/chat/completions false {\"model\":\"anthropic",
                        "/v1/messages true {\"model\":\"anthropic",
                        "/v1/messages true {\"model\":\"openai",
                        "/v1/messages false {\"model\":\"anthropic",
                        "/v1/messages false {\"model\":\"openai",
                        "/v1/responses true {\"model\":\"openai-responses",
                        "/v1/responses true {\"model\":\"openai",
                        "/v1/responses false {\"model\":\"openai-responses",
                        "/v1/responses false {\"model\":\"openai"),
                doors);
    }

    @Test
    void train_noRequests_refused() {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> StartupCacheTraining.train(0, err));
    }
}
