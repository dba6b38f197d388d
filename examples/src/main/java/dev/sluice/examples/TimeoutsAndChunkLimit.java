package dev.sluice.examples;

import dev.sluice.StreamTimeoutException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;

/**
 * Bounding a stream: a timeout ends it with a {@link StreamTimeoutException} that carries the
 * partial message; the chunk limit ends it normally, with {@code endReason() == CHUNK_LIMIT}.
 */
public final class TimeoutsAndChunkLimit {
    private TimeoutsAndChunkLimit() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            System.out.println(run(example.client(), ExampleClient.MODEL, Duration.ofSeconds(10), 20));
        }
    }

    /**
     * Streams a reply under an idle timeout and a chunk limit.
     *
     * @return how it ended and the text received: "CHUNK_LIMIT: ...", "COMPLETED: ..." or
     *     "IDLE timeout after 0.3 s: ..." (with the partial text)
     */
    static String run(AnthropicClient client, String model, Duration idle, long maxChunks) {
        StreamOptions options = StreamOptions.builder() // immutable: reuse it for any number of streams
                .firstEventTimeout(Duration.ofSeconds(30)) // until the first content event
                .idleTimeout(idle) // between content events
                .totalTimeout(Duration.ofMinutes(2)) // the whole stream
                .maxChunks(maxChunks) // content events, then a normal end
                .build();
        MessageRequest request = MessageRequest.builder()
                .model(model)
                .maxTokens(1024)
                .addUserMessage("Why do we need sleep?")
                .build();
        try (MessageStream stream = client.messages().stream(request, options)) {
            stream.forEach(event -> {});
            String text = stream.snapshot().text();
            return stream.endReason().orElseThrow() + ": " + text;
        } catch (StreamTimeoutException e) {
            String partial = e.partial(Message.class).map(Message::text).orElse("");
            return e.timeout() + " timeout after " + e.limit().toMillis() / 1000.0 + " s: " + partial;
        }
    }
}
