package dev.sluice.internal.low.eventstream;

import static dev.sluice.internal.low.eventstream.Frames.aws;
import static dev.sluice.internal.low.eventstream.Frames.concat;
import static dev.sluice.internal.low.eventstream.Frames.decode;
import static dev.sluice.internal.low.eventstream.Frames.header;
import static dev.sluice.internal.low.eventstream.Frames.prelude;
import static dev.sluice.internal.low.eventstream.Frames.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder's rules, one test each; frames from AWS's own encoder or built raw ({@link Frames}). */
class EventStreamDecoderTest {
    private static final byte[] PAYLOAD = "{\"bytes\":\"eyJ0eXBlIjoicGluZyJ9\"}".getBytes(StandardCharsets.UTF_8);

    static Stream<Arguments> headerTypes() {
        return Stream.of(
                Arguments.of("type 0, true", new HeaderValue.BoolValue(true), header("h", 0)),
                Arguments.of("type 1, false", new HeaderValue.BoolValue(false), header("h", 1)),
                Arguments.of("type 2, byte", new HeaderValue.ByteValue((byte) -7), header("h", 2, (byte) 0xF9)),
                Arguments.of("type 3, short", new HeaderValue.ShortValue((short) -2), header("h", 3, (byte) 0xFF, (byte)
                        0xFE)),
                Arguments.of(
                        "type 4, int",
                        new HeaderValue.IntValue(0x01020304),
                        header("h", 4, (byte) 1, (byte) 2, (byte) 3, (byte) 4)),
                Arguments.of(
                        "type 5, long",
                        new HeaderValue.LongValue(Long.MIN_VALUE + 5),
                        header("h", 5, (byte) 0x80, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte)
                                5)),
                Arguments.of(
                        "type 6, bytes",
                        new HeaderValue.BytesValue(new byte[] {0, (byte) 0xFF, 42}),
                        header("h", 6, (byte) 0, (byte) 3, (byte) 0, (byte) 0xFF, (byte) 42)),
                Arguments.of(
                        "type 7, string",
                        new HeaderValue.StringValue("é€"),
                        header("h", 7, (byte) 0, (byte) 5, (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte)
                                0xAC)),
                Arguments.of(
                        "type 8, timestamp",
                        new HeaderValue.TimestampValue(Instant.ofEpochMilli(1_700_000_000_123L)),
                        header(
                                "h",
                                8,
                                (byte) 0,
                                (byte) 0,
                                (byte) 0x01,
                                (byte) 0x8B,
                                (byte) 0xCF,
                                (byte) 0xE5,
                                (byte) 0x68,
                                (byte) 0x7B)),
                Arguments.of(
                        "type 9, uuid",
                        new HeaderValue.UuidValue(new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L)),
                        header(
                                "h", 9, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8,
                                (byte) 9, (byte) 10, (byte) 11, (byte) 12, (byte) 13, (byte) 14, (byte) 15,
                                (byte) 16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerTypes")
    void feed_eachHeaderType_decodesItsValue(String name, HeaderValue expected, byte[] rawHeader) {
        EventStreamMessage fromRaw = decode(raw(rawHeader, PAYLOAD)).getFirst();
        assertEquals(Map.of("h", expected), fromRaw.headers());
        assertArrayEquals(PAYLOAD, fromRaw.payload());
        // AWS's decoder reads the same value from the same bytes; its encoder writes the same bytes, but
        // for byte and short values, of which eventstream 1.0.1 writes the type and not the value
        software.amazon.eventstream.Message reference =
                software.amazon.eventstream.Message.decode(ByteBuffer.wrap(raw(rawHeader, PAYLOAD)));
        assertEquals(Frames.toAws(expected), reference.getHeaders().get("h"));
        if (!(expected instanceof HeaderValue.ByteValue) && !(expected instanceof HeaderValue.ShortValue))
            assertArrayEquals(
                    aws(Map.of("h", expected), PAYLOAD),
                    raw(rawHeader, PAYLOAD),
                    "the raw bytes are not AWS's encoding");
    }

    @Test
    void feed_bedrockChunkEvent_exposesTheHeadersProvidersRead() {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", new HeaderValue.StringValue("chunk"));
        headers.put(":content-type", new HeaderValue.StringValue("application/json"));
        headers.put(":message-type", new HeaderValue.StringValue("event"));
        EventStreamMessage m = decode(aws(headers, PAYLOAD)).getFirst();
        assertEquals(Optional.of("event"), m.messageType());
        assertEquals(Optional.of("chunk"), m.eventType());
        assertEquals(Optional.of("application/json"), m.contentType());
        assertEquals(Optional.empty(), m.exceptionType());
        assertEquals(List.copyOf(headers.keySet()), List.copyOf(m.headers().keySet()), "header order kept");
        assertEquals(new String(PAYLOAD, StandardCharsets.UTF_8), m.payloadText());
    }

    @Test
    void feed_bedrockException_exposesItsTypeAndPayload() {
        Map<String, HeaderValue> headers = Map.of(
                ":message-type",
                new HeaderValue.StringValue("exception"),
                ":exception-type",
                new HeaderValue.StringValue("throttlingException"),
                ":content-type",
                new HeaderValue.StringValue("application/json"));
        byte[] body = "{\"message\":\"Too many requests\"}".getBytes(StandardCharsets.UTF_8);
        EventStreamMessage m = decode(aws(headers, body)).getFirst();
        assertEquals(Optional.of("exception"), m.messageType());
        assertEquals(Optional.of("throttlingException"), m.exceptionType());
        assertEquals("{\"message\":\"Too many requests\"}", m.payloadText());
    }

    @Test
    void feed_errorMessage_exposesCodeAndMessage() {
        Map<String, HeaderValue> headers = Map.of(
                ":message-type",
                new HeaderValue.StringValue("error"),
                ":error-code",
                new HeaderValue.StringValue("InternalFailure"),
                ":error-message",
                new HeaderValue.StringValue("try again"));
        EventStreamMessage m = decode(aws(headers, new byte[0])).getFirst();
        assertEquals(Optional.of("InternalFailure"), m.errorCode());
        assertEquals(Optional.of("try again"), m.errorMessage());
    }

    @Test
    void stringHeader_ofANonStringHeader_isEmpty() {
        EventStreamMessage m = decode(aws(Map.of(":event-type", new HeaderValue.IntValue(3)), PAYLOAD))
                .getFirst();
        assertEquals(Optional.empty(), m.eventType());
        assertEquals(Optional.of(new HeaderValue.IntValue(3)), m.header(":event-type"));
    }

    @Test
    void feed_zeroLengthPayload_givesAnEmptyPayload() {
        EventStreamMessage m = decode(aws(Map.of(":event-type", new HeaderValue.StringValue("x")), new byte[0]))
                .getFirst();
        assertEquals(0, m.payload().length);
    }

    @Test
    void feed_smallestFrame_noHeadersNoPayload_givesAnEmptyMessage() {
        byte[] frame = raw(new byte[0], new byte[0]);
        assertEquals(16, frame.length);
        EventStreamMessage m = decode(frame).getFirst();
        assertTrue(m.headers().isEmpty());
        assertEquals(0, m.payload().length);
    }

    @Test
    void feed_splitAtEveryByte_givesTheSameMessages() {
        byte[] stream = concat(
                aws(
                        Map.of(":event-type", new HeaderValue.StringValue("a"), "n", new HeaderValue.LongValue(9)),
                        PAYLOAD),
                raw(new byte[0], new byte[0]),
                aws(Map.of("u", new HeaderValue.UuidValue(UUID.randomUUID())), new byte[0]),
                aws(Map.of(), "last".getBytes(StandardCharsets.UTF_8)));
        List<EventStreamMessage> whole = decode(stream);
        assertEquals(4, whole.size());
        for (int split = 0; split <= stream.length; split++) {
            List<EventStreamMessage> out = new ArrayList<>();
            EventStreamDecoder decoder = new EventStreamDecoder(out::add);
            decoder.feed(stream, 0, split);
            decoder.feed(stream, split, stream.length - split);
            decoder.finish();
            assertEquals(whole, out, "split at " + split);
        }
        assertEquals(whole, decode(stream, EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, 1), "one byte at a time");
        assertEquals(
                whole,
                decode(stream, EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, 0, 3, 0, 7),
                "empty feeds among others");
    }

    @Test
    void feed_preludeCrcMismatch_throwsProtocolException() {
        byte[] frame = aws(Map.of(), PAYLOAD);
        frame[9] ^= 0x10;
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
        assertTrue(e.getMessage().contains("prelude's CRC32"), e.getMessage());
    }

    @Test
    void feed_messageCrcMismatch_throwsProtocolException() {
        byte[] frame = aws(Map.of(), PAYLOAD);
        frame[frame.length - 1] ^= 0x01;
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
        assertTrue(e.getMessage().contains("message's CRC32"), e.getMessage());
    }

    @Test
    void feed_payloadBitFlipped_throwsProtocolException() {
        byte[] frame = aws(Map.of(), PAYLOAD);
        frame[20] ^= 0x04;
        assertThrows(ProtocolException.class, () -> decode(frame));
    }

    @Test
    void feed_totalLengthBitFlipped_isRefusedByThePreludeCrc() {
        for (int bit = 0; bit < 32; bit++) {
            byte[] frame = aws(Map.of(), PAYLOAD);
            frame[bit / 8] ^= (byte) (1 << (bit % 8));
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
            assertTrue(e.getMessage().contains("prelude's CRC32"), e.getMessage());
        }
    }

    @Test
    void feed_headersLengthBitFlipped_isRefusedByThePreludeCrc() {
        for (int bit = 0; bit < 32; bit++) {
            byte[] frame = aws(Map.of("h", new HeaderValue.BoolValue(true)), PAYLOAD);
            frame[4 + bit / 8] ^= (byte) (1 << (bit % 8));
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
            assertTrue(e.getMessage().contains("prelude's CRC32"), e.getMessage());
        }
    }

    @Test
    void feed_totalLengthUnderSixteen_throwsProtocolException() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(concat(prelude(15, 0), new byte[3])));
        assertTrue(e.getMessage().contains("under the 16"), e.getMessage());
    }

    @Test
    void feed_headersLengthPastTheTotal_throwsProtocolException() {
        byte[] frame = raw(16 + 4, 5, new byte[4], new byte[0]);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void feed_frameOverMaxFrameBytes_throwsLimitExceededFromThePreludeAlone() {
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(1024, out::add);
        byte[] prelude = prelude(1025, 0);
        LimitExceededException e =
                assertThrows(LimitExceededException.class, () -> decoder.feed(prelude, 0, prelude.length));
        assertEquals("maxFrameBytes", e.limit());
        assertEquals(1024, e.configuredValue());
        assertTrue(decoder.bufferCapacity() <= 12, "a buffer sized by the untrusted length");
    }

    @Test
    void feed_largestLengthInAPrelude_allocatesNothingByIt() {
        EventStreamDecoder decoder = new EventStreamDecoder(Integer.MAX_VALUE, m -> {});
        byte[] prelude = prelude(-1, 0); // 4 GiB - 1, unsigned
        assertThrows(LimitExceededException.class, () -> decoder.feed(prelude, 0, prelude.length));
        EventStreamDecoder trusting = new EventStreamDecoder(Integer.MAX_VALUE, m -> {});
        byte[] big = prelude(Integer.MAX_VALUE, 0);
        trusting.feed(big, 0, big.length);
        trusting.feed(new byte[100], 0, 100);
        assertTrue(
                trusting.bufferCapacity() <= 256, "buffer of " + trusting.bufferCapacity() + " bytes for 112 received");
    }

    @Test
    void feed_frameWithinTheDefaultBoundInSmallChunks_gatheredInOneArrayOfItsLength_handedOverUncopied() {
        byte[] frame = aws(Map.of(), new byte[100_000]);
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(out::add);
        for (int i = 0; i < frame.length; i += 1000) {
            int n = Math.min(1000, frame.length - i);
            decoder.feed(frame, i, n);
            if (out.isEmpty()) assertEquals(frame.length, decoder.bufferCapacity(), "after " + (i + n));
        }
        decoder.finish();
        assertEquals(1, out.size());
        assertEquals(frame.length, out.getFirst().payloadArray().length, "the gathered frame itself, not a copy");
        assertEquals(100_000, out.getFirst().payloadLength());
    }

    @Test
    void feed_frameBeyondTheDefaultBoundInSmallChunks_bufferGrowsWithTheBytesNeverPastTheFrame() {
        byte[] frame = aws(Map.of(), new byte[EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES + 100_000]);
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(4 * EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, out::add);
        for (int i = 0; i < frame.length; i += 64_000) {
            int n = Math.min(64_000, frame.length - i);
            decoder.feed(frame, i, n);
            if (out.isEmpty()) {
                int received = i + n;
                assertTrue(
                        decoder.bufferCapacity() <= Math.max(256, 2 * received),
                        "capacity " + decoder.bufferCapacity() + " after " + received);
                assertTrue(decoder.bufferCapacity() <= frame.length);
            }
        }
        decoder.finish();
        assertEquals(1, out.size());
    }

    @Test
    void finish_insideAPrelude_throwsProtocolException() {
        EventStreamDecoder decoder = new EventStreamDecoder(m -> {});
        byte[] frame = aws(Map.of(), PAYLOAD);
        decoder.feed(frame, 0, 5);
        ProtocolException e = assertThrows(ProtocolException.class, decoder::finish);
        assertTrue(e.getMessage().contains("inside a frame's prelude, after 5 of its 12 bytes"), e.getMessage());
    }

    @Test
    void finish_insideAFrame_throwsProtocolException() {
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(out::add);
        byte[] stream = concat(aws(Map.of(), PAYLOAD), aws(Map.of(), PAYLOAD));
        decoder.feed(stream, 0, stream.length - 1);
        ProtocolException e = assertThrows(ProtocolException.class, decoder::finish);
        assertEquals(1, out.size(), "the whole frame before is given");
        assertTrue(
                e.getMessage()
                        .contains("inside a frame, after " + (stream.length / 2 - 1) + " of its " + stream.length / 2
                                + " bytes"),
                e.getMessage());
    }

    @Test
    void feed_headerRunningPastTheHeaders_throwsProtocolException() {
        byte[] truncatedInt = header("h", 4, (byte) 1, (byte) 2);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(raw(truncatedInt, PAYLOAD)));
        assertTrue(e.getMessage().contains("runs past the end of the headers"), e.getMessage());
        byte[] longString = header("s", 7, (byte) 0, (byte) 9, (byte) 'a');
        assertThrows(ProtocolException.class, () -> decode(raw(longString, PAYLOAD)));
        byte[] longName = {(byte) 40, 'a', 'b'};
        assertThrows(ProtocolException.class, () -> decode(raw(longName, PAYLOAD)));
    }

    @Test
    void feed_unknownHeaderType_throwsProtocolException() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(raw(header("h", 10), PAYLOAD)));
        assertTrue(e.getMessage().contains("unknown type 10"), e.getMessage());
        assertThrows(ProtocolException.class, () -> decode(raw(header("h", -1), PAYLOAD)));
    }

    @Test
    void feed_emptyHeaderName_throwsProtocolException() {
        assertThrows(ProtocolException.class, () -> decode(raw(new byte[] {0, 0}, PAYLOAD)));
    }

    @Test
    void feed_afterAFailure_throwsIllegalState() {
        EventStreamDecoder decoder = new EventStreamDecoder(m -> {});
        byte[] frame = aws(Map.of(), PAYLOAD);
        frame[frame.length - 1] ^= 1;
        assertThrows(ProtocolException.class, () -> decoder.feed(frame, 0, frame.length));
        assertThrows(IllegalStateException.class, () -> decoder.feed(frame, 0, 1));
        assertThrows(IllegalStateException.class, decoder::finish);
    }

    @Test
    void feed_afterFinish_throwsIllegalState_andFinishAgainDoesNothing() {
        EventStreamDecoder decoder = new EventStreamDecoder(m -> {});
        decoder.finish();
        decoder.finish();
        assertThrows(IllegalStateException.class, () -> decoder.feed(new byte[1], 0, 1));
    }

    @Test
    void feed_listenerThrows_propagatesAndTheDecoderIsUnusable() {
        EventStreamDecoder decoder = new EventStreamDecoder(m -> {
            throw new IllegalStateException("listener");
        });
        byte[] frame = aws(Map.of(), PAYLOAD);
        assertEquals(
                "listener",
                assertThrows(IllegalStateException.class, () -> decoder.feed(frame, 0, frame.length))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> decoder.feed(frame, 0, frame.length));
    }

    @Test
    void constructor_maxFrameBytesUnderSixteen_throws() {
        assertThrows(IllegalArgumentException.class, () -> new EventStreamDecoder(15, m -> {}));
        assertThrows(NullPointerException.class, () -> new EventStreamDecoder(null));
    }

    @Test
    void feed_rangeOutsideTheArray_throwsIndexOutOfBounds() {
        EventStreamDecoder decoder = new EventStreamDecoder(m -> {});
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.feed(new byte[4], 2, 3));
    }

    @Test
    void message_toString_showsThePayloadsLengthNotItsContent() {
        EventStreamMessage m = new EventStreamMessage(Map.of(), "secret text".getBytes(StandardCharsets.UTF_8));
        assertFalse(m.toString().contains("secret"), m.toString());
        assertTrue(m.toString().contains("11 bytes"), m.toString());
    }
}
