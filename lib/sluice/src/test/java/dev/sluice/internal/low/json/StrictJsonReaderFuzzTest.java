package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Fuzzes the readers of whole JSON texts from outside: {@link StrictJsonReader} (request bodies,
 * stored events, the short events of a stream) and {@link Json#readValue(String)} (Jackson, for the
 * other events). For any text:
 * <ul>
 *   <li>{@code StrictJsonReader.read} never throws, and whatever it accepts
 *       {@link IncrementalJsonParser} reads to the same value with no error; what it declines that
 *       parser finds invalid, or it holds an escaped surrogate (as {@link StrictJsonReaderTest}
 *       checks on random documents);</li>
 *   <li>{@code Json.readValue} throws nothing but a {@link JsonProcessingException}, and what the
 *       strict reader accepts (up to 1,000 characters, no escaped surrogate: the texts the
 *       Anthropic decoder reads without Jackson) Jackson reads to the same value.</li>
 * </ul>
 * The committed inputs in {@code StrictJsonReaderFuzzTestInputs/read} replay in every build.
 */
class StrictJsonReaderFuzzTest {

    @FuzzTest
    void read(String text) {
        if (text == null) return;
        Object strict = StrictJsonReader.read(text);
        IncrementalJsonParser incremental = new IncrementalJsonParser();
        incremental.feed(text);
        IncrementalJsonParser.Parsed parsed = incremental.finish();
        boolean escapedSurrogate =
                StrictJsonReaderTest.ESCAPED_SURROGATE.matcher(text).find();
        if (strict != StrictJsonReader.DECLINED) {
            assertNull(parsed.error(), () -> "accepted what the incremental parser rejects: " + text);
            StrictJsonReaderTest.assertSameValue(parsed.value(), strict, text);
        } else if (parsed.error() == null) {
            assertTrue(escapedSurrogate, () -> "declined valid JSON: " + text);
        }

        Object jackson;
        try {
            jackson = Json.readValue(text);
        } catch (JsonProcessingException e) {
            jackson = e;
        }
        if (strict != StrictJsonReader.DECLINED && text.length() <= 1000 && !escapedSurrogate) {
            Object j = jackson;
            assertTrue(
                    !(j instanceof JsonProcessingException),
                    () -> "Jackson rejects what the strict reader accepts: " + text + ": " + j);
            assertTrue(sameModel(strict, jackson), () -> "Jackson reads another value: " + text + ": " + j);
        }
    }

    /** Equal in the value model: maps with the same members in the same order, numbers of the same class. */
    private static boolean sameModel(Object a, Object b) {
        if (a instanceof java.util.Map<?, ?> m) {
            if (!(b instanceof java.util.Map<?, ?> n) || m.size() != n.size()) return false;
            var bi = n.entrySet().iterator();
            for (var e : m.entrySet()) {
                var f = bi.next();
                if (!e.getKey().equals(f.getKey()) || !sameModel(e.getValue(), f.getValue())) return false;
            }
            return true;
        }
        if (a instanceof java.util.List<?> l) {
            if (!(b instanceof java.util.List<?> k) || l.size() != k.size()) return false;
            for (int i = 0; i < l.size(); i++) {
                if (!sameModel(l.get(i), k.get(i))) return false;
            }
            return true;
        }
        return a == null ? b == null : b != null && a.getClass() == b.getClass() && a.equals(b);
    }
}
