package dev.sluice.testkit.internal.wire.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes AWS event stream messages ({@code application/vnd.amazon.eventstream}), as Bedrock Runtime
 * streams them: a prelude (total length, headers length, the prelude's CRC32), the headers, the
 * payload, and the CRC32 of everything before it; integers big-endian. Headers are string-valued
 * (type 7: a one-byte name length, the name, the type, a two-byte value length, the value), all
 * Bedrock sends. The testkit's own encoder, so that a test of the library never checks it against
 * the library's decoder. Stateless.
 */
final class EventStreamFrames {
    private static final int PRELUDE = 12;
    private static final int STRING = 7;
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private EventStreamFrames() {}

    /** {@return an {@code event} message of this type with a JSON payload} */
    static byte[] event(String eventType, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return frame(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@return an {@code exception} message of this type (such as {@code throttlingException}) with a JSON payload} */
    static byte[] exception(String exceptionType, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return frame(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return one message: these string headers, in order, and the payload}
     *
     * @throws IllegalArgumentException if a header name is empty or over 255 bytes, or a value over 65535 bytes
     */
    static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            if (n.length == 0 || n.length > 255)
                throw new IllegalArgumentException("a header name is 1 to 255 bytes: '" + name + "'");
            if (v.length > 65535) throw new IllegalArgumentException("a header value is at most 65535 bytes: " + name);
            h.write(n.length);
            h.writeBytes(n);
            h.write(STRING);
            h.write(v.length >>> 8);
            h.write(v.length & 0xff);
            h.writeBytes(v);
        });
        byte[] headerBytes = h.toByteArray();
        int total = PRELUDE + headerBytes.length + payload.length + 4;
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(headerBytes.length);
        out.putInt((int) crc(out.array(), 0, 8));
        out.put(headerBytes).put(payload);
        out.putInt((int) crc(out.array(), 0, total - 4));
        return out.array();
    }

    private static long crc(byte[] bytes, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(bytes, off, len);
        return crc.getValue();
    }
}
