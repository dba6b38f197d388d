package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            StringBuilder doc = new StringBuilder();
            writeValue(random, doc, 0);
            String text = doc.toString();
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

    // ------------------------------------------------------------ generator

    private static void writeValue(SplittableRandom r, StringBuilder out, int depth) {
        ws(r, out);
        int kind = depth >= 4 ? 2 + r.nextInt(5) : r.nextInt(7);
        switch (kind) {
            case 0 -> {
                out.append('{');
                int members = r.nextInt(5);
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < members; i++) {
                    String key = randomString(r, 6);
                    if (keys.contains(key)) continue;
                    if (!keys.isEmpty()) out.append(',');
                    keys.add(key);
                    ws(r, out);
                    writeString(r, key, out);
                    ws(r, out);
                    out.append(':');
                    writeValue(r, out, depth + 1);
                }
                ws(r, out);
                out.append('}');
            }
            case 1 -> {
                out.append('[');
                int items = r.nextInt(5);
                for (int i = 0; i < items; i++) {
                    if (i > 0) out.append(',');
                    writeValue(r, out, depth + 1);
                }
                ws(r, out);
                out.append(']');
            }
            case 2, 3 -> writeString(r, randomString(r, 40), out);
            case 4 -> out.append(randomNumber(r));
            case 5 -> out.append(List.of("true", "false", "null").get(r.nextInt(3)));
            default -> out.append(r.nextBoolean() ? randomNumber(r) : "\"\"");
        }
        ws(r, out);
    }

    private static void ws(SplittableRandom r, StringBuilder out) {
        while (r.nextInt(4) == 0) out.append(" \t\r\n".charAt(r.nextInt(4)));
    }

    private static String randomNumber(SplittableRandom r) {
        StringBuilder n = new StringBuilder();
        if (r.nextBoolean()) n.append('-');
        switch (r.nextInt(4)) {
            case 0 -> n.append(r.nextInt(10));
            case 1 -> n.append(1 + r.nextInt(9)).append(Math.abs(r.nextLong()));
            case 2 -> n.append(new BigInteger(100, new java.util.Random(r.nextLong())).add(BigInteger.ONE));
            default -> n.append(r.nextInt(1000));
        }
        if (r.nextInt(3) == 0) n.append('.').append(r.nextInt(1000));
        if (r.nextInt(4) == 0) {
            n.append(r.nextBoolean() ? 'e' : 'E');
            if (r.nextBoolean()) n.append(r.nextBoolean() ? '+' : '-');
            n.append(r.nextInt(400));
        }
        String s = n.toString();
        return s;
    }

    private static String randomString(SplittableRandom r, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = r.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(8)) {
                case 0 -> s.append((char) r.nextInt(0x20));                 // control characters
                case 1 -> s.append("\"\\/".charAt(r.nextInt(3)));
                case 2 -> s.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));   // a surrogate pair
                case 3 -> s.append((char) (0xA0 + r.nextInt(0xD7FF - 0xA0))); // BMP, no surrogates
                default -> s.append((char) (0x20 + r.nextInt(0x5F)));          // ASCII
            }
        }
        return s.toString();
    }

    /** Writes s as a JSON string, escaping characters at random in every allowed way. */
    private static void writeString(SplittableRandom r, String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean mustEscape = c < 0x20 || c == '"' || c == '\\';
            if (Character.isHighSurrogate(c)) {
                // Both halves of a pair escaped, or neither (Jackson rejects a half-escaped pair in a key;
                // PartialJsonTest covers that case on its own).
                char low = s.charAt(++i);
                if (r.nextInt(3) == 0) {
                    out.append(String.format("\\u%04x\\u%04X", (int) c, (int) low));
                } else {
                    out.append(c).append(low);
                }
            } else if (mustEscape || r.nextInt(6) == 0) {
                String shortForm = switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '/' -> "\\/";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> null;
                };
                if (shortForm != null && r.nextBoolean()) {
                    out.append(shortForm);
                } else {
                    String hex = String.format("%04x", (int) c);
                    out.append("\\u").append(r.nextBoolean() ? hex : hex.toUpperCase());
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    @Test
    void normalize_convertsJacksonsIntegers() {
        assertEquals(List.of(1L, new BigDecimal("1.0")), normalize(List.of(1, new BigDecimal("1.0"))));
    }
}
