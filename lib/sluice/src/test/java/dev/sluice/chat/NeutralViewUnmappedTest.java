package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.client.StreamObserver;
import dev.sluice.gemini.Content;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.gemini.GenerateContentRequest;
import dev.sluice.gemini.Part;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a provider-neutral view has no place for (an event, block, delta or part of a type the client
 * does not know) is named to the client's stream observers, once per type and stream, so that
 * nothing a stream sends is dropped silently; the typed stream, which delivers those events, names
 * none. (The Responses API's items are {@code ResponsesEvents2026Test}'s.)
 */
class NeutralViewUnmappedTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    /** An Anthropic answer with a block, a delta and an event of types added after this client, and a text. */
    private static final String ANTHROPIC = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_u1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"hologram","frames":3}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"hologram_delta","frame":1}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"hologram_delta","frame":2}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: weather_report
            data: {"type":"weather_report","sunny":true}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    /** A Gemini answer with a part the neutral view has no place for (executable code), signed, and a text. */
    private static final String GEMINI = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"thoughtSignature":"c2ln","executableCode":{"language":"PYTHON","code":"print(1)"}},{"text":"Hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"modelVersion":"gemini-x","responseId":"r_u1"}

            """;

    private final List<List<String>> seen = new CopyOnWriteArrayList<>();

    private final StreamObserver observer = start -> {
        List<String> types = new CopyOnWriteArrayList<>();
        seen.add(types);
        return new StreamObserver.Observation() {
            @Override
            public void onUnmapped(String type) {
                types.add(type);
            }
        };
    };

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model("m")
                .messages(List.of(ChatMessage.user("Go")))
                .build();
    }

    @Test
    void anthropic_unknownBlockDeltaAndEvent_namedOnceEachToTheObserver_typedStreamNone() {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("test-key")
                .baseUrl(fake.server().baseUrl().toString())
                .observer(observer)
                .build()) {
            fake.server().enqueue(FakeResponse.sse(ANTHROPIC));
            assertEquals("Hi", client.chat(request()).text());
            fake.server().enqueue(FakeResponse.sse(ANTHROPIC));
            MessageRequest typed = MessageRequest.builder()
                    .model("m")
                    .maxTokens(64)
                    .addUserMessage("Go")
                    .build();
            try (MessageStream stream = client.messages().stream(typed)) {
                stream.forEach(e -> {});
            }
        }
        assertEquals(List.of(List.of("hologram", "hologram_delta", "weather_report"), List.of()), seen);
    }

    @Test
    void gemini_partOfAKindTheViewHasNoPlaceFor_namedByItsMember_typedStreamNone() {
        try (GeminiClient client = GeminiClient.builder()
                .apiKey("test-key")
                .baseUrl(fake.server().baseUrl().toString())
                .observer(observer)
                .build()) {
            fake.server().enqueue(FakeResponse.sse(GEMINI));
            assertEquals("Hi", client.chat(request()).text());
            fake.server().enqueue(FakeResponse.sse(GEMINI));
            GenerateContentRequest typed = GenerateContentRequest.builder()
                    .addContent(Content.user(Part.text("Go")))
                    .build();
            try (var stream = client.streamGenerateContent("m", typed)) {
                stream.forEach(e -> {});
            }
        }
        assertEquals(List.of(List.of("executableCode"), List.of()), seen);
    }
}
