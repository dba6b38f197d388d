package dev.sluice.internal.low.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One message of an AWS event stream: its headers, in the order they came, and its payload.
 *
 * <p>Bedrock's messages say what they are in string headers, which the accessors read:
 * {@code :message-type} ({@code event}, {@code exception} or {@code error}), then
 * {@code :event-type} for an event, {@code :exception-type} for an exception (whose payload is the
 * error's JSON), {@code :error-code} and {@code :error-message} for an error, and
 * {@code :content-type} for the payload.
 *
 * <p>A message the {@link EventStreamDecoder} gives keeps its headers as the bytes they came in
 * (checked by the decoder), followed by the payload, in one array: {@link #stringHeader} and
 * {@link #hasStringHeader} read them where they lie, and the map of {@link #headers()} is built
 * only when asked for. The payload is read without a copy through {@link #payloadArray()},
 * {@link #payloadOffset()} and {@link #payloadLength()}. Immutable in effect: its readers must not
 * change the arrays they are given. Safe to share between threads: what is built on first use is
 * built whole, then published.
 */
public final class EventStreamMessage {
    /** The array holding the encoded headers then the payload (from the decoder); null for a message built from a map. */
    private final byte @Nullable [] frame;

    /** Where the headers start in {@link #frame}. */
    private final int from;

    private final int headersLength;
    /** Where the payload ends in {@link #frame}. */
    private final int end;
    /** The headers by name; built from {@link #frame} on first use when the message was decoded (volatile: safely shared). */
    private volatile @Nullable Map<String, HeaderValue> headers;
    /** The payload as its own array; for a decoded message, copied out of {@link #frame} on first use (volatile: safely shared). */
    private volatile byte @Nullable [] payload;

    /**
     * A message of these headers and this payload.
     *
     * @param headers the headers by name (copied; a name that came twice holds its last value)
     * @param payload the payload, not copied: its reader must not change it
     * @throws NullPointerException if either is null, or a header's name or value is
     */
    public EventStreamMessage(Map<String, HeaderValue> headers, byte[] payload) {
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.payload = Objects.requireNonNull(payload, "payload");
        this.frame = null;
        this.from = 0;
        this.headersLength = 0;
        this.end = 0;
    }

    /**
     * A decoded message: {@code frame[from, end)} holds the headers' bytes, already checked, then the
     * payload. The array is the message's from then on (the decoder hands over a gathered frame
     * rather than copy it): nothing else writes to it.
     */
    EventStreamMessage(byte[] frame, int from, int headersLength, int end) {
        this.frame = frame;
        this.from = from;
        this.headersLength = headersLength;
        this.end = end;
    }

    /** {@return the headers by name, in the order they came (unmodifiable; a name that came twice holds its last value)} */
    public Map<String, HeaderValue> headers() {
        Map<String, HeaderValue> h = headers;
        if (h == null) {
            byte[] f = Objects.requireNonNull(frame, "a message built from a map has its headers");
            h = Collections.unmodifiableMap(EventStreamDecoder.headers(f, from, from + headersLength));
            headers = h;
        }
        return h;
    }

    /** {@return the payload (not a copy for a message built from a map: its reader must not change it)} */
    public byte[] payload() {
        byte[] p = payload;
        if (p == null) {
            byte[] f = Objects.requireNonNull(frame, "a message built from a map has its payload");
            p = Arrays.copyOfRange(f, from + headersLength, end);
            payload = p;
        }
        return p;
    }

    /** {@return the array that holds the payload at {@link #payloadOffset()}, not a copy: its reader must not change it} */
    public byte[] payloadArray() {
        byte[] f = frame;
        return f != null ? f : payload();
    }

    /** {@return where the payload starts in {@link #payloadArray()}} */
    public int payloadOffset() {
        return frame != null ? from + headersLength : 0;
    }

    /** {@return the payload's length in bytes} */
    public int payloadLength() {
        byte[] f = frame;
        return f != null ? end - from - headersLength : payload().length;
    }

    /** {@return the header of this name, when there is one} */
    public Optional<HeaderValue> header(String name) {
        return Optional.ofNullable(headers().get(name));
    }

    /** {@return the value of the header of this name when it is a string header} */
    public Optional<String> stringHeader(String name) {
        byte[] frame = this.frame;
        if (frame == null) {
            return headers().get(name) instanceof HeaderValue.StringValue s ? Optional.of(s.value()) : Optional.empty();
        }
        int at = EventStreamDecoder.findHeader(frame, from, from + headersLength, name);
        if (at < 0 || frame[at] != EventStreamDecoder.STRING_TYPE) return Optional.empty();
        int length = ((frame[at + 1] & 0xFF) << 8) | (frame[at + 2] & 0xFF);
        return Optional.of(new String(frame, at + 3, length, StandardCharsets.UTF_8));
    }

    /**
     * {@return whether the header of this name is a string header of this value} Reads a decoded
     * message's headers where they lie, building nothing, when {@code value} is ASCII.
     */
    public boolean hasStringHeader(String name, String value) {
        byte[] frame = this.frame;
        if (frame == null)
            return headers().get(name) instanceof HeaderValue.StringValue s
                    && s.value().equals(value);
        int at = EventStreamDecoder.findHeader(frame, from, from + headersLength, name);
        if (at < 0 || frame[at] != EventStreamDecoder.STRING_TYPE) return false;
        int length = ((frame[at + 1] & 0xFF) << 8) | (frame[at + 2] & 0xFF);
        return EventStreamDecoder.textEquals(frame, at + 3, length, value);
    }

    /** {@return {@code :message-type}: {@code event}, {@code exception} or {@code error}} */
    public Optional<String> messageType() {
        return stringHeader(":message-type");
    }

    /** {@return {@code :event-type}, the event's name (an event's)} */
    public Optional<String> eventType() {
        return stringHeader(":event-type");
    }

    /** {@return {@code :exception-type}, the modeled exception's name (an exception's)} */
    public Optional<String> exceptionType() {
        return stringHeader(":exception-type");
    }

    /** {@return {@code :error-code} (an error's)} */
    public Optional<String> errorCode() {
        return stringHeader(":error-code");
    }

    /** {@return {@code :error-message} (an error's)} */
    public Optional<String> errorMessage() {
        return stringHeader(":error-message");
    }

    /** {@return {@code :content-type}, the payload's media type} */
    public Optional<String> contentType() {
        return stringHeader(":content-type");
    }

    /** {@return the payload decoded as UTF-8} */
    public String payloadText() {
        return new String(payloadArray(), payloadOffset(), payloadLength(), StandardCharsets.UTF_8);
    }

    /** {@return whether the other is a message of equal headers (in any order) and an equal payload} */
    @Override
    public boolean equals(Object o) {
        return o instanceof EventStreamMessage m
                && headers().equals(m.headers())
                && Arrays.equals(
                        payloadArray(),
                        payloadOffset(),
                        payloadOffset() + payloadLength(),
                        m.payloadArray(),
                        m.payloadOffset(),
                        m.payloadOffset() + m.payloadLength());
    }

    @Override
    public int hashCode() {
        return 31 * headers().hashCode() + Arrays.hashCode(payload());
    }

    /** {@return the headers and the payload's length (never its content)} */
    @Override
    public String toString() {
        return "EventStreamMessage[headers=" + headers() + ", payload=" + payloadLength() + " bytes]";
    }
}
