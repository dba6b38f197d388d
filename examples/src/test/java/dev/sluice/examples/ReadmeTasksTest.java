package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.stream.EndReason;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's five tasks, run against the fake server: each prints what the README says it does. */
class ReadmeTasksTest {
    private static FakeLlmServer server;
    private static AnthropicClient client;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
        client = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void capture() {
        stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(stdout);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static String whole(String prompt) {
        return client.messages()
                .create(MessageRequest.builder()
                        .model(ExampleClient.MODEL)
                        .maxTokens(1024)
                        .addUserMessage(prompt)
                        .build())
                .text();
    }

    @Test
    void streamAndPrint_printsTheWholeAnswer() {
        StreamAndPrint.run(client);
        assertEquals(whole("How do rivers shape the land?"), printed());
    }

    @Test
    void cancelAStream_stopPressedMidStream_endsCancelledWithPartOfTheText() throws Exception {
        FakeLlmServer slow = FakeLlmServer.builder().tokensPerSecond(50).start();
        try (AnthropicClient paced = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(slow.baseUrl().toString())
                .build()) {
            CountDownLatch pressed = new CountDownLatch(1);
            EndReason end = CancelAStream.run(
                    paced,
                    stop -> Thread.ofVirtual().start(() -> {
                        org.awaitility.Awaitility.await().until(() -> printed().length() > 20);
                        stop.run();
                        pressed.countDown();
                    }));
            pressed.await();
            assertEquals(EndReason.CANCELLED, end);
            assertTrue(whole("Tell me about the history of Rome.").startsWith(printed()), printed());
        } finally {
            slow.close();
        }
    }

    @Test
    void finalMessageTask_printsTheTextThenTheStopReasonAndUsage() {
        Message message = FinalMessage.run(client);
        assertEquals(
                message.text() + "\n" + "end_turn, " + message.usage().outputTokens() + " output tokens\n",
                printed().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void handleErrors_aFailureMidStream_saysWhatHappenedWithThePartial() {
        String what = HandleErrors.run(client, "fake-error-mid-stream");
        assertTrue(what.startsWith("API error ") && what.contains("overloaded_error"), what);
        assertTrue(HandleErrors.run(client, ExampleClient.MODEL).equals("done"));
    }

    @Test
    void anotherProvider_theNeutralStreamPrintsTheSameText() {
        AnotherProvider.run(client, ExampleClient.MODEL);
        assertEquals(whole("What makes bread rise?"), printed());
    }
}
