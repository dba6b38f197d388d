package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.eventstream.HeaderValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Bedrock route's pieces alone: the URI, the body rewrite, and the decoding of each frame. */
class BedrockRouteTest {
    private static final BedrockRoute ROUTE = new BedrockRoute(
            "https://bedrock-runtime.us-east-1.amazonaws.com",
            AwsAccess.builder().region("us-east-1").apiKey("k").build());

    private static EventStreamMessage event(String type, String payload) {
        return new EventStreamMessage(
                Map.of(
                        ":message-type",
                        new HeaderValue.StringValue("event"),
                        ":event-type",
                        new HeaderValue.StringValue(type)),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static EventStreamMessage exception(String type, String payload) {
        return new EventStreamMessage(
                Map.of(
                        ":message-type",
                        new HeaderValue.StringValue("exception"),
                        ":exception-type",
                        new HeaderValue.StringValue(type)),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static List<StreamEvent> decode(EventStreamMessage m) {
        List<StreamEvent> out = new ArrayList<>();
        BedrockRoute.FRAMING.decode(m, out::add);
        return out;
    }

    private static String chunk(String anthropicEvent) {
        return "{\"bytes\":\"" + Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8))
                + "\",\"p\":\"abc\"}";
    }

    @Test
    void uri_modelIdWithColonAndArnSlashes_encodedOnceAsBedrockClientEncodesIt() {
        assertEquals(
                URI.create(
                        "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0"
                                + "/invoke-with-response-stream"),
                ROUTE.uri("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true));
        assertEquals(
                "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/invoke",
                ROUTE.uri("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x", false)
                        .getRawPath());
    }

    @Test
    void body_modelAndStreamDropped_versionFirst_everythingElseInOrderAndExact() {
        String body = ROUTE.body(
                "{\"model\":\"m\",\"max_tokens\":10,\"stream\":true,\"temperature\":0.70,\"x\":123456789012345678901234567890.5e-3,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9\"}],\"metadata\":{\"user_id\":\"u\"}}",
                true);
        assertEquals(
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,\"temperature\":0.70,\"x\":123456789012345678901234567890.5e-3,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hé\"}],\"metadata\":{\"user_id\":\"u\"}}",
                body);
    }

    @Test
    void decode_chunk_theAnthropicEventItCarries() {
        List<StreamEvent> events = decode(event(
                "chunk",
                chunk("{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}")));
        ContentBlockDelta d = assertInstanceOf(ContentBlockDelta.class, events.getFirst());
        assertEquals("Hi", assertInstanceOf(TextDelta.class, d.delta()).text());
    }

    @Test
    void decode_exceptionFrames_leftToTheCall_anErrorChunkIsAnthropicsError() {
        // the call reads exception frames itself (AwsJsonErrors.frame) before the route's decoding
        assertTrue(AwsJsonErrors.frame(exception("throttlingException", "{\"message\":\"slow down\"}"))
                .orElseThrow()
                .retryable());
        StreamEvent overloaded = decode(event(
                        "chunk",
                        chunk("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}")))
                .getFirst();
        assertEquals(new ErrorEvent("overloaded_error", "busy"), overloaded);
        assertTrue(AnthropicStreamDecoding.RULES
                .inBandError(overloaded)
                .orElseThrow()
                .retryable());
        assertFalse(AnthropicStreamDecoding.RULES
                .inBandError(new ErrorEvent("invalid_request_error", "bad"))
                .orElseThrow()
                .retryable());
    }

    @Test
    void decode_malformedChunks_protocolExceptions() {
        assertThrows(ProtocolException.class, () -> decode(event("chunk", "{not json")));
        assertThrows(ProtocolException.class, () -> decode(event("chunk", "{\"p\":\"x\"}")));
        assertThrows(ProtocolException.class, () -> decode(event("chunk", "{\"bytes\":\"%%%\"}")));
        assertThrows(ProtocolException.class, () -> decode(event("chunk", chunk("[1,2]"))));
        assertEquals(List.of(), decode(event("somethingNew", "{}")));
    }
}
