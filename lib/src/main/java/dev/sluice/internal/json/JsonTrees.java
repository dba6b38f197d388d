package dev.sluice.internal.json;

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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one configured Jackson databind setup the tree-based decoders share (OpenAI, Gemini, error
 * bodies), and the bridge from trees to the value model (see {@link JsonValues}). Kept apart from
 * {@link Json} so that code needing only the streaming parser never loads databind.
 *
 * <p>Configuration: unknown properties ignored, trailing tokens rejected, floating-point numbers read as
 * {@link BigDecimal} (exact, never rounded through {@code double}), duplicate keys tolerated
 * (last wins), decimal numbers kept as written ({@code 1.50} stays {@code 1.50}). No databind binding
 * of records is used anywhere: the library is a named module that opens nothing, so decoding is
 * explicit (trees or the streaming parser).
 *
 * <p>Thread-safe: the mapper is immutable once built.
 */
public final class JsonTrees {
    /** The shared mapper. Do not reconfigure it. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(Json.FACTORY.copy()) // Json's buffer pool
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonTrees() {}

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
        return toValue(node, 0);
    }

    private static Object toValue(JsonNode node, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) return node.decimalValue();
        if (node.isArray()) {
            JsonValues.checkDepth(depth, "a JSON tree");
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode e : node) list.add(toValue(e, depth + 1));
            return Collections.unmodifiableList(list);
        }
        if (node.isObject()) return toMap((ObjectNode) node, depth);
        if (node.isBinary()) return node.asText();
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }

    /** {@return the value-model form of an object node: an unmodifiable insertion-ordered map} */
    public static Map<String, Object> toMap(JsonNode object) {
        return toMap(object, 0);
    }

    private static Map<String, Object> toMap(JsonNode object, int depth) {
        JsonValues.checkDepth(depth, "a JSON tree");
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            map.put(e.getKey(), toValue(e.getValue(), depth + 1));
        }
        return Collections.unmodifiableMap(map);
    }

    /** {@return a new empty array node} */
    public static ArrayNode arrayNode() {
        return MAPPER.createArrayNode();
    }
}
