package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockDecoderTest {
    private final BedrockDecoder decoder = new BedrockDecoder();

    private List<ConverseEvent> events(ConverseFrames frames) {
        return frames.messages().stream()
                .map(m -> decoder.decode(m, Instant.EPOCH, 0).event())
                .toList();
    }

    private ConverseEvent one(String type, String json) {
        return events(new ConverseFrames().event(type, json)).get(0);
    }

    private ConverseDelta delta(String json) {
        return ((ConverseEvent.ContentBlockDelta)
                        one("contentBlockDelta", "{\"contentBlockIndex\":2,\"delta\":" + json + "}"))
                .delta();
    }

    @Test
    void decode_textStream_everyEventTyped() {
        List<ConverseEvent> e = events(ConverseFrames.text());
        assertEquals(
                List.of(
                        new ConverseEvent.MessageStart("assistant"),
                        new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.TextDelta("Hello")),
                        new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.TextDelta(", world")),
                        new ConverseEvent.ContentBlockStop(0),
                        new ConverseEvent.MessageStop("end_turn", null),
                        new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(12, 3, 15, 0, 0), 321, null)),
                e);
    }

    @Test
    void decode_toolUseStartAndInputDeltas_typed() {
        List<ConverseEvent> e = events(ConverseFrames.toolCall());
        assertEquals(
                new ConverseEvent.ContentBlockStart(1, new ConverseEvent.ToolUseStart("tooluse_1", "get_weather")),
                e.get(3));
        assertEquals(new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("{\"city\":")), e.get(4));
        assertEquals(new ConverseEvent.ContentBlockDelta(1, new ConverseDelta.ToolUseDelta("\"Paris\"}")), e.get(5));
    }

    @Test
    void decode_reasoningDeltas_eachKindVerbatim() {
        assertEquals(new ConverseDelta.ReasoningTextDelta("hmm"), delta("{\"reasoningContent\":{\"text\":\"hmm\"}}"));
        assertEquals(
                new ConverseDelta.ReasoningSignatureDelta("EqQBCkYIARgC+/=="),
                delta("{\"reasoningContent\":{\"signature\":\"EqQBCkYIARgC+/==\"}}"));
        assertEquals(
                new ConverseDelta.RedactedReasoningDelta("AAEC/w=="),
                delta("{\"reasoningContent\":{\"redactedContent\":\"AAEC/w==\"}}"));
    }

    @Test
    void decode_citationDelta_keptAsJson() {
        assertEquals(
                new ConverseDelta.CitationDelta("{\"title\":\"doc\"}"), delta("{\"citation\":{\"title\":\"doc\"}}"));
    }

    @Test
    void decode_unknownDelta_keptNotAnError() {
        assertEquals(
                new ConverseDelta.UnknownDelta("image", "{\"image\":{\"format\":\"png\"}}"),
                delta("{\"image\":{\"format\":\"png\"}}"));
    }

    @Test
    void decode_unknownEvent_keptNotAnError() {
        assertEquals(new ConverseEvent.UnknownEvent("futureEvent", "{\"x\":1}"), one("futureEvent", "{\"x\":1}"));
    }

    @Test
    void decode_messageStopWithFields_andMetadataWithCacheAndTrace() {
        assertEquals(
                new ConverseEvent.MessageStop("max_tokens", "{\"stop_sequence\":null}"),
                one(
                        "messageStop",
                        "{\"stopReason\":\"max_tokens\",\"additionalModelResponseFields\":{\"stop_sequence\":null}}"));
        assertEquals(
                new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(1, 2, 3, 40, 50), -1, "{\"guardrail\":{}}"),
                one(
                        "metadata",
                        "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"totalTokens\":3,"
                                + "\"cacheReadInputTokens\":40,\"cacheWriteInputTokens\":50},\"trace\":{\"guardrail\":{}},\"extra\":true}"));
    }

    @Test
    void decode_toleratesWrongTypesAndMissingFields() {
        assertEquals(
                new ConverseEvent.ContentBlockStart(0, null),
                one("contentBlockStart", "{\"contentBlockIndex\":\"x\",\"start\":{}}"));
        assertEquals(
                new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(0, 0, 0, 0, 0), -1, null),
                one("metadata", "{}"));
    }

    @Test
    void decode_malformedPayload_protocolExceptionNamingTheEvent() {
        EventStreamMessage m = new ConverseFrames()
                .event("contentBlockDelta", "{not json")
                .messages()
                .get(0);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(m, Instant.EPOCH, 0));
        assertTrue(
                e.getMessage().contains("contentBlockDelta") && e.getMessage().contains("{not json"), e.getMessage());
    }

    @Test
    void exceptionFrames_readAsTheEventStreamsErrors_retryableOnlyForOverload() {
        for (String type : List.of(
                "throttlingException",
                "serviceUnavailableException",
                "modelStreamErrorException",
                "validationException",
                "internalServerException",
                "modelTimeoutException")) {
            EventStreamMessage m = new ConverseFrames()
                    .exception(type, "bad " + type)
                    .messages()
                    .get(0);
            AwsJsonErrors.Frame f = AwsJsonErrors.frame(m).orElseThrow();
            assertEquals(new AwsJsonErrors.Frame(type, "bad " + type), f);
            boolean retryable = type.equals("throttlingException")
                    || type.equals("serviceUnavailableException")
                    || type.equals("internalServerException");
            assertEquals(retryable, f.retryable(), type);
        }
        assertTrue(AwsJsonErrors.frame(new ConverseFrames()
                        .event("messageStop", "{\"stopReason\":\"end_turn\"}")
                        .messages()
                        .get(0))
                .isEmpty());
    }
}
