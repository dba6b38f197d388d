package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sluice.internal.low.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential: whatever {@link AnthropicEventDecoder#readWithoutJackson} accepts, Jackson
 * ({@link Json#readValue}, the path it replaces) accepts with an equal value: equal maps in the same
 * iteration order, the same number classes. Everything else is declined, so it goes to Jackson as
 * before.
 */
class AnthropicEventDecoderJacksonFreeTest {
    private static final Object REJECTED = new Object();

    private static final List<String> VALID = List.of(
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1",
            "-1",
            "1e5",
            "1E5",
            "1e+5",
            "1E-5",
            "-1.5e-10",
            "1.50",
            "100",
            "1.0e0",
            "123456789012345678",
            "1234567890123456789",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.000",
            "1e400",
            "1e-400",
            "12345678901234567890.12345678901234567890e-3",
            "\"\"",
            "\"abc\"",
            "true",
            "false",
            "null",
            " 1 ",
            "\t\n\r true \n",
            "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u00E9 \\u0000 \\u001f \\u007F \\uFFFF\"",
            "\"\\ud83d\\ude00\"",
            "\"\\uD83D\\uDE00\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83dx\"",
            "\"a\\ud83d\\u0041\"",
            "\"é 日本 😀 \u007f \u2028\"",
            "\"\ud83d\"",
            "\"\ude00\"",
            "\"\ud83d" + "\\" + "ude00\"",
            "{}",
            "[]",
            "[[]]",
            "{\"a\":{}}",
            "{ \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : \"d\" }",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"b\":2,\"a\":3}",
            "{\"b\":1,\"a\":2,\"c\":{\"z\":1,\"y\":2}}",
            "{\"\":\"\"}",
            "[1,-1,1.0,1e1,true,false,null,\"x\",[],{}]",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
                    + "\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                    + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \\\"there\\\"\\n\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}",
            "{\"type\":\"message_stop\"}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}");

    private static final List<String> INVALID = List.of(
            "",
            " ",
            "[1,]",
            "{\"a\":1,}",
            "[,1]",
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "1e+",
            "1.e5",
            "0x10",
            "NaN",
            "Infinity",
            "-Infinity",
            "\"a\u0000b\"",
            "\"a\nb\"",
            "\"a\u001fb\"",
            "'a'",
            "{'a':1}",
            "{a:1}",
            "// c\n1",
            "/* c */ 1",
            "1 /* c */",
            "# c\n1",
            "[1] x",
            "{} }",
            "1 2",
            "truex",
            "true1",
            "nul",
            "tru",
            "[",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":1",
            "[1",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"\\U0041\"",
            "\"\\",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{1:2}",
            "[\"a\":1]",
            "\u00a01",
            "\u20281",
            "\u000b1",
            "\f1",
            "TRUE",
            "[.5]",
            "[1.]",
            "1e9999999999",
            "[1E-9999999999]",
            "[-]",
            "[01]",
            "{\"a\":01}",
            "[1e]",
            "\ufeff1",
            "]",
            "}",
            ",",
            ":",
            "[]]",
            "{}{}",
            "\"a\"\"b\"");

    private static Object jackson(String data) {
        try {
            return Json.readValue(data);
        } catch (JsonProcessingException | NumberFormatException e) {
            return REJECTED; // NumberFormatException: Jackson's own, for an exponent beyond BigDecimal's range
        }
    }

    /** Equal values with the same classes throughout and maps in the same iteration order. */
    private static void assertSameValue(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertSame(expected, actual, where);
            return;
        }
        assertEquals(expected instanceof Map, actual instanceof Map, where);
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            assertEquals(e.size(), a.size(), where);
            Iterator<? extends Map.Entry<?, ?>> ai = a.entrySet().iterator();
            for (Map.Entry<?, ?> ee : e.entrySet()) {
                Map.Entry<?, ?> ae = ai.next();
                assertEquals(ee.getKey(), ae.getKey(), where);
                assertSameValue(ee.getValue(), ae.getValue(), where + "." + ee.getKey());
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            assertEquals(e.size(), a.size(), where);
            for (int i = 0; i < e.size(); i++) assertSameValue(e.get(i), a.get(i), where + "[" + i + "]");
        } else {
            assertEquals(expected.getClass(), actual.getClass(), where);
            assertEquals(expected, actual, where);
        }
    }

    /** {@return true if the Jackson-free reading accepted the data} Fails if it accepted what Jackson would not read the same. */
    private static boolean check(String data) {
        Object fast = AnthropicEventDecoder.readWithoutJackson(data);
        if (fast == AnthropicEventDecoder.DECLINED) return false;
        Object expected = jackson(data);
        if (expected == REJECTED) fail("accepted what Jackson rejects: " + data);
        assertSameValue(expected, fast, "data " + data);
        return true;
    }

    @Test
    void readWithoutJackson_validDocuments_sameValueAsJacksonAndAcceptedUnlessEscapedSurrogate() {
        for (String data : VALID) {
            assertNotSame(REJECTED, jackson(data), data);
            boolean escapedSurrogate = data.toLowerCase().matches("(?s).*\\\\ud[89a-f].*");
            assertEquals(!escapedSurrogate, check(data), data);
        }
    }

    @Test
    void readWithoutJackson_invalidDocuments_declinedSoJacksonReportsThem() {
        for (String data : INVALID) {
            assertSame(REJECTED, jackson(data), () -> "Jackson accepts " + data);
            assertSame(AnthropicEventDecoder.DECLINED, AnthropicEventDecoder.readWithoutJackson(data), data);
        }
    }

    @Test
    void readWithoutJackson_randomMutationsOfDocuments_neverDiffersFromJackson() {
        Random random = new Random(20261123);
        String alphabet = "{}[],:\"\\/ \t\n\r0123456789-+.eEtrufalsn ubfx'#*\u0000\u001f\u007fé😀\ud83d\ude00";
        List<String> seeds = new ArrayList<>(VALID);
        seeds.addAll(INVALID);
        int accepted = 0;
        int total = 0;
        for (int round = 0; round < 40_000; round++) {
            StringBuilder sb = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                int at = sb.isEmpty() ? 0 : random.nextInt(sb.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(5)) {
                    case 0 -> sb.insert(at, c);
                    case 1 -> {
                        if (at < sb.length()) sb.deleteCharAt(at);
                    }
                    case 2 -> {
                        if (at < sb.length()) sb.setCharAt(at, c);
                    }
                    case 3 -> {
                        if (at < sb.length())
                            sb.insert(at, sb.substring(at, Math.min(sb.length(), at + 1 + random.nextInt(8))));
                    }
                    default -> sb.setLength(at);
                }
            }
            total++;
            if (check(sb.toString())) accepted++;
        }
        assertTrue(accepted > total / 20, "too few accepted to prove anything: " + accepted + " of " + total);
    }

    @Test
    void readWithoutJackson_randomValidDocuments_sameValueAsJackson() {
        Random random = new Random(5);
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            String data = randomDocument(random, 0);
            assertNotSame(REJECTED, jackson(data), data);
            if (check(data)) accepted++;
        }
        assertTrue(accepted > 2_500, "accepted " + accepted);
    }

    private static String randomDocument(Random r, int depth) {
        String ws = List.of("", " ", "\n", "\t ", "\r\n").get(r.nextInt(5));
        String[] scalars = {
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1e5",
            "1E-5",
            "2.50",
            "-12.3400e+7",
            "123456789012345678901234567890",
            "9223372036854775808",
            "-9223372036854775808",
            "42",
            "true",
            "false",
            "null",
            "\"\"",
            "\"a\\nb\\u0000\\\"\"",
            "\"😀é\u007f\"",
            "\"\\/\\b\\f\\r\\t\\\\\""
        };
        int kind = r.nextInt(depth > 3 ? 1 : 3);
        StringBuilder sb = new StringBuilder(ws);
        if (kind == 0) {
            sb.append(scalars[r.nextInt(scalars.length)]);
        } else if (kind == 1) {
            sb.append('[');
            for (int i = r.nextInt(4); i > 0; i--)
                sb.append(randomDocument(r, depth + 1)).append(i > 1 ? "," : "");
            sb.append(ws).append(']');
        } else {
            sb.append('{');
            for (int i = r.nextInt(4); i > 0; i--) {
                sb.append(ws)
                        .append('"')
                        .append((char) ('a' + r.nextInt(3)))
                        .append('"')
                        .append(ws)
                        .append(':')
                        .append(randomDocument(r, depth + 1))
                        .append(i > 1 ? "," : "");
            }
            sb.append(ws).append('}');
        }
        return sb.append(ws).toString();
    }

    @Test
    void jacksonFreeMaxLength_withinJacksonsDefaultNumberLengthAndTheFactorysNesting() {
        StreamReadConstraints defaults = StreamReadConstraints.defaults();
        assertTrue(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH <= defaults.getMaxNumberLength());
        assertTrue(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH / 2
                <= Json.FACTORY.streamReadConstraints().getMaxNestingDepth());
        assertTrue(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH <= defaults.getMaxStringLength());
        assertTrue(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH <= defaults.getMaxNameLength());
        assertEquals(
                defaults.getMaxNumberLength(),
                Json.FACTORY.streamReadConstraints().getMaxNumberLength());
        assertEquals(Json.MAX_READ_DEPTH, Json.FACTORY.streamReadConstraints().getMaxNestingDepth());
        assertEquals(dev.sluice.chat.PartialJson.MAX_DEPTH, Json.MAX_READ_DEPTH);
    }

    @Test
    void readWithoutJackson_atAndBeyondTheLengthLimit_deepestAndLongestNumbersLikeJackson() {
        int half = AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH / 2;
        assertTrue(check("[".repeat(half) + "]".repeat(half)));
        assertTrue(check("1".repeat(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH)));
        assertSame(
                AnthropicEventDecoder.DECLINED,
                AnthropicEventDecoder.readWithoutJackson("[".repeat(half + 1) + "]".repeat(half + 1)));
        assertSame(
                AnthropicEventDecoder.DECLINED,
                AnthropicEventDecoder.readWithoutJackson(
                        " ".repeat(AnthropicEventDecoder.JACKSON_FREE_MAX_LENGTH) + "1"));
    }

    @Test
    void decode_loneEscapedSurrogate_keptAsJacksonKeepsIt() {
        String data =
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":\"a\\ud83d\"},\"usage\":{\"output_tokens\":1}}";
        assertSame(AnthropicEventDecoder.DECLINED, AnthropicEventDecoder.readWithoutJackson(data));
        MessageDelta d = (MessageDelta)
                new AnthropicEventDecoder().decode(new dev.sluice.sse.SseEvent("message_delta", data, null));
        assertEquals("a\ud83d", d.stopSequence());
    }
}
