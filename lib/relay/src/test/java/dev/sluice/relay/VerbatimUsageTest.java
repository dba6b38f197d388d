package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.sse.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a passthrough's own events end, as its {@code done} (and so the access log's
 * {@code end=done:…}) names it: each API's stop, not {@code none}.
 */
class VerbatimUsageTest {
    private static String end(SseEvent... events) {
        ChunkEvents chunks = new ChunkEvents();
        for (SseEvent e : events) VerbatimUsage.observe(e, chunks);
        return chunks.done().finishReason();
    }

    @ParameterizedTest
    @CsvSource({
        "end_turn, stop",
        "tool_use, tool_calls",
        "max_tokens, length",
        "pause_turn, pause_turn",
        "refusal, refusal",
        "something_new, something_new"
    })
    void anthropicStream_messageDeltasStopReason_isTheEnd(String stopReason, String end) {
        assertEquals(
                end,
                end(
                        SseEvent.of("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{}}}"),
                        SseEvent.of(
                                "message_delta",
                                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                                        + "\"},\"usage\":{\"output_tokens\":9}}"),
                        SseEvent.of("message_stop", "{\"type\":\"message_stop\"}")));
    }

    @Test
    void chatCompletionsStream_lastChunksFinishReason_isTheEnd() {
        assertEquals(
                "tool_calls",
                end(
                        SseEvent.of(
                                SseEvent.DEFAULT_TYPE,
                                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}"),
                        SseEvent.of(
                                SseEvent.DEFAULT_TYPE,
                                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\": \"tool_calls\"}]}"),
                        SseEvent.of(SseEvent.DEFAULT_TYPE, "[DONE]")));
    }

    @Test
    void responsesStream_completedIncompleteOrFailed_isTheEnd() {
        assertEquals(
                "stop",
                end(
                        SseEvent.of(
                                "response.completed",
                                "{\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"output\":[{\"type\":\"message\"}]}}")));
        assertEquals(
                "tool_calls",
                end(SseEvent.of(
                        "response.completed",
                        "{\"response\":{\"status\":\"completed\",\"output\":[{\"type\":\"function_call\"}]}}")));
        assertEquals(
                "length",
                end(
                        SseEvent.of(
                                "response.incomplete",
                                "{\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}}}")));
        assertEquals(
                "failed",
                end(SseEvent.of(
                        "response.failed",
                        "{\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\"}}}")));
    }

    @Test
    void wholeAnswers_eachApisStop_isTheEnd() {
        assertEquals(
                "stop",
                end(SseEvent.of(RelayEvent.Verbatim.ANSWER, "{\"type\":\"message\",\"stop_reason\":\"end_turn\"}")));
        assertEquals(
                "length",
                end(SseEvent.of(
                        RelayEvent.Verbatim.ANSWER,
                        "{\"object\":\"chat.completion\",\"choices\":[{\"finish_reason\":\"length\"}]}")));
        assertEquals(
                "stop",
                end(SseEvent.of(
                        RelayEvent.Verbatim.ANSWER,
                        "{\"object\":\"response\",\"status\":\"completed\",\"output\":[]}")));
    }

    @Test
    void streamWithoutAStop_hasNoFinishReason() {
        assertNull(end(SseEvent.of("content_block_delta", "{\"type\":\"content_block_delta\"}")));
    }
}
