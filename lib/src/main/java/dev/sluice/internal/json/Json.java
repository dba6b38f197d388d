package dev.sluice.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one configured Jackson setup every provider shares, and the bridge between Jackson and
 * Sluice's plain-Java JSON value model (see {@link JsonValues}).
 *
 * <p>Configuration: unknown properties ignored, trailing tokens rejected, floating-point numbers read as
 * {@link BigDecimal} (exact, never rounded through {@code double}), duplicate keys tolerated
 * (last wins), decimal numbers kept as written ({@code 1.50} stays {@code 1.50}). No databind binding of records is used anywhere: the library is a named module
 * that opens nothing, so decoding is explicit (trees or the streaming parser).
 *
 * <p>Thread-safe: the mapper and factory are immutable once built.
 */
public final class Json {
    /** The shared mapper. Do not reconfigure it. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The mapper's factory, for the streaming parser and generator on hot paths. */
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {}

    /** {@return a streaming parser over the text} @throws IOException never in practice */
    public static JsonParser parser(String json) throws IOException {
        return FACTORY.createParser(json);
    }

    /** {@return the tree of the text} @throws JsonProcessingException if it is not one JSON value */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new JsonParseException((JsonParser) null, "no JSON value (empty input)");
        }
        return node;
    }

    /** {@return the value-model form of a tree: Map, List, String, Long, BigInteger, BigDecimal, Boolean or null} */
    public static Object toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) return node.decimalValue();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode e : node) list.add(toValue(e));
            return Collections.unmodifiableList(list);
        }
        if (node.isObject()) return toMap((ObjectNode) node);
        if (node.isBinary()) return node.asText();
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }

    /** {@return the value-model form of an object node: an unmodifiable insertion-ordered map} */
    public static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            map.put(e.getKey(), toValue(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
    }

    /** Writes a value-model value (as checked by {@link JsonValues}) with the generator. */
    public static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd);
            case Number n -> g.writeNumber(new BigDecimal(n.toString()));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) writeValue(g, o);
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** {@return the compact JSON text of a value-model value} */
    public static String write(Object value) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** {@return a new empty array node} */
    public static ArrayNode arrayNode() {
        return MAPPER.createArrayNode();
    }

    /**
     * {@return the data to show in an error message: at most {@code max} characters, then an ellipsis}
     */
    public static String truncate(String data, int max) {
        if (data.length() <= max) return data;
        int end = max;
        if (Character.isHighSurrogate(data.charAt(end - 1))) end--;
        return data.substring(0, end) + "…";
    }
}
