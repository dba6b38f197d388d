package dev.sluice.internal.low.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One message of an AWS event stream: its headers, in the order they came, and its payload.
 *
 * <p>Bedrock's messages say what they are in string headers, which the accessors read:
 * {@code :message-type} ({@code event}, {@code exception} or {@code error}), then
 * {@code :event-type} for an event, {@code :exception-type} for an exception (whose payload is the
 * error's JSON), {@code :error-code} and {@code :error-message} for an error, and
 * {@code :content-type} for the payload.
 *
 * @param headers the headers by name (unmodifiable; a name that came twice holds its last value)
 * @param payload the payload, not copied: its reader must not change it
 */
public record EventStreamMessage(Map<String, HeaderValue> headers, byte[] payload) {
    public EventStreamMessage {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (payload == null) throw new NullPointerException("payload");
    }

    /** {@return the header of this name, when there is one} */
    public Optional<HeaderValue> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** {@return the value of the header of this name when it is a string header} */
    public Optional<String> stringHeader(String name) {
        return headers.get(name) instanceof HeaderValue.StringValue s ? Optional.of(s.value()) : Optional.empty();
    }

    /** {@return {@code :message-type}: {@code event}, {@code exception} or {@code error}} */
    public Optional<String> messageType() { return stringHeader(":message-type"); }

    /** {@return {@code :event-type}, the event's name (an event's)} */
    public Optional<String> eventType() { return stringHeader(":event-type"); }

    /** {@return {@code :exception-type}, the modeled exception's name (an exception's)} */
    public Optional<String> exceptionType() { return stringHeader(":exception-type"); }

    /** {@return {@code :error-code} (an error's)} */
    public Optional<String> errorCode() { return stringHeader(":error-code"); }

    /** {@return {@code :error-message} (an error's)} */
    public Optional<String> errorMessage() { return stringHeader(":error-message"); }

    /** {@return {@code :content-type}, the payload's media type} */
    public Optional<String> contentType() { return stringHeader(":content-type"); }

    /** {@return the payload decoded as UTF-8} */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventStreamMessage m && headers.equals(m.headers) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(payload);
    }

    /** {@return the headers and the payload's length (never its content)} */
    @Override
    public String toString() {
        return "EventStreamMessage[headers=" + headers + ", payload=" + payload.length + " bytes]";
    }
}
