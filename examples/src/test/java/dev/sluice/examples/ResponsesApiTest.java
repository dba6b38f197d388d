package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.FinishReason;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.openai.Response;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's Responses API snippets, run against the fake server. */
class ResponsesApiTest {
    private FakeLlmServer server;
    private OpenAiClient client;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        client = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void events_printsLifecycleAndTheFinalText() {
        Response r = ResponsesApi.events(client, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("[response.created #0][response.in_progress #1]"), printed);
        assertTrue(printed.matches("(?s).*\\[response\\.completed #\\d+\\]"), printed);
        assertTrue(printed.contains(r.outputText()), printed);
        assertEquals("completed", r.status());
    }

    @Test
    void resumable_uncutStreamPrintsTheWholeText() {
        Response r = ResponsesApi.resumable(client, out);
        assertFalse(r.outputText().isEmpty());
        assertEquals(r.outputText(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void neutral_stopsWithText() {
        var r = ResponsesApi.neutral(client);
        assertEquals(FinishReason.Kind.STOP, r.finishReason().kind());
        assertFalse(r.text().isEmpty());
    }
}
