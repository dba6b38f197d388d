package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.internal.low.json.RandomJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random valid documents, written with varied whitespace and escapes, parsed by PartialJson and by Jackson. */
class PartialJsonJacksonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    @Test
    void parse_randomValidDocuments_equalsJackson() throws Exception {
        SplittableRandom random = new SplittableRandom(20261123);
        for (int n = 0; n < 400; n++) {
            String text = RandomJson.jacksonComparable().document(random);
            Object expected = normalize(JACKSON.readValue(text, Object.class));

            PartialJson.Result whole = PartialJson.parse(text);
            assertTrue(whole.isValid(), () -> whole.error() + " in " + text);
            assertEquals(expected, whole.value(), text);
            assertEquals(PartialJson.toJson(expected), PartialJson.toJson(whole.value()), "member order in " + text);

            PartialJson json = new PartialJson();
            int i = 0;
            while (i < text.length()) {
                int end = Math.min(text.length(), i + 1 + random.nextInt(12));
                json.append(text.substring(i, end));
                json.snapshot();
                i = end;
            }
            assertEquals(whole, json.finish(), text);

            // toJson writes what both parsers read back the same.
            String written = PartialJson.toJson(whole.value());
            assertEquals(expected, normalize(JACKSON.readValue(written, Object.class)), written);
            assertEquals(whole.value(), PartialJson.parse(written).value(), written);
        }
    }

    /** Jackson's untyped values in our model: Integer to Long, BigInteger that fits to Long. */
    private static Object normalize(Object value) {
        if (value instanceof Integer i) return i.longValue();
        if (value instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(normalize(o));
            return out;
        }
        return value;
    }

    @Test
    void normalize_convertsJacksonsIntegers() {
        assertEquals(List.of(1L, new BigDecimal("1.0")), normalize(List.of(1, new BigDecimal("1.0"))));
    }
}
