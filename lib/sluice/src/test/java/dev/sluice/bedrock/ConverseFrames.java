package dev.sluice.bedrock;

import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * ConverseStream frames made by AWS's own encoder ({@code software.amazon.eventstream}), string
 * headers only (its encoder writes byte and short headers wrong), and read back through Sluice's
 * decoder, as a body would be.
 */
public final class ConverseFrames {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Appends an event frame. */
    public ConverseFrames event(String type, String json) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return frame(h, json);
    }

    /** Appends an exception frame. */
    public ConverseFrames exception(String type, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("exception"));
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return frame(h, "{\"message\":\"" + message + "\"}");
    }

    private ConverseFrames frame(Map<String, HeaderValue> headers, String payload) {
        ByteBuffer b = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        bytes.writeBytes(a);
        return this;
    }

    /** {@return the body so far} */
    public byte[] bytes() {
        return bytes.toByteArray();
    }

    /** {@return the frames, decoded by Sluice's event stream decoder} */
    List<EventStreamMessage> messages() {
        List<EventStreamMessage> out = new ArrayList<>();
        EventStreamDecoder d = new EventStreamDecoder(out::add);
        byte[] b = bytes();
        d.feed(b, 0, b.length);
        d.finish();
        return out;
    }

    /** A text answer: start, two text deltas, stop, messageStop end_turn, metadata. */
    static ConverseFrames text() {
        return new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"}}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\", world\"}}")
                .event("contentBlockStop", "{\"contentBlockIndex\":0}")
                .event("messageStop", "{\"stopReason\":\"end_turn\"}")
                .event(
                        "metadata",
                        "{\"usage\":{\"inputTokens\":12,\"outputTokens\":3,\"totalTokens\":15},\"metrics\":{\"latencyMs\":321}}");
    }

    /** A tool call: text, then a toolUse block whose input comes in two fragments, stop tool_use. */
    static ConverseFrames toolCall() {
        return new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Looking.\"}}")
                .event("contentBlockStop", "{\"contentBlockIndex\":0}")
                .event(
                        "contentBlockStart",
                        "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":\"get_weather\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}}}")
                .event("contentBlockStop", "{\"contentBlockIndex\":1}")
                .event("messageStop", "{\"stopReason\":\"tool_use\"}")
                .event("metadata", "{\"usage\":{\"inputTokens\":20,\"outputTokens\":9,\"totalTokens\":29}}");
    }
}
