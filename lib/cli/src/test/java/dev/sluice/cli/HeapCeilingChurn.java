package dev.sluice.cli;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@link HeapCeilingTest}'s child JVM: a server's allocation in miniature. Requests in flight (a window of
 * 8 MiB of 16 KiB arrays, each read whole once more when it is dropped) outgrow the young generation, so
 * each one is promoted before it is dropped, as {@code serve}'s are; 1 GiB is allocated in all. Prints the
 * old generation's largest committed size after the first 256 MiB and how many times the ceiling (when the
 * JVM's options ask for one) collected the heap. With the argument {@code burst}: {@link #burst}; with
 * {@code idle}: {@link #idle}.
 */
final class HeapCeilingChurn {
    private HeapCeilingChurn() {}

    @SuppressWarnings("SystemOut") // the parent reads the one line
    public static void main(String[] args) throws Exception {
        Long asked = HeapCeiling.asked();
        if (args.length > 0 && args[0].equals("burst")) {
            burst(Objects.requireNonNull(asked, "a ceiling"));
            return;
        }
        if (args.length > 0 && args[0].equals("idle")) {
            idle(
                    Objects.requireNonNull(asked, "a ceiling"),
                    Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20));
            return;
        }
        HeapCeiling ceiling = asked == null ? null : HeapCeiling.start(asked).orElse(null);
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getName().equals("Tenured Gen"))
                .findFirst()
                .orElseThrow();
        byte[][] window = new byte[512][];
        long maxOld = 0;
        long sink = 0;
        int warmUp = 16 * 1024; // 256 MiB: the first crossing, while the notification's path is still loaded cold
        for (int i = 0; i < 64 * 1024; i++) {
            byte[] request = new byte[16 * 1024];
            for (int j = 0; j < request.length; j += 64) request[j] = (byte) (i + j); // a request's work on it
            byte[] dropped = window[i % window.length];
            if (dropped != null) sink += checksum(dropped);
            window[i % window.length] = request;
            if (i >= warmUp && i % 256 == 0)
                maxOld = Math.max(maxOld, old.getUsage().getCommitted());
        }
        System.out.println("max_old_committed=" + maxOld + " collections="
                + (ceiling == null ? 0 : ceiling.collections()) + " sink=" + sink);
        if (ceiling != null) ceiling.close();
    }

    /**
     * A burst that holds 96 MiB (streams that end together), then nothing: prints the heap's committed size
     * at the burst's end and once the ceiling's look at it has collected it, or after 20 s. The ceiling starts
     * during the burst and collects at its threshold at once; no garbage follows the burst's end, so only a look
     * at the heap can collect again.
     */
    @SuppressWarnings("SystemOut")
    private static void burst(long asked) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 6 * 1024; i++) held.add(new byte[16 * 1024]);
        long atBurst = memory.getHeapMemoryUsage().getCommitted();
        HeapCeiling ceiling =
                HeapCeiling.start(asked, Duration.ofMillis(500), () -> {}).orElseThrow();
        // the heap's use is past the threshold the ceiling sets at its start: that first collection (which frees
        // nothing held) ends before the burst does
        await().atMost(Duration.ofSeconds(10)).until(() -> ceiling.collections() > 0);
        held.clear();
        long idle = committedOnceBelow(atBurst / 2, Duration.ofSeconds(20));
        lookCounted(ceiling);
        System.out.println(
                "at_burst=" + atBurst + " idle=" + idle + " rechecks=" + ceiling.rechecks() + " held=" + held.size());
        ceiling.close();
    }

    /**
     * A live set of 24 MiB, a cache of 12 MiB and a load that holds 40 MiB more, together below the ceiling and the
     * size at which a look collects a heap past it, then nothing: prints the heap's committed size at the load's end
     * and once the look at an idle heap has collected it (or after {@code wait}), the free ratios after, and how many
     * times the ceiling ran what it runs before an idle collection, which lets go of the cache and then throws. At
     * the JVM's own ratios (at most 70 % free) a collection would leave the heap as the load grew it.
     */
    @SuppressWarnings("SystemOut")
    private static void idle(long asked, Duration wait) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<byte[]> cache = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger beforeIdle = new AtomicInteger();
        HeapCeiling ceiling = HeapCeiling.start(asked, Duration.ofMillis(500), () -> {
                    beforeIdle.incrementAndGet();
                    cache.clear();
                    throw new IllegalStateException("a cache that fails once it has let go");
                })
                .orElseThrow();
        List<byte[]> live = new ArrayList<>();
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 24 * 64; i++) live.add(new byte[16 * 1024]);
        for (int i = 0; i < 12 * 64; i++) cache.add(new byte[16 * 1024]);
        for (int i = 0; i < 40 * 64; i++) held.add(new byte[16 * 1024]);
        long atLoad = memory.getHeapMemoryUsage().getCommitted();
        held.clear();
        long idle = committedOnceBelow(atLoad * 3 / 4, wait);
        lookCounted(ceiling);
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        System.out.println("at_load=" + atLoad + " idle=" + idle + " collections=" + ceiling.collections()
                + " rechecks=" + ceiling.rechecks() + " min_free="
                + hotspot.getVMOption("MinHeapFreeRatio").getValue()
                + " max_free=" + hotspot.getVMOption("MaxHeapFreeRatio").getValue() + " before_idle="
                + beforeIdle.get() + " live=" + live.size());
        ceiling.close();
    }

    /**
     * Waits (at most 5 s) for the look that shrank the heap to be counted: the ceiling counts a look once its
     * collections are done, and the heap is smaller once the first of them is. Not an assertion: the parent's says
     * what it expected of the printed counts.
     */
    private static void lookCounted(HeapCeiling ceiling) {
        try {
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ceiling.rechecks() > 0 && ceiling.collections() >= ceiling.rechecks());
        } catch (ConditionTimeoutException e) {
            // printed as they are
        }
    }

    /**
     * {@return the heap's committed size once it is below {@code bound}, or as it is after {@code wait}} Not an
     * assertion: the parent's says what it expected of the printed figure.
     */
    private static long committedOnceBelow(long bound, Duration wait) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] committed = {memory.getHeapMemoryUsage().getCommitted()};
        try {
            await().atMost(wait)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> (committed[0] = memory.getHeapMemoryUsage().getCommitted()) < bound);
        } catch (ConditionTimeoutException e) {
            // printed as it is
        }
        return committed[0];
    }

    private static long checksum(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) sum += b;
        return sum;
    }
}
