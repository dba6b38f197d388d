package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a {@link PartialJson} snapshot costs: what changed, not what arrived. Counted in bytes the
 * thread allocates (not in time, which a busy machine blurs): a snapshot of an open array of a
 * hundred thousand elements, or of an open object of as many members, after one more arrived, costs
 * about what it costs for an array of ten. A snapshot that copied the open containers would
 * allocate megabytes here, and streaming n characters would cost O(n²).
 */
class PartialJsonCostTest {
    private static final int MANY = 100_000;
    /** Far below the copy of a 100 000-element container (at least 400 kB), above a few objects per level. */
    private static final long FLAT = 16 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void snapshot_openArrayOfManyElements_allocatesAsLittleAsForFew() {
        PartialJson json = new PartialJson();
        json.append("{\"items\": [");
        for (int i = 0; i < MANY; i++) json.append("{\"n\": " + i + "}, ");
        json.snapshot();
        long bytes = allocatedBy(() -> {
            json.append("{\"n\": 1}, \"open strin");
            json.snapshot();
        });
        assertTrue(bytes < FLAT, "a snapshot after one more element allocated " + bytes + " bytes");
    }

    @Test
    void snapshot_openObjectOfManyMembers_allocatesAsLittleAsForFew() { // distinct names: a repeated one costs a copy
        PartialJson json = new PartialJson();
        json.append("[{");
        for (int i = 0; i < MANY; i++) json.append("\"k" + i + "\": true, ");
        json.snapshot();
        int[] run = {0};
        long bytes = allocatedBy(() -> {
            run[0]++;
            json.append(
                    (run[0] == 1 ? "" : "\", ") + "\"last" + run[0] + "\": [1, 2, 3], \"open" + run[0] + "\": \"strin");
            json.snapshot();
        });
        assertTrue(bytes < FLAT, "a snapshot after one more member allocated " + bytes + " bytes");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) ((List<Object>) json.snapshot()).get(0);
        assertTrue(
                object.size() == MANY + 4
                        && Boolean.TRUE.equals(object.get("k77777"))
                        && "strin".equals(object.get("open2")),
                object.size() + " members");
    }

    @Test
    void snapshot_completedSubtrees_areTheSameInstancesInEverySnapshot() {
        PartialJson json = new PartialJson();
        json.append("{\"done\": {\"a\": [1, 2]}, \"list\": [{\"x\": 1}, ");
        Map<?, ?> first = (Map<?, ?>) json.snapshot();
        json.append("{\"x\": 2}, \"more");
        Map<?, ?> second = (Map<?, ?>) json.snapshot();
        assertSame(first.get("done"), second.get("done"));
        assertSame(((List<?>) first.get("list")).get(0), ((List<?>) second.get("list")).get(0));
    }

    @Test
    void snapshot_nothingVisibleChanged_isTheSameInstance() {
        PartialJson json = new PartialJson();
        json.append("{\"a\": [1], ");
        Object before = json.snapshot();
        json.append("  \"ke"); // a key still being read: not shown
        assertSame(before, json.snapshot());
        json.append("y\": 12"); // a number still being read: not shown
        assertSame(before, json.snapshot());
    }

    private static long allocatedBy(Runnable work) {
        work.run(); // warm: the first run may load classes
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
