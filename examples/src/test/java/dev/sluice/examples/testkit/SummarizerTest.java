package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.TransportException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Its test: the fake server scripts the answers and records the requests. */
class SummarizerTest {
    @RegisterExtension
    static final FakeLlmExtension fake = new FakeLlmExtension();

    private AnthropicClient client() {
        return AnthropicClient.builder()
                .apiKey("test-key")
                .baseUrl(fake.server().baseUrl().toString())
                .build();
    }

    @Test
    void summarize_streamsTheWholeAnswerAndSendsThePrompt() {
        fake.server().enqueue(FakeResponse.answer().text("Tides come ", "from the Moon."));

        try (AnthropicClient client = client()) { // its base URL: fake.server().baseUrl()
            assertEquals("Tides come from the Moon.", new Summarizer(client).summarize("a long text"));
        }
        RecordedRequest request = fake.server().takeRequest();
        assertEquals("test-key", request.header("x-api-key"));
        assertEquals("Summarize: a long text", request.json("/messages/0/content/0/text"));
    }

    @Test
    void summarize_connectionCutMidAnswer_failsWithThePartialText() {
        fake.server()
                .enqueue(FakeResponse.answer()
                        .text("Tides ", "come ", "from the Moon.")
                        .cutAfter(2));

        try (AnthropicClient client = client()) {
            TransportException e =
                    assertThrows(TransportException.class, () -> new Summarizer(client).summarize("a text"));
            assertEquals("Tides come ", e.partial(Message.class).orElseThrow().text());
        }
    }
}
