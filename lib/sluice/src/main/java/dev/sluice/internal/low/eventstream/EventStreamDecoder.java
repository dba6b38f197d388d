package dev.sluice.internal.low.eventstream;

import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * An incremental, push-based decoder of the AWS event stream format
 * ({@code application/vnd.amazon.eventstream}). Feed it the bytes of a stream in chunks of any size,
 * then call {@link #finish()}; it gives each complete message to its listener, the same messages
 * whatever the chunking.
 *
 * <p>A frame, all integers big-endian: its total length (4 bytes), its headers' length (4), the
 * prelude's CRC32 over those 8 bytes (4), the headers, the payload, and the message's CRC32 over
 * everything before it (4). A header: its name's length (1 byte) and name (UTF-8, not empty), a type
 * (1 byte) and the value: 0 {@code true} and 1 {@code false} (no bytes), 2 a byte, 3 a short, 4 an
 * int, 5 a long, 6 bytes and 7 UTF-8 text (each after a 2-byte length), 8 a timestamp (8 bytes,
 * milliseconds since the epoch), 9 a UUID (16 bytes).
 *
 * <p>Refused, with a {@link ProtocolException} that says what and where: a prelude or message CRC32
 * that does not match its bytes (the prelude's is checked first, so a corrupted length is reported as
 * corruption, not read); a total length under 16 bytes (the empty frame) or a headers length that
 * does not fit in it; a header that runs past the headers' end, has an empty name or an unknown type;
 * and, at {@link #finish()}, a stream that ends inside a frame. A frame longer than
 * {@code maxFrameBytes} ({@link #DEFAULT_MAX_FRAME_BYTES}, 2 MiB, by default: what Bedrock sends, with
 * room) ends decoding with a {@link LimitExceededException} as soon as its prelude is read.
 *
 * <p>Memory: a frame that lies whole inside one feed is checked where it lies and its headers and
 * payload copied out once (the feeder reuses its array); one split across feeds is gathered in one
 * array of its length, allocated once its prelude is read (at most {@link #DEFAULT_MAX_FRAME_BYTES}),
 * which is handed to the message as it is, not copied: a frame of n bytes takes n bytes. Past the
 * default bound (a decoder given a larger one) the buffer grows by doubling with the bytes that
 * arrive, never past the frame's length, so an untrusted length alone allocates nothing. Text is decoded leniently (ill-formed UTF-8
 * becomes U+FFFD), as AWS's own decoder does.
 *
 * <p>After an exception escapes {@code feed} or {@code finish} (a refusal, or one thrown by the
 * listener), the decoder is unusable and further calls throw {@link IllegalStateException}.
 */
public final class EventStreamDecoder {
    // Threading: not thread-safe. All fields are owned by the thread calling feed()/finish(), one
    // thread at a time (the stream's producer thread); the listener runs on that thread.

    /**
     * 2 MiB, the default {@code maxFrameBytes}: what Bedrock sends, with room to spare. Its largest
     * frames are InvokeModelWithResponseStream's chunks, whose {@code PayloadPart} carries at most
     * 1,000,000 bytes (the Bedrock API reference, {@code API_runtime_PayloadPart}: "Maximum length of
     * 1000000"), 1,333,336 characters in base64 inside the frame's JSON payload; ConverseStream sends
     * an event per delta, a few tokens each. Not the format's own bounds, which are far past anything
     * a model's stream sends: AWS's Java decoder takes payloads up to 16 MiB and headers up to
     * 128 KiB ({@code software.amazon.eventstream.Prelude}, awslabs/aws-eventstream-java's
     * {@code PreludeTest}), and the Smithy specification lets a service send 24 MB.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;
    /** The prelude: total length, headers length, prelude CRC32. */
    static final int PRELUDE_BYTES = 12;
    /** The smallest frame: a prelude and a message CRC32, no headers, no payload. */
    static final int MIN_FRAME_BYTES = 16;

    private static final int INITIAL_CAPACITY = 256;

    private static final byte[] NONE = new byte[0];
    private static final HeaderValue TRUE = new HeaderValue.BoolValue(true);
    private static final HeaderValue FALSE = new HeaderValue.BoolValue(false);

    private final int maxFrameBytes;
    private final Consumer<EventStreamMessage> listener;
    private final CRC32 crc = new CRC32();

    /** The start of a frame split across feeds; empty until one first is. */
    private byte[] buffer = NONE;

    private int buffered;
    /** The total length of the frame being gathered, once its prelude is read; -1 before. */
    private int frameLength = -1;
    /** Messages given to the listener, to say where a refusal happened. */
    private long messages;

    private boolean finished;
    private boolean failed;

    /**
     * A decoder with the default {@code maxFrameBytes} ({@link #DEFAULT_MAX_FRAME_BYTES}, 2 MiB).
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public EventStreamDecoder(Consumer<EventStreamMessage> listener) {
        this(DEFAULT_MAX_FRAME_BYTES, listener);
    }

    /**
     * @param maxFrameBytes the longest frame accepted, prelude and CRCs included
     * @param listener what each message goes to, on the feeding thread
     * @throws IllegalArgumentException if {@code maxFrameBytes} is under 16, the smallest frame
     * @throws NullPointerException if {@code listener} is null
     */
    public EventStreamDecoder(int maxFrameBytes, Consumer<EventStreamMessage> listener) {
        if (maxFrameBytes < MIN_FRAME_BYTES)
            throw new IllegalArgumentException(
                    "maxFrameBytes must be at least " + MIN_FRAME_BYTES + ": " + maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Decodes the next bytes of the stream, giving the listener each message they complete. Any
     * chunking is fine, an empty one included.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     * @throws ProtocolException if the bytes are not a valid frame (see the class comment)
     * @throws LimitExceededException if a frame is longer than {@code maxFrameBytes}
     * @throws IllegalStateException after {@link #finish()} or after an earlier failure
     */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkUsable();
        try {
            decode(bytes, offset, offset + length);
        } catch (RuntimeException | Error e) {
            failed = true;
            buffer = NONE;
            throw e;
        }
    }

    /**
     * Ends the stream. Calling it again does nothing.
     *
     * @throws ProtocolException if the stream ended inside a frame
     * @throws IllegalStateException after an earlier failure
     */
    public void finish() {
        if (finished) return;
        checkUsable();
        finished = true;
        int partial = buffered;
        int length = frameLength;
        buffer = NONE;
        buffered = 0;
        if (partial > 0) {
            failed = true;
            throw new ProtocolException(
                    length < 0
                            ? at("the stream ended inside a frame's prelude, after " + partial + " of its "
                                    + PRELUDE_BYTES + " bytes")
                            : at("the stream ended inside a frame, after " + partial + " of its " + length + " bytes"),
                    null);
        }
    }

    /** {@return the capacity of the buffer that gathers split frames (for tests of the memory bound)} */
    int bufferCapacity() {
        return buffer.length;
    }

    private void checkUsable() {
        if (finished) throw new IllegalStateException("the decoder is finished; feed() after finish() is not allowed");
        if (failed) throw new IllegalStateException("the decoder failed earlier and cannot be used");
    }

    private void decode(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end) {
            if (buffered == 0) {
                int available = end - i;
                if (available < PRELUDE_BYTES) {
                    append(bytes, i, available);
                    return;
                }
                int total = checkPrelude(bytes, i);
                if (available >= total) {
                    decodeFrame(bytes, i, total, false);
                    i += total;
                    continue;
                }
                frameLength = total;
                append(bytes, i, available);
                return;
            }
            if (frameLength < 0) {
                int n = Math.min(PRELUDE_BYTES - buffered, end - i);
                append(bytes, i, n);
                i += n;
                if (buffered < PRELUDE_BYTES) return;
                frameLength = checkPrelude(buffer, 0);
            }
            int n = Math.min(frameLength - buffered, end - i);
            append(bytes, i, n);
            i += n;
            if (buffered == frameLength) {
                int total = frameLength;
                buffered = 0;
                frameLength = -1;
                byte[] frame = buffer; // exactly the frame's length: append never grows past it
                buffer = NONE; // the message keeps the frame: handed over, not copied
                decodeFrame(frame, 0, total, true);
            }
        }
    }

    /**
     * Appends to the buffer: a frame within {@link #DEFAULT_MAX_FRAME_BYTES} goes into one array of its
     * length, allocated once its prelude is read; a longer one (a decoder given a larger bound) into a
     * buffer that grows by doubling with the bytes that arrive, never past the frame's length.
     */
    private void append(byte[] bytes, int from, int n) {
        int needed = buffered + n;
        if (needed > buffer.length) {
            int limit = frameLength < 0 ? PRELUDE_BYTES : frameLength;
            int capacity = frameLength >= 0 && frameLength <= DEFAULT_MAX_FRAME_BYTES
                    ? frameLength
                    : Math.max(needed, Math.min(limit, Math.max(INITIAL_CAPACITY, 2 * buffer.length)));
            byte[] grown = new byte[capacity];
            System.arraycopy(buffer, 0, grown, 0, buffered);
            buffer = grown;
        }
        System.arraycopy(bytes, from, buffer, buffered, n);
        buffered = needed;
    }

    /** Checks a prelude and returns the frame's total length. */
    private int checkPrelude(byte[] b, int off) {
        crc.reset();
        crc.update(b, off, 8);
        int expected = readInt(b, off + 8);
        if ((int) crc.getValue() != expected)
            throw new ProtocolException(
                    at("the prelude's CRC32 is " + hex(expected) + " but its bytes give " + hex((int) crc.getValue())
                            + " (a corrupted frame)"),
                    null);
        long total = readInt(b, off) & 0xFFFFFFFFL;
        long headers = readInt(b, off + 4) & 0xFFFFFFFFL;
        if (total < MIN_FRAME_BYTES)
            throw new ProtocolException(
                    at("a frame's total length is " + total + " bytes, under the " + MIN_FRAME_BYTES
                            + " of an empty frame"),
                    null);
        if (total > maxFrameBytes)
            throw new LimitExceededException(
                    "maxFrameBytes",
                    maxFrameBytes,
                    "an AWS event stream frame of " + total + " bytes, after " + messages + " messages");
        if (headers > total - MIN_FRAME_BYTES)
            throw new ProtocolException(
                    at("a frame's headers length, " + headers + " bytes, does not fit in its total length of " + total),
                    null);
        return (int) total;
    }

    /**
     * Checks and hands over the frame {@code b[off, off + total)}: an {@code owned} array (a gathered
     * frame, which nothing else writes) goes to the message as it is; a frame inside the caller's
     * array is copied out of it, headers and payload only, as the caller reuses its array.
     */
    private void decodeFrame(byte[] b, int off, int total, boolean owned) {
        int crcAt = off + total - 4;
        crc.reset();
        crc.update(b, off, total - 4);
        int expected = readInt(b, crcAt);
        if ((int) crc.getValue() != expected)
            throw new ProtocolException(
                    at("the message's CRC32 is " + hex(expected) + " but its bytes give " + hex((int) crc.getValue())
                            + " (a corrupted frame)"),
                    null);
        int headersFrom = off + PRELUDE_BYTES;
        int headersEnd = headersFrom + readInt(b, off + 4);
        checkHeaders(b, headersFrom, headersEnd);
        messages++;
        if (owned) {
            listener.accept(new EventStreamMessage(b, headersFrom, headersEnd - headersFrom, crcAt));
            return;
        }
        // one array for the headers, as they came, and the payload: the message reads its headers there
        byte[] frame = Arrays.copyOfRange(b, headersFrom, crcAt);
        listener.accept(new EventStreamMessage(frame, 0, headersEnd - headersFrom, frame.length));
    }

    /** The type code of a string header. */
    static final byte STRING_TYPE = 7;

    /** Checks the headers {@code b[from, end)}, building nothing: what {@link #headers} reads cannot fail. */
    private void checkHeaders(byte[] b, int from, int end) {
        int p = from;
        while (p < end) {
            int nameLength = b[p++] & 0xFF;
            if (nameLength == 0) throw malformedHeader("a header with an empty name", p - 1 - from);
            need(p, nameLength + 1, end, "header name", p - 1 - from);
            int nameFrom = p;
            p += nameLength;
            int type = b[p++];
            int size = switch (type) {
                case 0, 1 -> 0;
                case 2 -> 1;
                case 3 -> 2;
                case 4 -> 4;
                case 5, 8 -> 8;
                case 9 -> 16;
                case 6, 7 -> {
                    need(p, 2, end, b, nameFrom, nameLength, p - from);
                    int length = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                    p += 2;
                    yield length;
                }
                default ->
                    throw malformedHeader(
                            "header '" + text(b, nameFrom, nameLength) + "' has the unknown type " + type,
                            p - 1 - from);
            };
            need(p, size, end, b, nameFrom, nameLength, p - from);
            p += size;
        }
    }

    /** {@return the headers {@code b[from, end)}, already checked by {@link #checkHeaders}, by name in their order} */
    static Map<String, HeaderValue> headers(byte[] b, int from, int end) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        int p = from;
        while (p < end) {
            int nameLength = b[p++] & 0xFF;
            String name = text(b, p, nameLength);
            p += nameLength;
            int type = b[p++];
            HeaderValue value;
            switch (type) {
                case 0 -> value = TRUE;
                case 1 -> value = FALSE;
                case 2 -> {
                    value = new HeaderValue.ByteValue(b[p]);
                    p += 1;
                }
                case 3 -> {
                    value = new HeaderValue.ShortValue((short) (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF)));
                    p += 2;
                }
                case 4 -> {
                    value = new HeaderValue.IntValue(readInt(b, p));
                    p += 4;
                }
                case 5 -> {
                    value = new HeaderValue.LongValue(readLong(b, p));
                    p += 8;
                }
                case 6, 7 -> {
                    int length = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                    p += 2;
                    value = type == 6
                            ? new HeaderValue.BytesValue(Arrays.copyOfRange(b, p, p + length))
                            : new HeaderValue.StringValue(text(b, p, length));
                    p += length;
                }
                case 8 -> {
                    value = new HeaderValue.TimestampValue(Instant.ofEpochMilli(readLong(b, p)));
                    p += 8;
                }
                case 9 -> {
                    value = new HeaderValue.UuidValue(new UUID(readLong(b, p), readLong(b, p + 8)));
                    p += 16;
                }
                default -> throw new IllegalStateException("unchecked headers: type " + type);
            }
            headers.put(name, value);
        }
        return headers;
    }

    /**
     * {@return the index of the type byte of the last header named {@code name} in the checked
     * headers {@code b[from, end)}, or -1 when there is none} Builds nothing when the name is ASCII.
     */
    static int findHeader(byte[] b, int from, int end, String name) {
        int found = -1;
        int p = from;
        while (p < end) {
            int nameLength = b[p++] & 0xFF;
            boolean match = textEquals(b, p, nameLength, name);
            p += nameLength;
            if (match) found = p;
            int type = b[p++];
            p += switch (type) {
                case 0, 1 -> 0;
                case 2 -> 1;
                case 3 -> 2;
                case 4 -> 4;
                case 5, 8 -> 8;
                case 9 -> 16;
                default -> 2 + (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF)); // 6, 7: checked
            };
        }
        return found;
    }

    /** {@return whether the UTF-8 bytes {@code b[p, p + length)}, decoded leniently, are {@code value}} */
    static boolean textEquals(byte[] b, int p, int length, String value) {
        int n = value.length();
        for (int k = 0; k < n; k++) {
            if (value.charAt(k) >= 0x80) return text(b, p, length).equals(value);
        }
        if (length != n) return false; // ASCII text is one byte a char; anything else decodes to non-ASCII
        for (int k = 0; k < n; k++) {
            if (b[p + k] != value.charAt(k)) return false;
        }
        return true;
    }

    private static String text(byte[] b, int p, int length) {
        return new String(b, p, length, StandardCharsets.UTF_8);
    }

    private void need(int p, int n, int end, String what, int at) {
        if (n > end - p) throw malformedHeader(what + " runs past the end of the headers", at);
    }

    /** {@link #need} for the value of the header whose name is {@code b[nameFrom, nameFrom + nameLength)}, named only on failure. */
    private void need(int p, int n, int end, byte[] b, int nameFrom, int nameLength, int at) {
        if (n > end - p) throw malformedHeader(text(b, nameFrom, nameLength) + " runs past the end of the headers", at);
    }

    private ProtocolException malformedHeader(String what, int at) {
        return new ProtocolException(at(what + " (at byte " + at + " of the headers)"), null);
    }

    private String at(String what) {
        return "malformed AWS event stream after " + messages + " message" + (messages == 1 ? "" : "s") + ": " + what;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int p) {
        return ((long) readInt(b, p) << 32) | (readInt(b, p + 4) & 0xFFFFFFFFL);
    }
}
