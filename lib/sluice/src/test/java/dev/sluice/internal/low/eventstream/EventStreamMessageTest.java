package dev.sluice.internal.low.eventstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A decoded message reads its string headers where they lie, and its payload in place: each
 * accessor against the same message built from the header map (the reference).
 */
class EventStreamMessageTest {
    private static final byte[] PAYLOAD = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);

    private static EventStreamMessage decoded(byte[] frame) {
        List<EventStreamMessage> m = Frames.decode(frame);
        assertEquals(1, m.size());
        return m.get(0);
    }

    private static byte[] string(String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + v.length];
        out[0] = (byte) (v.length >> 8);
        out[1] = (byte) v.length;
        System.arraycopy(v, 0, out, 2, v.length);
        return out;
    }

    @Test
    void stringHeader_decodedFrame_readsHeadersInPlaceAsTheMapDoes() {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", new HeaderValue.StringValue("event"));
        h.put(":event-type", new HeaderValue.StringValue("contentBlockDelta"));
        h.put("count", new HeaderValue.IntValue(7));
        h.put("ünï", new HeaderValue.StringValue("wert ✓"));
        h.put(":content-type", new HeaderValue.StringValue("application/json"));
        EventStreamMessage m = decoded(Frames.aws(h, PAYLOAD));
        EventStreamMessage reference = new EventStreamMessage(h, PAYLOAD);

        for (String name : List.of(
                ":message-type", ":event-type", "count", "ünï", ":content-type", ":error-code", "", ":event-typ")) {
            assertEquals(reference.stringHeader(name), m.stringHeader(name), name);
            assertEquals(reference.header(name), m.header(name), name);
        }
        assertEquals(Optional.of("contentBlockDelta"), m.eventType());
        assertEquals(Optional.of("event"), m.messageType());
        assertEquals(Optional.empty(), m.stringHeader("count"), "an int header is not a string header");
        assertTrue(m.hasStringHeader(":event-type", "contentBlockDelta"));
        assertTrue(m.hasStringHeader("ünï", "wert ✓"));
        assertFalse(m.hasStringHeader(":event-type", "contentBlockDelt"));
        assertFalse(m.hasStringHeader(":event-type", "contentBlockDeltas"));
        assertFalse(m.hasStringHeader(":message-type", "exception"));
        assertFalse(m.hasStringHeader("count", "7"), "an int header is not a string header");
        assertFalse(m.hasStringHeader(":error-code", ""));
        assertEquals(h, m.headers());
        assertEquals(List.copyOf(h.keySet()), List.copyOf(m.headers().keySet()));
        assertEquals(reference, m);
        assertEquals(reference.hashCode(), m.hashCode());
        assertEquals(reference.toString(), m.toString());
    }

    @Test
    void stringHeader_nameTwice_lastValueAsInTheMap() {
        byte[] headers = Frames.concat(
                Frames.header(":event-type", 7, string("first")),
                Frames.header(":message-type", 7, string("event")),
                Frames.header(":event-type", 7, string("second")),
                Frames.header("twice", 7, string("text")),
                Frames.header("twice", 4, (byte) 0, (byte) 0, (byte) 0, (byte) 9));
        EventStreamMessage m = decoded(Frames.raw(headers, PAYLOAD));
        assertEquals(Optional.of("second"), m.eventType());
        assertTrue(m.hasStringHeader(":event-type", "second"));
        assertFalse(m.hasStringHeader(":event-type", "first"));
        assertEquals(Optional.empty(), m.stringHeader("twice"), "the last one is an int");
        assertFalse(m.hasStringHeader("twice", "text"));
        assertEquals(new HeaderValue.StringValue("second"), m.headers().get(":event-type"));
        assertEquals(new HeaderValue.IntValue(9), m.headers().get("twice"));
        assertEquals(
                List.of(":event-type", ":message-type", "twice"),
                List.copyOf(m.headers().keySet()));
    }

    @Test
    void hasStringHeader_illFormedUtf8_comparedAsDecodedLeniently() {
        byte[] bad = {(byte) 0xC3}; // a lead byte with no continuation: U+FFFD when decoded
        byte[] value = {0, 1, bad[0]};
        EventStreamMessage m = decoded(Frames.raw(Frames.header("h", 7, value), PAYLOAD));
        assertEquals(Optional.of("\uFFFD"), m.stringHeader("h"));
        assertTrue(m.hasStringHeader("h", "\uFFFD"));
        assertFalse(m.hasStringHeader("h", "?"));
    }

    @Test
    void payload_decodedFrame_inPlaceViewAndCopyAgree() {
        Map<String, HeaderValue> h = Map.of(":event-type", new HeaderValue.StringValue("e"));
        byte[] payload = new byte[300];
        new Random(7).nextBytes(payload);
        EventStreamMessage m = decoded(Frames.aws(h, payload));
        assertEquals(payload.length, m.payloadLength());
        assertArrayEquals(
                payload,
                Arrays.copyOfRange(m.payloadArray(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()));
        assertArrayEquals(payload, m.payload());
        assertEquals(new String(payload, StandardCharsets.UTF_8), m.payloadText());

        EventStreamMessage built = new EventStreamMessage(h, payload);
        assertEquals(0, built.payloadOffset());
        assertEquals(payload.length, built.payloadLength());
        assertTrue(built.payloadArray() == payload, "a built message's payload is not copied");
        assertTrue(built.hasStringHeader(":event-type", "e"));
        assertEquals(built, m);
    }
}
