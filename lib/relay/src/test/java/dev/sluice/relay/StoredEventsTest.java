package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredEventsTest {

    /** A value of each component type, built by reflection: an event added to the family later is covered too. */
    private static Object sample(Class<?> type, int seed) {
        if (type == String.class) return "x<&é\u2028\"\\ " + seed;
        if (type == long.class || type == Long.class) return (long) seed + 7;
        if (type == int.class || type == Integer.class) return seed + 3;
        if (type == double.class || type == Double.class) return seed + 0.5;
        if (type == boolean.class || type == Boolean.class) return seed % 2 == 0;
        if (type.isEnum()) return type.getEnumConstants()[seed % type.getEnumConstants().length];
        if (type == List.class) return List.of();
        if (type.isRecord()) return instance(type, seed);
        throw new AssertionError("no sample for " + type);
    }

    private static Object instance(Class<?> type, int seed) {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            args[i] = sample(types[i], seed + i);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build a sample " + type.getSimpleName(), e);
        }
    }

    @Test
    void decode_ofEncode_givesEveryEventOfTheFamilyBackEqualWithItsId() {
        List<RelayEvent> events = new ArrayList<>();
        for (Class<?> c : RelayEvent.class.getPermittedSubclasses()) events.add((RelayEvent) instance(c, 1));
        events.add(new RelayEvent.Error("overloaded_error", "Overloaded", null));
        events.add(new RelayEvent.Done(null, 0, 0, null, 0));
        events.add(new RelayEvent.ToolProgress("t", "", null));
        long id = 1;
        for (RelayEvent e : events) {
            String text = StoredEvents.encode(id, e);
            StoredEvents.Stored back = StoredEvents.decode(text);
            assertEquals(id, back.id());
            assertEquals(e, back.event(), text);
            assertEquals(e.data(), back.event().data());
            id++;
        }
    }

    @Test
    void decode_unknownKindOrNotAnEvent_throwsNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StoredEvents.decode("{\"i\":1,\"k\":\"Teleport\",\"v\":[]}"));
        assertTrue(e.getMessage().contains("Teleport"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StoredEvents.decode("not json"));
    }

    @Test
    void decode_componentOfTheWrongType_throwsIllegalArgumentNamingIt() {
        // found by StoredEventsFuzzTest: a count, a percent or an id of the wrong JSON type was a ClassCastException
        Map<String, String> named = Map.of(
                "{\"i\":1,\"k\":\"Done\",\"v\":[\"end_turn\",\"x\",1,null,1.5,null]}", "Done.inputTokens",
                "{\"i\":1,\"k\":\"ToolProgress\",\"v\":[\"t\",\"m\",true]}", "ToolProgress.percent",
                "{\"i\":1,\"k\":\"Delta\",\"v\":[5]}", "Delta.text",
                "{\"i\":1,\"k\":\"Switch\",\"v\":[[],\"b\",\"c\",\"d\",\"e\"]}", "Switch.from",
                "{\"i\":1.5,\"k\":\"Delta\",\"v\":[\"x\"]}", "not a stored relay event",
                "{\"i\":-1,\"k\":\"Delta\",\"v\":[\"x\"]}", "not a stored relay event");
        named.forEach((text, name) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> StoredEvents.decode(text), text);
            assertTrue(e.getMessage().contains(name), () -> text + ": " + e.getMessage());
        });
    }

    @Test
    void decode_anOlderNodesDoneWithoutItsFinishMessage_readsAsNone() {
        StoredEvents.Stored stored =
                StoredEvents.decode("{\"i\":4,\"k\":\"Done\",\"v\":[\"refusal\",25,120,340,42.5,\"{}\"]}");
        assertEquals(new RelayEvent.Done("refusal", 25, 120, 340L, 42.5, "{}", null), stored.event());
        assertThrows(
                IllegalArgumentException.class,
                () -> StoredEvents.decode("{\"i\":1,\"k\":\"Delta\",\"v\":[\"x\",\"y\"]}"));
    }

    @Test
    void decode_aRateThatIsNegativeZero_readsAsZeroAndBackTheSame() {
        // found by StoredEventsFuzzTest: -1e-400 is -0.0 as a double, written back as "-0.0" and read
        // as 0.0 (JSON numbers lose a zero's sign), so the event did not read back as written
        for (String text : List.of(
                "{\"i\":1,\"k\":\"Done\",\"v\":[\"stop\",1,2,3,-1e-400,null]}",
                "{\"i\":1,\"k\":\"ToolProgress\",\"v\":[\"t\",\"m\",-0.0]}")) {
            StoredEvents.Stored stored = StoredEvents.decode(text);
            assertEquals(stored, StoredEvents.decode(StoredEvents.encode(stored.id(), stored.event())), text);
        }
        assertEquals(0, Double.compare(0.0, new RelayEvent.Done("stop", 1, 2, 3L, -0.0).tokensPerSecond()));
        assertEquals(0, Double.compare(0.0, new RelayEvent.ToolProgress("t", "m", -0.0).percent()));
    }

    @Test
    void inMemoryStore_countsPlacesToTheLimit_andSharesNothing() {
        RelayStore store = RelayStore.inMemory();
        assertFalse(store.shared());
        assertTrue(store.acquire("c", 2));
        assertTrue(store.acquire("c", 2));
        assertFalse(store.acquire("c", 2));
        store.release("c");
        assertTrue(store.acquire("c", 2));
        assertFalse(store.exists("anything"));
    }
}
