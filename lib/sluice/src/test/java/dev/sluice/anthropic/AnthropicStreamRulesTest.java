package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules of an Anthropic stream, as {@link AnthropicStreamDecoding#RULES} gives them to the engine,
 * and its Server-Sent Events' decoding ({@link AnthropicStreamDecoding#SSE}).
 */
class AnthropicStreamRulesTest {
    private static final StreamRules<StreamEvent> RULES = AnthropicStreamDecoding.RULES;
    private static final SseFraming<StreamEvent> SSE = AnthropicStreamDecoding.SSE;

    private static final StreamEvent START = new MessageStart(
            new Message("msg_1", "message", "assistant", "m", List.of(), null, null, MessageUsage.empty()));
    private static final StreamEvent DELTA = new ContentBlockDelta(0, new TextDelta("a"));
    private static final StreamEvent STOP = new MessageStop();

    @Test
    void isContent_blockEventsMessageDeltaAndStop_contentTheRestNot() {
        for (StreamEvent e : List.of(
                new ContentBlockStart(0, new TextBlock("", List.of())),
                DELTA,
                new ContentBlockStop(0),
                new MessageDelta("end_turn", null, MessageUsage.empty()),
                STOP)) {
            assertTrue(RULES.isContent(e), e.toString());
        }
        for (StreamEvent e :
                List.of(START, new Ping(), new UnknownEvent("x", "{}"), new ErrorEvent("api_error", "m"))) {
            assertFalse(RULES.isContent(e), e.toString());
        }
    }

    @Test
    void isTerminal_onlyMessageStop() {
        assertTrue(RULES.isTerminal(STOP));
        for (StreamEvent e : List.of(START, DELTA, new Ping(), new ErrorEvent("api_error", "m"))) {
            assertFalse(RULES.isTerminal(e), e.toString());
        }
        assertFalse(RULES.completesAtEndOfInput(DELTA));
    }

    @Test
    void inBandError_errorEvent_apiExceptionWithTheStatusRetryableByType() {
        StreamRules.InBandError overloaded = RULES.inBandError(new ErrorEvent("overloaded_error", "Overloaded"))
                .orElseThrow();
        assertTrue(overloaded.retryable());
        assertEquals(200, overloaded.exception(200, java.util.Map.of()).statusCode());
        assertEquals(
                "overloaded_error",
                overloaded.exception(200, java.util.Map.of()).errorType());
        assertTrue(overloaded.exception(200, java.util.Map.of()).inStream());
        assertTrue(RULES.inBandError(new ErrorEvent("api_error", "m"))
                .orElseThrow()
                .retryable());
        assertTrue(RULES.inBandError(new ErrorEvent("rate_limit_error", "m"))
                .orElseThrow()
                .retryable());
        ApiException invalid = RULES.inBandError(new ErrorEvent("invalid_request_error", "bad"))
                .orElseThrow()
                .exception(201, java.util.Map.of());
        assertFalse(RULES.inBandError(new ErrorEvent("invalid_request_error", "bad"))
                .orElseThrow()
                .retryable());
        assertEquals(201, invalid.statusCode());
    }

    @Test
    void inBandError_anyOtherEvent_empty() {
        for (StreamEvent e : List.of(START, DELTA, STOP, new Ping(), new UnknownEvent("error2", "{}"))) {
            assertEquals(Optional.empty(), RULES.inBandError(e), e.toString());
        }
    }

    @Test
    void endOfInput_always_incompleteStreamException() {
        Optional<SluiceException> failure = RULES.endOfInput();
        assertInstanceOf(IncompleteStreamException.class, failure.orElseThrow());
        assertTrue(
                failure.get().getMessage().contains("message_stop"),
                failure.get().getMessage());
    }

    @Test
    void decode_errorEvent_passedOnAsAnEvent() {
        List<StreamEvent> out = new ArrayList<>();
        SSE.decode(
                new SseEvent(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                        null),
                out::add);
        assertEquals(List.of(new ErrorEvent("overloaded_error", "Overloaded")), out);
    }

    @Test
    void decodeRaw_compactShape_handledWithTheSameEventAsJackson() {
        String data =
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}";
        byte[] bytes = ("xx" + data).getBytes(StandardCharsets.UTF_8);
        List<StreamEvent> raw = new ArrayList<>();
        assertTrue(SSE.decode("content_block_delta", bytes, 2, bytes.length - 2, raw::add));
        List<StreamEvent> decoded = new ArrayList<>();
        SSE.decode(new SseEvent("content_block_delta", data, null), decoded::add);
        assertEquals(decoded, raw);
    }

    @Test
    void decodeRaw_anyOtherShape_declinedWithoutAnEvent() {
        byte[] bytes = "{\"type\":\"message_start\",\"message\":{}}".getBytes(StandardCharsets.UTF_8);
        List<StreamEvent> out = new ArrayList<>();
        assertFalse(SSE.decode("message_start", bytes, 0, bytes.length, out::add));
        assertEquals(List.of(), out);
    }
}
