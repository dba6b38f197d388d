package dev.sluice.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** The captured Gemini streams in test resources (written from Gemini's published stream format). */
final class GeminiFixtures {
    static final List<String> NAMES = List.of(
            "text-basic",
            "tool-use-weather",
            "thinking-thoughts",
            "usage-cached-max-tokens",
            "safety-finish",
            "prompt-blocked",
            "truncated",
            "error-unavailable-mid-stream",
            "vertex-streamed-function-call-args",
            "gemini3-signatures-parallel-calls");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private GeminiFixtures() {}

    static byte[] sse(String name) {
        return read("/gemini/" + name + ".sse");
    }

    static JsonNode expected(String name) {
        return tree(new String(read("/gemini/" + name + ".expected.json"), java.nio.charset.StandardCharsets.UTF_8));
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(String resource) {
        try (InputStream in = GeminiFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the fixture's complete chunks mapped to neutral chunks (for its expected provider, else gemini) and aggregated, as a live stream would} */
    static ChatResponse neutral(String name) {
        JsonNode expected = expected(name).path("neutral");
        GeminiChunks chunks = new GeminiChunks(
                "gemini-test", () -> 0L, expected.path("provider").asText(GeminiChunks.PROVIDER));
        ChunkAggregator aggregator = new ChunkAggregator();
        byte[] body = sse(name);
        new SseParser(e -> aggregator.accept(chunks.map(GenerateContentStream.decode(e), Instant.EPOCH, 0)))
                .feed(body, 0, body.length);
        return aggregator.result();
    }
}
