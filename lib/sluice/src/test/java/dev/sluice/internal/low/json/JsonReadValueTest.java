package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Json.readValue (jackson-core's streaming parser) against databind's tree path ({@link DatabindReference}), which it replaced. */
class JsonReadValueTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "null",
                "true",
                "false",
                "0",
                "-0",
                "-0.0",
                "1.50",
                "1e5",
                "1E-7",
                "-12.000",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "0.1",
                "3.141592653589793238462643383279",
                "\"\"",
                "\"a\\u00e9\\ud83d\\ude00\\n\\\"\"",
                "{\"a\":1,\"b\":[1,2.5,{\"c\":null}],\"d\":{\"e\":\"f\"}}",
                "{\"a\":1,\"b\":2,\"a\":3}",
                "{\"a\":{\"x\":1},\"a\":[2]}",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":12,\"cost\":0.0030}}}",
                " \n{ \"spaced\" : [ 1 , 2 ] }\n "
            })
    void readValue_sameAsTreePath(String json) throws JsonProcessingException {
        Object expected = DatabindReference.toValue(DatabindReference.readTree(json));
        Object actual = Json.readValue(json);
        assertEquals(expected, actual);
        assertEquals(Json.write(expected), Json.write(actual));
    }

    @Test
    void readValue_numbers_keepTheirTypesAndScale() throws JsonProcessingException {
        Map<?, ?> m = (Map<?, ?>) Json.readValue("{\"i\":7,\"big\":99999999999999999999,\"d\":1.50}");
        assertInstanceOf(Long.class, m.get("i"));
        assertEquals(new BigInteger("99999999999999999999"), m.get("big"));
        assertEquals(new BigDecimal("1.50"), m.get("d"));
        assertEquals(2, ((BigDecimal) m.get("d")).scale());
    }

    @Test
    void readValue_exponentBeyondBigDecimal_isAParseErrorNotANumberFormatException() {
        JsonProcessingException e =
                assertThrows(JsonProcessingException.class, () -> Json.readValue("{\"n\":1e9999999999}"));
        assertTrue(e.getOriginalMessage().contains("out of range"), e.getOriginalMessage());
    }

    @Test
    void readValue_randomDocuments_sameAsTreePath() throws JsonProcessingException {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            String json = Json.write(randomValue(random, 0));
            assertEquals(DatabindReference.toValue(DatabindReference.readTree(json)), Json.readValue(json), json);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "[1,]", "{} {}", "1 2", "{\"a\":1}x", "nul", "[1"})
    void readValue_notOneJsonValue_throwsLikeTheTreePath(String json) {
        assertThrows(JsonProcessingException.class, () -> DatabindReference.readTree(json));
        assertThrows(JsonProcessingException.class, () -> Json.readValue(json));
    }

    @Test
    void readValue_containers_areUnmodifiable() throws JsonProcessingException {
        Map<?, ?> m = (Map<?, ?>) Json.readValue("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    private static Object randomValue(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(6) : r.nextInt(8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextLong() >> r.nextInt(64);
            case 3 -> new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(12) - 2);
            case 4 -> new BigInteger(80, r);
            case 5 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(8); i > 0; i--)
                    sb.append((char) (r.nextInt(3) == 0 ? r.nextInt(0x3000) : 'a' + r.nextInt(26)));
                yield sb.toString();
            }
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) list.add(randomValue(r, depth + 1));
                yield list;
            }
            default -> {
                Map<String, Object> map = new java.util.LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) map.put("k" + r.nextInt(6), randomValue(r, depth + 1));
                yield map;
            }
        };
    }
}
