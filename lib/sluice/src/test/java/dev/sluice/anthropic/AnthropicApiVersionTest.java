package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.models.AnthropicApiVersion;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code anthropic-version} a client sends is a catalog fact, and a neutral request follows what it accepts. */
class AnthropicApiVersionTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @ParameterizedTest
    @CsvSource({"2023-06-01, true", "2026-10-21, false", "2027-03-01, false"})
    void stream_temperature_sentOnlyWhereTheApiVersionTakesSampling(String version, boolean sent) {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("h")));
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-6") // its row takes sampling: the version decides
                .addMessage(ChatMessage.user("hi"))
                .temperature(0.2)
                .build();
        try (AnthropicClient client = ClientTestSupport.client(
                                fake.server().baseUrl().toString())
                        .anthropicVersion(version)
                        .build();
                EventStream<MessageChunk> s = client.stream(request)) {
            s.forEach(c -> {});
        }
        RecordedRequest q = fake.server().takeRequest();
        assertEquals(version, q.header("anthropic-version"));
        assertEquals(sent, q.body().contains("\"temperature\""), q.body());
    }

    @Test
    void of_eachVersion_whatItAccepts() {
        assertEquals(AnthropicApiVersion.DEFAULT_VERSION, AnthropicClient.DEFAULT_ANTHROPIC_VERSION);
        assertTrue(AnthropicApiVersion.of("2023-06-01").sampling());
        assertFalse(AnthropicApiVersion.of("2026-10-21").sampling());
        assertFalse(AnthropicApiVersion.of("2099-01-01").sampling()); // newer: keeps what 2026-10-21 removed
        assertTrue(AnthropicApiVersion.of("2023-01-01").sampling());
        assertEquals("2099-01-01", AnthropicApiVersion.of("2099-01-01").version());
    }
}
