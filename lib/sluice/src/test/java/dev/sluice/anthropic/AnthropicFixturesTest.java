package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured stream, decoded and accumulated at several chunkings, against its expected message. */
class AnthropicFixturesTest {

    static Stream<Arguments> fixturesAndChunkSizes() {
        return Fixtures.NAMES.stream()
                .flatMap(name -> Stream.of(1, 7, Integer.MAX_VALUE).map(size -> Arguments.of(name, size)));
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("fixturesAndChunkSizes")
    void replay_capturedStream_buildsExpectedMessageOrFailsWithPartial(String name, int chunkSize) {
        byte[] body = Fixtures.sse(name);
        JsonNode expected = Fixtures.expected(name);
        int readSize = Math.min(chunkSize, body.length);
        String outcome = expected.get("outcome").asText();
        switch (outcome) {
            case "complete" -> {
                Message message = MessageStream.replay(new ByteArrayInputStream(body), readSize);
                assertSameJson(expected.get("final_message"), message.toJson());
            }
            case "error" -> {
                ApiException e = assertThrows(
                        ApiException.class, () -> MessageStream.replay(new ByteArrayInputStream(body), readSize));
                JsonNode error = expected.get("error").get("error");
                assertEquals(error.get("type").asText(), e.errorType());
                assertEquals(error.get("message").asText(), e.errorMessage());
                assertTrue(e.inStream());
                assertPartial(expected, e);
            }
            case "truncated" -> {
                IncompleteStreamException e = assertThrows(
                        IncompleteStreamException.class,
                        () -> MessageStream.replay(new ByteArrayInputStream(body), readSize));
                assertTrue(e.getMessage().startsWith("stream ended before message_stop"), e.getMessage());
                assertPartial(expected, e);
            }
            default -> throw new AssertionError("unknown outcome " + outcome);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void accumulator_eventsDecodedOneByOne_matchReplay(String name) {
        // the same events through the public pieces: parser -> decode -> accumulate
        MessageAccumulator acc = new MessageAccumulator();
        new dev.sluice.sse.SseParser(e -> {
                    StreamEvent event = MessageStream.decode(e);
                    acc.accept(event);
                })
                .feed(Fixtures.sse(name), 0, Fixtures.sse(name).length);
        JsonNode expected = Fixtures.expected(name);
        boolean complete = expected.get("outcome").asText().equals("complete");
        assertEquals(complete, acc.isComplete());
        JsonNode message = complete ? expected.get("final_message") : expected.get("partial_message");
        assertSameJson(message, acc.snapshot().toJson());
    }

    static Stream<String> names() {
        return Fixtures.NAMES.stream();
    }

    private static void assertPartial(JsonNode expected, SluiceException e) {
        Message partial = e.partial(Message.class).orElseThrow(() -> new AssertionError("no partial message on " + e));
        assertSameJson(expected.get("partial_message"), partial.toJson());
    }

    static void assertSameJson(JsonNode expected, String actualJson) {
        JsonNode actual = Fixtures.tree(actualJson);
        assertInstanceOf(com.fasterxml.jackson.databind.node.ObjectNode.class, actual);
        assertEquals(
                Fixtures.normalize(expected),
                Fixtures.normalize(actual),
                () -> "expected " + expected + "\nactual   " + actualJson);
    }
}
