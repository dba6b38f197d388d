package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Differential: {@link JsonOut} must write exactly what Jackson's generator from {@link Json#FACTORY} writes. */
class JsonOutTest {

    /** The same sequence of calls, made on both writers. */
    private interface Calls {
        void onJackson(JsonGenerator g) throws IOException;

        void onOut(JsonOut o);
    }

    private static String jackson(Calls c) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            c.onJackson(g);
        }
        return w.toString();
    }

    private static String out(Calls c) {
        JsonOut o = new JsonOut();
        c.onOut(o);
        return o.toString();
    }

    private static void assertSameAsJackson(Object value) throws IOException {
        Calls c = new Calls() {
            public void onJackson(JsonGenerator g) throws IOException {
                Json.writeValue(g, value);
            }

            public void onOut(JsonOut o) {
                o.writeValue(value);
            }
        };
        assertEquals(jackson(c), out(c), () -> "value " + value);
    }

    private static List<String> specialStrings() {
        List<String> strings = new ArrayList<>();
        for (char c = 0; c < 0x80; c++) strings.add("a" + c + "b");
        strings.addAll(List.of(
                "",
                "\"",
                "\\",
                "/",
                "</script>",
                "\\u0041",
                "é",
                "日本語",
                "😀",
                "\ud83d",
                "\ude00",
                "x\ud83dy",
                "\ude00\ud83d",
                "\u007f\u0080\u009f\u00a0",
                "\u2028\u2029",
                "\ufeff\ufffd\uffff",
                "\u0000\u001f"));
        return strings;
    }

    @Test
    void writeValue_everyAsciiCharAndSpecialStrings_sameAsJackson() throws IOException {
        for (String s : specialStrings()) {
            assertSameAsJackson(s);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(s, s);
            assertSameAsJackson(m);
        }
    }

    @Test
    void writeValue_numbers_sameAsJackson() throws IOException {
        List<Object> numbers = List.of(
                0L,
                -1L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                7,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                new BigInteger("123456789012345678901234567890"),
                new BigInteger("-98765432109876543210"),
                new BigDecimal("1.50"),
                new BigDecimal("1E+3"),
                new BigDecimal("1E-7"),
                new BigDecimal("-0.0"),
                new BigDecimal("0.000001"),
                new BigDecimal("0.0000001"),
                new BigDecimal("123456789.123456789"),
                new BigDecimal("1e400"),
                0.1,
                1e-7,
                1.0E10,
                -0.0,
                0.0,
                1e21,
                1e-300,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                2.5f,
                (short) 3,
                (byte) -4);
        for (Object n : numbers) assertSameAsJackson(n);
        assertSameAsJackson(numbers);
    }

    @Test
    void writeNumber_doublesIntsLongs_sameAsJackson() throws IOException {
        double[] doubles = {
            0.1,
            0.7,
            0.9,
            1e-7,
            1.0E10,
            -0.0,
            0.0,
            1.0,
            100.0,
            1e7,
            1e6,
            123456789.0,
            1e-3,
            1e-4,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Math.PI,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        Random random = new Random(42);
        List<Double> all = new ArrayList<>();
        for (double d : doubles) all.add(d);
        for (int i = 0; i < 2000; i++) all.add(Double.longBitsToDouble(random.nextLong()));
        for (int i = 0; i < 2000; i++) all.add(random.nextInt(10_001) / 10_000.0);
        for (double d : all) {
            Calls c = new Calls() {
                public void onJackson(JsonGenerator g) throws IOException {
                    g.writeStartObject();
                    g.writeNumberField("d", d);
                    g.writeFieldName("e");
                    g.writeNumber(d);
                    g.writeEndObject();
                }

                public void onOut(JsonOut o) {
                    o.writeStartObject();
                    o.writeNumberField("d", d);
                    o.writeFieldName("e");
                    o.writeNumber(d);
                    o.writeEndObject();
                }
            };
            assertEquals(jackson(c), out(c), () -> "double " + d);
        }
        for (int i = 0; i < 1000; i++) {
            int n = random.nextInt();
            long l = random.nextLong();
            Calls c = new Calls() {
                public void onJackson(JsonGenerator g) throws IOException {
                    g.writeStartArray();
                    g.writeNumber(n);
                    g.writeNumber(l);
                    g.writeEndArray();
                }

                public void onOut(JsonOut o) {
                    o.writeStartArray();
                    o.writeNumber(n);
                    o.writeNumber(l);
                    o.writeEndArray();
                }
            };
            assertEquals(jackson(c), out(c));
        }
    }

    @Test
    void generatorCalls_nestedFieldsAndConveniences_sameAsJackson() throws IOException {
        Calls c = new Calls() {
            public void onJackson(JsonGenerator g) throws IOException {
                g.writeStartObject();
                g.writeStringField("s", "v\n");
                g.writeStringField("nul", null);
                g.writeNumberField("i", 3);
                g.writeBooleanField("b", false);
                g.writeArrayFieldStart("a");
                g.writeStartArray();
                g.writeEndArray();
                g.writeStartObject();
                g.writeEndObject();
                g.writeNull();
                g.writeBoolean(true);
                g.writeString("x");
                g.writeNumber((BigInteger) null);
                g.writeNumber((BigDecimal) null);
                g.writeEndArray();
                g.writeObjectFieldStart("o");
                g.writeObjectFieldStart("p");
                g.writeEndObject();
                g.writeEndObject();
                g.writeFieldName("last");
                g.writeString("");
                g.writeEndObject();
            }

            public void onOut(JsonOut g) {
                g.writeStartObject();
                g.writeStringField("s", "v\n");
                g.writeStringField("nul", null);
                g.writeNumberField("i", 3);
                g.writeBooleanField("b", false);
                g.writeArrayFieldStart("a");
                g.writeStartArray();
                g.writeEndArray();
                g.writeStartObject();
                g.writeEndObject();
                g.writeNull();
                g.writeBoolean(true);
                g.writeString("x");
                g.writeNumber((BigInteger) null);
                g.writeNumber((BigDecimal) null);
                g.writeEndArray();
                g.writeObjectFieldStart("o");
                g.writeObjectFieldStart("p");
                g.writeEndObject();
                g.writeEndObject();
                g.writeFieldName("last");
                g.writeString("");
                g.writeEndObject();
            }
        };
        assertEquals(jackson(c), out(c));
    }

    @Test
    void writeValue_randomValueTrees_sameAsJackson() throws IOException {
        Random random = new Random(7);
        List<String> strings = specialStrings();
        for (int i = 0; i < 2000; i++) assertSameAsJackson(randomValue(random, strings, 0));
    }

    private static Object randomValue(Random r, List<String> strings, int depth) {
        int kind = r.nextInt(depth > 4 ? 7 : 9);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return strings.get(r.nextInt(strings.size())) + randomString(r);
            case 2:
                return r.nextBoolean();
            case 3:
                return r.nextLong() >> r.nextInt(64);
            case 4:
                return new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(40) - 20);
            case 5:
                return new BigInteger(100, r);
            case 6:
                return r.nextInt();
            case 7: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) m.put(randomString(r), randomValue(r, strings, depth + 1));
                return m;
            }
            default: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) l.add(randomValue(r, strings, depth + 1));
                return l;
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            sb.append(
                    switch (r.nextInt(4)) {
                        case 0 -> (char) r.nextInt(0x80);
                        case 1 -> (char) r.nextInt(0x10000);
                        case 2 -> (char) (0xd800 + r.nextInt(0x800));
                        default -> (char) ('a' + r.nextInt(26));
                    });
        }
        return sb.toString();
    }

    @Test
    void writeValue_notAJsonValue_throwsNamingTheClass() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new JsonOut().writeValue(new Object()));
        assertEquals("not a JSON value: java.lang.Object", e.getMessage());
    }

    /** {@link Json#write}'s string without a generator (nothing to escape) is what the generator writes; so is every other. */
    @Test
    void write_string_sameAsTheGenerator() throws IOException {
        for (String v : List.of(
                "gpt-4o",
                "",
                "a b/c:d",
                "quote\"d",
                "back\\slash",
                "tab\t",
                "new\nline",
                "caf\u00e9",
                "\u007f",
                "\u001f",
                "\ud83d\ude00",
                "~ !")) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
                g.writeString(v);
            }
            assertEquals(w.toString(), Json.write(v), v);
        }
    }
}
