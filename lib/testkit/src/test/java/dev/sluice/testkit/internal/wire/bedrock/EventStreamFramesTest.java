package dev.sluice.testkit.internal.wire.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/** The testkit's event stream encoder against AWS's own encoder and decoder ({@code software.amazon.eventstream}). */
class EventStreamFramesTest {

    @Test
    void frame_stringHeaders_sameBytesAsAwsEncoder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", "contentBlockDelta");
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        byte[] payload = "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"héllo ✓\"},\"p\":\"abc\"}"
                .getBytes(StandardCharsets.UTF_8);

        Map<String, HeaderValue> aws = new LinkedHashMap<>();
        headers.forEach((k, v) -> aws.put(k, HeaderValue.fromString(v)));
        ByteBuffer expected = new Message(aws, payload).toByteBuffer();
        byte[] bytes = new byte[expected.remaining()];
        expected.get(bytes);

        assertArrayEquals(bytes, EventStreamFrames.frame(headers, payload));
    }

    @Test
    void eventAndException_readByAwsDecoder_headersAndPayloadIntact() {
        List<Message> got = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(got::add);
        byte[] a = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        byte[] b = EventStreamFrames.exception("throttlingException", "{\"message\":\"slow down\"}");
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        for (byte x : both) decoder.feed(new byte[] {x}); // one byte at a time: the lengths and CRCs must hold

        assertEquals(2, got.size());
        assertEquals("event", got.get(0).getHeaders().get(":message-type").getString());
        assertEquals("messageStop", got.get(0).getHeaders().get(":event-type").getString());
        assertEquals(
                "application/json", got.get(0).getHeaders().get(":content-type").getString());
        assertEquals("{\"stopReason\":\"end_turn\"}", new String(got.get(0).getPayload(), StandardCharsets.UTF_8));
        assertEquals("exception", got.get(1).getHeaders().get(":message-type").getString());
        assertEquals(
                "throttlingException",
                got.get(1).getHeaders().get(":exception-type").getString());
        assertEquals("{\"message\":\"slow down\"}", new String(got.get(1).getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void frame_emptyPayload_decodes() {
        List<Message> got = new ArrayList<>();
        new MessageDecoder(got::add).feed(EventStreamFrames.frame(Map.of(":message-type", "event"), new byte[0]));
        assertEquals(1, got.size());
        assertEquals(0, got.get(0).getPayload().length);
    }

    @Test
    void frame_headerNameTooLong_illegalArgument() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EventStreamFrames.frame(Map.of("x".repeat(256), "v"), new byte[0]));
    }
}
