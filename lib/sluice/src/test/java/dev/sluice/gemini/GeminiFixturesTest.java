package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ToolCall;
import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured Gemini stream, replayed at several chunkings, against its expected response. */
class GeminiFixturesTest {

    static Stream<Arguments> fixturesAndChunkSizes() {
        return GeminiFixtures.NAMES.stream()
                .flatMap(name -> Stream.of(1, 7, Integer.MAX_VALUE).map(size -> Arguments.of(name, size)));
    }

    static Stream<String> completeFixtures() {
        return GeminiFixtures.NAMES.stream()
                .filter(n -> GeminiFixtures.expected(n).get("outcome").asText().equals("complete"));
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("fixturesAndChunkSizes")
    void replay_capturedStream_buildsExpectedResponseOrFailsWithPartial(String name, int chunkSize) {
        byte[] body = GeminiFixtures.sse(name);
        JsonNode expected = GeminiFixtures.expected(name);
        int readSize = Math.min(chunkSize, body.length);
        switch (expected.get("outcome").asText()) {
            case "complete" -> {
                GenerateContentResponse response =
                        GenerateContentStream.replay(new ByteArrayInputStream(body), readSize);
                assertEquals(expected.get("final_response"), GeminiFixtures.tree(response.toJson()));
            }
            case "error" -> {
                ApiException e = assertThrows(
                        ApiException.class,
                        () -> GenerateContentStream.replay(new ByteArrayInputStream(body), readSize));
                JsonNode error = expected.get("error");
                assertEquals(error.get("type").asText(), e.errorType());
                assertEquals(error.get("message").asText(), e.errorMessage());
                assertEquals(error.get("status").asInt(), e.statusCode());
                assertTrue(e.inStream());
                assertPartial(expected, e);
            }
            case "truncated" -> {
                IncompleteStreamException e = assertThrows(
                        IncompleteStreamException.class,
                        () -> GenerateContentStream.replay(new ByteArrayInputStream(body), readSize));
                assertTrue(e.getMessage().startsWith("stream ended before a finishReason"), e.getMessage());
                assertPartial(expected, e);
            }
            default -> throw new AssertionError("unknown outcome in " + name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("completeFixtures")
    void neutralMapping_completeStream_aggregatesToExpectedChatResponse(String name) {
        JsonNode neutral = GeminiFixtures.expected(name).get("neutral");
        ChatResponse response = GeminiFixtures.neutral(name);
        assertEquals(neutral.get("id").asText(), response.id());
        assertEquals(neutral.get("text").asText(), response.text());
        assertEquals(neutral.get("thinking").asText(), response.thinking());
        assertEquals(neutral.get("tool_calls").size(), response.toolCalls().size());
        for (int i = 0; i < response.toolCalls().size(); i++) {
            ToolCall call = response.toolCalls().get(i);
            JsonNode want = neutral.get("tool_calls").get(i);
            assertEquals(i, call.index());
            assertEquals(want.get("id").asText(), call.id());
            assertEquals(want.get("name").asText(), call.name());
            assertTrue(call.argumentsValid(), call.argumentsError());
            assertEquals(want.get("arguments"), GeminiFixtures.tree(call.arguments()));
        }
        assertEquals(
                neutral.get("finish_reason").get("kind").asText(),
                response.finishReason().kind().name());
        assertEquals(
                neutral.get("finish_reason").get("raw").asText(),
                response.finishReason().raw());
        JsonNode usage = neutral.get("usage");
        assertEquals(usage.get("input").asLong(), response.usage().inputTokens());
        assertEquals(usage.get("output").asLong(), response.usage().outputTokens());
        assertEquals(usage.get("cache_read").asLong(), response.usage().cacheReadTokens());
        assertEquals(
                neutral.path("model").asText("gemini-2.5-flash"),
                response.metadata().model());
        JsonNode state = neutral.get("provider_state");
        if (state != null) { // the opaque signatures, byte for byte, in the state the next turn sends back
            assertEquals(
                    state.get("provider").asText(), response.providerState().provider());
            assertEquals(state.get("data").asText(), response.providerState().data());
        }
    }

    private static void assertPartial(JsonNode expected, SluiceException e) {
        GenerateContentResponse partial = e.partial(GenerateContentResponse.class)
                .orElseThrow(() -> new AssertionError("no partial response on " + e));
        assertEquals(expected.get("partial_response"), GeminiFixtures.tree(partial.toJson()));
        assertInstanceOf(GenerateContentResponse.class, e.partial().orElseThrow());
    }
}
