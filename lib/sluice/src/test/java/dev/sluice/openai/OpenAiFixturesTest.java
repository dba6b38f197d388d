package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every capture, fed 1 byte, 7 bytes and all at once, accumulates to its expected completion or failure. */
class OpenAiFixturesTest {

    static Stream<Arguments> fixturesAndChunkSizes() {
        List<Arguments> list = new ArrayList<>();
        for (String name : OpenAiFixtures.NAMES) {
            for (int size : new int[] {1, 7, Integer.MAX_VALUE}) list.add(Arguments.of(name, size));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} at {1} bytes")
    @MethodSource("fixturesAndChunkSizes")
    @SuppressWarnings("unchecked")
    void replay_capture_matchesExpected(String name, int readSize) {
        Map<String, Object> expected = OpenAiFixtures.expected(name);
        OpenAiFixtures.Outcome outcome = OpenAiFixtures.replay(OpenAiFixtures.sse(name), readSize);
        assertEquals(expected.get("outcome"), outcome.kind());
        if (outcome.kind().equals("complete")) {
            assertEquals(expected.get("final_completion"), OpenAiFixtures.json(outcome.completion()));
            assertNull(outcome.failure());
        } else {
            assertEquals(expected.get("partial_completion"), OpenAiFixtures.json(outcome.completion()));
            Map<String, Object> error = (Map<String, Object>) expected.get("error");
            assertEquals(error.get("class"), outcome.failure().getClass().getSimpleName());
            if (outcome.failure() instanceof ApiException api) {
                assertEquals(error.get("error_type"), api.errorType());
                assertTrue(api.inStream());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void decode_everyCapture_endsWithDoneOrErrorOrNothing(String name) {
        List<ChatCompletionEvent> events = OpenAiFixtures.events(OpenAiFixtures.sse(name), 8192);
        ChatCompletionEvent last = events.getLast();
        switch ((String) OpenAiFixtures.expected(name).get("outcome")) {
            case "complete" -> assertInstanceOf(DoneEvent.class, last);
            case "error" -> assertInstanceOf(ChatCompletionErrorEvent.class, last);
            default -> assertInstanceOf(ChatCompletionChunk.class, last);
        }
    }

    static Stream<String> names() {
        return OpenAiFixtures.NAMES.stream();
    }
}
