package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The parts of {@link AnthropicEventDecoder} that read with Jackson, in a class of their own: the
 * decoder's class then names no Jackson type, so that loading and verifying it loads none (the
 * verifier loads an exception class a method catches). A stream whose events the Jackson-free
 * paths read never loads Jackson.
 *
 * <p>Stateless and thread-safe.
 */
final class AnthropicJacksonReading {
    private AnthropicJacksonReading() {}

    /**
     * {@return the value-model form of the data, read with Jackson ({@link Json#readValue})}
     *
     * @throws ProtocolException if the data is not one JSON value
     */
    static @Nullable Object readValue(String eventName, String data) {
        try {
            return Json.readValue(data);
        } catch (JsonProcessingException e) {
            throw malformed(eventName, data, e);
        }
    }

    /**
     * {@return the value-model form of a message's JSON, for {@link MessageJson#read}} Here rather
     * than there so that verifying MessageJson, which every stream uses, loads no Jackson class.
     *
     * @throws ProtocolException if the text is not one JSON value
     */
    static @Nullable Object readMessageValue(String json) {
        try {
            return Json.readValue(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    "malformed JSON where a message was expected: " + e.getOriginalMessage() + "; data: "
                            + Json.truncate(json, 200),
                    e);
        }
    }

    /**
     * Reads {@code {"type":"content_block_delta","index":N,"delta":{"type":T,F:"..."}}} in any field
     * order with the streaming parser. {@return the event, or null when the data has another
     * shape (the value-model path then decides)}
     */
    static @Nullable StreamEvent decodeDelta(String eventName, String data) {
        try (JsonParser p = Json.FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            String type = null;
            int index = -1;
            String deltaType = null;
            String field = null;
            String value = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> {
                        if (v != JsonToken.VALUE_STRING) return null;
                        type = p.getText();
                    }
                    case "index" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT)
                            return null;
                        index = p.getIntValue();
                        if (index < 0) return null;
                    }
                    case "delta" -> {
                        if (v != JsonToken.START_OBJECT || deltaType != null) return null;
                        JsonToken d;
                        while ((d = p.nextToken()) == JsonToken.FIELD_NAME) {
                            String dName = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) return null;
                            if (dName.equals("type")) {
                                deltaType = p.getText();
                            } else if (field == null) {
                                field = dName;
                                value = p.getText();
                            } else {
                                return null;
                            }
                        }
                        if (d != JsonToken.END_OBJECT || deltaType == null) return null;
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) return null;
            // value is set with field
            if (!"content_block_delta".equals(type) || index < 0 || deltaType == null || field == null || value == null)
                return null;
            Delta delta = switch (deltaType) {
                case "text_delta" -> field.equals("text") ? new TextDelta(value) : null;
                case "input_json_delta" -> field.equals("partial_json") ? new InputJsonDelta(value) : null;
                case "thinking_delta" -> field.equals("thinking") ? new ThinkingDelta(value) : null;
                case "signature_delta" -> field.equals("signature") ? new SignatureDelta(value) : null;
                default -> null;
            };
            return delta == null ? null : new ContentBlockDelta(index, delta);
        } catch (JsonProcessingException e) {
            throw malformed(eventName, data, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
    }

    static ProtocolException malformed(String type, String data, JsonProcessingException e) {
        return new ProtocolException(
                "malformed JSON in Anthropic '" + type + "' event (" + e.getOriginalMessage() + "); data: "
                        + Json.truncate(data, AnthropicEventDecoder.SHOWN_DATA_CHARS),
                e);
    }
}
