package dev.sluice.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.RetryPolicy;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/langchain4j.md's examples, against the fake server. */
class LangChain4jModelsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private AnthropicClient anthropic() {
        return AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    /**
     * LangChain4j logs through SLF4J 2: on this class path slf4j-api must be a 2.x that finds the
     * provider there, or SLF4J falls back to logging nothing and says so in three lines on stderr.
     */
    @Test
    void slf4j_langChain4jsClassPath_findsAProviderSoItPrintsNoWarnings() {
        assertFalse(
                org.slf4j.LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory,
                "SLF4J fell back to no logging (slf4j-api "
                        + org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion() + ")");
    }

    @Test
    void stream_firstProviderOverloaded_theSecondAnswersThroughTheStreamingModel() throws Exception {
        FAKE.server()
                .setDispatcher(r -> r.path().equals("/v1/messages")
                        ? FakeResponse.overloaded()
                        : FakeResponse.answer().text("Rivers carry ", "salt to the sea."));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AnthropicClient anthropic = anthropic();
                OpenAiClient openai = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .build()) {
            String answer =
                    LangChain4jModels.stream(anthropic, openai, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals("Rivers carry salt to the sea.", answer);
        }
        assertTrue(
                bytes.toString(StandardCharsets.UTF_8)
                        .startsWith("Rivers carry salt to the sea.\ngpt-6-luna, 2 tokens"),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printAnswer_printsTheStreamedAnswer() throws Exception {
        FAKE.server().enqueue(FakeResponse.answer().text("Salt ", "from rocks."));
        PrintStream stdout = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (AnthropicClient anthropic = anthropic()) {
            LangChain4jModels.printAnswer(anthropic);
        } finally {
            System.setOut(stdout);
        }
        assertEquals("Salt from rocks.", bytes.toString(StandardCharsets.UTF_8));
        assertEquals("Why is the sea salty?", FAKE.server().takeRequest().json("/messages/0/content/0/text"));
    }

    @Test
    void chat_returnsTheWholeAnswer() {
        FAKE.server().enqueue(FakeResponse.answer().text("Salt ", "from rocks."));
        try (AnthropicClient anthropic = anthropic()) {
            assertEquals("Salt from rocks.", LangChain4jModels.chat(anthropic));
        }
    }

    @Test
    void cancelWhenSilent_noTokenInTime_closesTheConnection() throws Exception {
        FAKE.server().enqueue(FakeResponse.noResponse());
        try (AnthropicClient anthropic = anthropic()) {
            SluiceStreamingChatModel model = SluiceStreamingChatModel.builder()
                    .provider(anthropic)
                    .model("claude-sonnet-5-5")
                    .build();
            assertTrue(LangChain4jModels.cancelWhenSilent(model, 200));
            await().atMost(Duration.ofSeconds(1)).until(() -> FAKE.server().activeRequests() == 0);

            FAKE.server().enqueue(FakeResponse.answer().text("Quick."));
            assertFalse(LangChain4jModels.cancelWhenSilent(model, 5_000));
        }
    }
}
