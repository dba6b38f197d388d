package dev.sluice.internal.low.eventstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Frames for the decoder's tests: well-formed ones from AWS's own encoder
 * ({@code software.amazon.eventstream.Message}), and raw ones, whose parts the tests choose, with
 * their CRC32s computed here.
 */
final class Frames {
    private Frames() {}

    /** {@return the frame AWS's encoder makes of these headers and payload} */
    static byte[] aws(Map<String, HeaderValue> headers, byte[] payload) {
        Map<String, software.amazon.eventstream.HeaderValue> aws = new LinkedHashMap<>();
        headers.forEach((name, value) -> aws.put(name, toAws(value)));
        ByteBuffer buffer = new software.amazon.eventstream.Message(aws, payload).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static software.amazon.eventstream.HeaderValue toAws(HeaderValue value) {
        return switch (value) {
            case HeaderValue.BoolValue v -> software.amazon.eventstream.HeaderValue.fromBoolean(v.value());
            case HeaderValue.ByteValue v -> software.amazon.eventstream.HeaderValue.fromByte(v.value());
            case HeaderValue.ShortValue v -> software.amazon.eventstream.HeaderValue.fromShort(v.value());
            case HeaderValue.IntValue v -> software.amazon.eventstream.HeaderValue.fromInteger(v.value());
            case HeaderValue.LongValue v -> software.amazon.eventstream.HeaderValue.fromLong(v.value());
            case HeaderValue.BytesValue v -> software.amazon.eventstream.HeaderValue.fromByteArray(v.value());
            case HeaderValue.StringValue v -> software.amazon.eventstream.HeaderValue.fromString(v.value());
            case HeaderValue.TimestampValue v -> software.amazon.eventstream.HeaderValue.fromTimestamp(v.value());
            case HeaderValue.UuidValue v -> software.amazon.eventstream.HeaderValue.fromUuid(v.value());
        };
    }

    /** {@return a frame of these raw header bytes and payload, both CRC32s right} */
    static byte[] raw(byte[] headers, byte[] payload) {
        return raw(16 + headers.length + payload.length, headers.length, headers, payload);
    }

    /** {@return a frame whose prelude says these lengths, whatever the parts' own, both CRC32s right for its bytes} */
    static byte[] raw(int totalLength, int headersLength, byte[] headers, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + headers.length + payload.length);
        b.putInt(totalLength).putInt(headersLength).putInt(crc(b.array(), 0, 8));
        b.put(headers).put(payload);
        b.putInt(crc(b.array(), 0, b.position()));
        return b.array();
    }

    /** {@return only a prelude, its CRC32 right} */
    static byte[] prelude(int totalLength, int headersLength) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putInt(totalLength).putInt(headersLength).putInt(crc(b.array(), 0, 8));
        return b.array();
    }

    static int crc(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** {@return a header's bytes: name length, name, type, then the value bytes given} */
    static byte[] header(String name, int type, byte... value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(n.length);
        out.writeBytes(n);
        out.write(type);
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** {@return the messages of a stream fed in the given chunk sizes (cycled), then finished} */
    static List<EventStreamMessage> decode(byte[] stream, int maxFrameBytes, int... chunks) {
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(maxFrameBytes, out::add);
        int i = 0;
        for (int c = 0; i < stream.length; c++) {
            int n = Math.min(chunks[c % chunks.length], stream.length - i);
            decoder.feed(stream, i, n);
            i += n;
        }
        decoder.finish();
        return out;
    }

    static List<EventStreamMessage> decode(byte[] stream) {
        return decode(stream, EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, stream.length == 0 ? 1 : stream.length);
    }
}
