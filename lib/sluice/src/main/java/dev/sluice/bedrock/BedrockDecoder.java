package dev.sluice.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.internal.low.json.Json;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes the frames of a ConverseStream body, tolerantly: each event by its {@code :event-type}
 * header from its JSON payload, unknown members ignored, an unknown event or delta kept as
 * {@link ConverseEvent.UnknownEvent} / {@link ConverseDelta.UnknownDelta}; a field of the wrong JSON
 * type is treated as absent. A frame whose payload is not JSON is a {@link ProtocolException} that
 * names the event type and shows the payload, truncated. Stateless.
 */
final class BedrockDecoder {
    /** How much of a malformed payload a message shows. */
    static final int SHOWN_CHARS = 200;

    /**
     * {@return the event of one frame} The call hands over every frame but an exception or error
     * frame, which it reads itself; any other message type is an event.
     */
    BedrockEvent decode(EventStreamMessage message, Instant receivedAt, long receivedNanos) {
        return new BedrockEvent(event(message), receivedAt, receivedNanos);
    }

    /**
     * {@return the event of an event frame} Read from the payload's bytes where they lie: a
     * {@code contentBlockDelta} of the compact shape by {@link ConverseDeltaScanner}, any other
     * event of a known type by {@link BedrockJacksonReading}, and whatever they decline by
     * {@link #event(String, String)}, the reference, which decides (the same value, or the error).
     */
    ConverseEvent event(EventStreamMessage message) {
        byte[] b = message.payloadArray();
        int off = message.payloadOffset();
        int len = message.payloadLength();
        String type;
        if (message.hasStringHeader(":event-type", "contentBlockDelta")) {
            ConverseEvent fast = ConverseDeltaScanner.scan(b, off, len);
            if (fast != null) return fast;
            type = "contentBlockDelta";
        } else {
            type = message.eventType().orElse("");
        }
        ConverseEvent read = BedrockJacksonReading.read(type, b, off, len);
        return read != null ? read : event(type, message.payloadText());
    }

    /**
     * {@return the event of this type and payload} The reference reading, through the value model
     * ({@link Json#readValue}): the faster paths give exactly what it gives, and leave it what they
     * cannot.
     */
    ConverseEvent event(String type, String json) {
        Map<String, Object> o = object(type, json);
        return switch (type) {
            case "messageStart" -> new ConverseEvent.MessageStart(string(o, "role"));
            case "contentBlockStart" -> {
                Map<String, Object> tool = map(map(o, "start"), "toolUse");
                ConverseEvent.ToolUseStart start = tool.isEmpty()
                        ? null
                        : new ConverseEvent.ToolUseStart(string(tool, "toolUseId"), string(tool, "name"));
                yield new ConverseEvent.ContentBlockStart(index(o), start);
            }
            case "contentBlockDelta" -> new ConverseEvent.ContentBlockDelta(index(o), delta(map(o, "delta")));
            case "contentBlockStop" -> new ConverseEvent.ContentBlockStop(index(o));
            case "messageStop" ->
                new ConverseEvent.MessageStop(
                        string(o, "stopReason"),
                        o.get("additionalModelResponseFields") instanceof Map<?, ?> m ? Json.write(m) : null);
            case "metadata" -> {
                Map<String, Object> u = map(o, "usage");
                ConverseEvent.ConverseUsage usage = new ConverseEvent.ConverseUsage(
                        count(u, "inputTokens"),
                        count(u, "outputTokens"),
                        count(u, "totalTokens"),
                        count(u, "cacheReadInputTokens"),
                        count(u, "cacheWriteInputTokens"));
                Map<String, Object> metrics = map(o, "metrics");
                long latency = metrics.get("latencyMs") instanceof Number n ? Math.max(0, n.longValue()) : -1;
                yield new ConverseEvent.Metadata(
                        usage, latency, o.get("trace") instanceof Map<?, ?> t ? Json.write(t) : null);
            }
            default -> new ConverseEvent.UnknownEvent(type, json);
        };
    }

    /** {@return the set member of a {@code delta} union} */
    static ConverseDelta delta(Map<String, Object> d) {
        if (d.get("text") instanceof String text) return new ConverseDelta.TextDelta(text);
        if (d.get("toolUse") instanceof Map<?, ?> tool) {
            return new ConverseDelta.ToolUseDelta(tool.get("input") instanceof String s ? s : "");
        }
        if (d.get("reasoningContent") instanceof Map<?, ?> r) {
            if (r.get("text") instanceof String s) return new ConverseDelta.ReasoningTextDelta(s);
            if (r.get("signature") instanceof String s) return new ConverseDelta.ReasoningSignatureDelta(s);
            if (r.get("redactedContent") instanceof String s) return new ConverseDelta.RedactedReasoningDelta(s);
        }
        if (d.get("citation") instanceof Map<?, ?> c) return new ConverseDelta.CitationDelta(Json.write(c));
        Iterator<String> names = d.keySet().iterator();
        return new ConverseDelta.UnknownDelta(names.hasNext() ? names.next() : "", Json.write(d));
    }

    private static Map<String, Object> object(String type, String json) {
        Object value;
        try {
            value = Json.readValue(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    "malformed JSON in the Bedrock event '" + type + "': " + e.getOriginalMessage() + "; data: "
                            + Json.truncate(json, SHOWN_CHARS),
                    e);
        }
        if (value instanceof Map<?, ?> m) return cast(m);
        throw new ProtocolException(
                "the Bedrock event '" + type + "' is not a JSON object; data: " + Json.truncate(json, SHOWN_CHARS),
                null);
    }

    @SuppressWarnings("unchecked") // Json.readValue's objects have string keys
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static Map<String, Object> map(Map<String, Object> o, String name) {
        return o.get(name) instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    static String string(Map<String, Object> o, String name) {
        return o.get(name) instanceof String s ? s : "";
    }

    private static int index(Map<String, Object> o) {
        return o.get("contentBlockIndex") instanceof Number n
                ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, n.longValue()))
                : 0;
    }

    private static long count(Map<String, Object> o, String name) {
        return o.get(name) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
