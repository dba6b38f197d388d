package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.Recipes.Ingredient;
import dev.sluice.objects.Recipes.Recipe;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Linear cost, checked without a clock: streaming a 1 MB object in small deltas, a partial late in
 * the stream (the array holding thousands of elements) allocates, on the consumer thread, about
 * what one early in the stream does, and a complete element is the same instance in every later
 * partial. A partial that re-parsed the text, or copied the open array, would allocate in
 * proportion to what had arrived: hundreds of times more at the end than at the start.
 */
class ObjectStreamCostTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void partials_ofAGrowingMegabyteObject_costTheSameEarlyAndLate() {
        StringBuilder json = new StringBuilder("{\"title\": \"A feast\", \"minutes\": 600, \"ingredients\": [");
        int count = 16_000;
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ", ")
                    .append("{\"name\": \"ingredient number ")
                    .append(i)
                    .append("\", \"quantity\": ")
                    .append(i % 97)
                    .append(".5, \"unit\": \"grams\"}");
        }
        json.append("], \"steps\": [\"Cook.\"], \"difficulty\": \"HARD\", \"tip\": null}");
        assertTrue(json.length() > 1_000_000, json.length() + " chars");
        ScriptedProvider p =
                new ScriptedProvider().text(Recipes.pieces(json.toString(), 16)).finish("end_turn");

        long[] perPartial = new long[count * 5];
        int n = 0;
        Object firstElement = null;
        try (ObjectStream<Recipe> s = ObjectStream.of(
                p,
                ChatRequest.builder()
                        .model("m")
                        .addMessage(ChatMessage.user("x"))
                        .build(),
                Recipe.class)) {
            var it = s.iterator();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            while (it.hasNext()) {
                Partial<Recipe> partial = it.next();
                List<Ingredient> done =
                        partial.list("ingredients", Ingredient.class); // a renderer's call, each partial
                if (!done.isEmpty()) done.getLast();
                long now = THREADS.getCurrentThreadAllocatedBytes();
                if (n < perPartial.length) perPartial[n++] = now - before;
                before = now;
                if (partial.value() instanceof Map<?, ?> m
                        && m.get("ingredients") instanceof List<?> l
                        && !l.isEmpty()) {
                    if (firstElement == null && l.size() > 1) firstElement = l.get(0);
                    if (firstElement != null)
                        assertSame(firstElement, l.get(0), "a complete element is shared, not copied");
                }
            }
            assertEquals(count, s.result().ingredients().size());
        }
        assertTrue(n > 2 * count, n + " partials");
        long early = median(perPartial, n / 10, n / 5);
        long late = median(perPartial, n - n / 5, n - n / 10);
        assertTrue(late < 3 * early + 512, "bytes per partial early " + early + ", late " + late);
    }

    private static long median(long[] values, int from, int to) {
        long[] part = java.util.Arrays.copyOfRange(values, from, to);
        java.util.Arrays.sort(part);
        return part[part.length / 2];
    }
}
