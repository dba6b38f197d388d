package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.internal.low.json.text.JsonText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link StoredEvents#decode}, which reads the relay events a {@link RelayStore} hands back
 * (Redis, shared by every node: what another node, another version, or anyone with access to the
 * store wrote). Half the inputs are any text; the other half are stored events of the right shape,
 * {@code {"i":ID,"k":KIND,"v":[...]}}, with a kind of the family (or not) and components of any JSON
 * type, so that the fuzzer reaches every component of every kind. For any text: the only exception
 * is the documented {@link IllegalArgumentException}; an event decoded encodes to a text that
 * decodes to the same event and id. The committed inputs in {@code StoredEventsFuzzTestInputs/decode}
 * (one stored event of each kind among the seeds, with a last byte of 1 for "any text") replay in
 * every build.
 */
class StoredEventsFuzzTest {
    private static final String[] KINDS = kinds();

    @FuzzTest
    void decode(FuzzedDataProvider data) {
        String text = data.consumeBoolean() ? data.consumeRemainingAsString() : shaped(data);
        StoredEvents.Stored stored;
        try {
            stored = StoredEvents.decode(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertEquals(
                stored,
                StoredEvents.decode(StoredEvents.encode(stored.id(), stored.event())),
                "not read back as written");
    }

    /** A stored event's shape, with the values the input picks. */
    private static String shaped(FuzzedDataProvider data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("i", data.consumeBoolean() ? (Object) data.consumeLong() : value(data, 1));
        event.put("k", data.consumeBoolean() ? data.pickValue(KINDS) : data.consumeString(12));
        List<Object> values = new ArrayList<>();
        for (int n = data.consumeInt(0, 7); n > 0; n--) values.add(value(data, 0));
        event.put("v", values);
        StringBuilder sb = new StringBuilder();
        JsonText.write(event, sb);
        return sb.toString();
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth < 3 ? 8 : 6)) {
            case 0 -> null;
            case 1 -> data.consumeString(40);
            case 2 -> data.consumeLong();
            case 3 -> data.consumeInt(-1, 1000);
            case 4 ->
                new BigDecimal(
                        data.consumeInt() + "." + Math.abs(data.consumeInt(0, 99)) + "e" + data.consumeInt(-400, 400));
            case 5 -> data.consumeBoolean();
            case 6 -> data.pickValue(KINDS);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int n = data.consumeInt(0, 4); n > 0; n--) list.add(value(data, depth + 1));
                yield list;
            }
        };
    }

    private static String[] kinds() {
        Class<?>[] family = RelayEvent.class.getPermittedSubclasses();
        String[] names = new String[family.length];
        for (int i = 0; i < family.length; i++) names[i] = family[i].getSimpleName();
        return names;
    }
}
