package dev.sluice.internal.low.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tests only: Jackson databind's tree reading, configured as the library's decoders used it before
 * they moved to jackson-core alone (floats as BigDecimal with trailing zeros kept, trailing tokens
 * rejected, duplicate keys tolerated, Json's read limits), and the conversion of a tree to the
 * value model. The reference that {@link Json#readValue} is checked against.
 */
public final class DatabindReference {
    /** The reference mapper, on a copy of {@link Json#FACTORY} (so with its read limits). */
    public static final ObjectMapper MAPPER = JsonMapper.builder(Json.FACTORY.copy())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private DatabindReference() {}

    /** {@return the tree of the text} @throws JsonProcessingException if it is not one JSON value */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(json);
        if (node == null || node.isMissingNode())
            throw new JsonParseException((JsonParser) null, "no JSON value (empty input)");
        return node;
    }

    /** {@return the value-model form of a tree} */
    public static Object toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber())
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        if (node.isNumber()) return node.decimalValue();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode e : node) list.add(toValue(e));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) map.put(e.getKey(), toValue(e.getValue()));
        return Collections.unmodifiableMap(map);
    }
}
