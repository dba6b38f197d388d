package dev.sluice.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;

/**
 * A soft ceiling on the heap for the collectors that keep none (the serial and the parallel ones):
 * when the old generation's use passes the ceiling less the young generation, the whole heap is
 * collected ({@link System#gc()}), as ZGC does at its {@code -XX:SoftMaxHeapSize}.
 *
 * <p>Why: under the serial collector a server's requests in flight outgrow a small young generation's
 * survivor space, so each request's own objects are promoted, and the old generation is expanded to
 * hold them instead of being collected, toward the heap's maximum (a quarter of the machine's memory
 * by default): {@code sluice serve} measured 1.7–1.9 GB of RSS over a live set of 16–22 MB
 * (benchmarks/README.md, note 20). Collected at the ceiling, the old generation stays near it, and
 * the young generation, resized after each whole collection, grows to a size that lets most requests
 * end before they are promoted.
 *
 * <p>The ceiling is {@code -XX:SoftMaxHeapSize} when it is given (the JDK's own name for it), else the
 * system property {@value #PROPERTY} ({@code ./sluice serve} sets {@value #LAUNCHER_DEFAULT}), never above
 * the maximum heap. When the live set itself nears the ceiling, the old generation may grow to one and a
 * half times the live set before it is collected again, so that a heap the streams fill is not collected
 * over and over: the ceiling bounds the garbage, not what the server holds (the limits' estimate,
 * {@link MemoryBudget}, is checked against the maximum heap). The launcher also turns off
 * {@code ShrinkHeapInSteps}, so that a whole collection gives back at once what a burst made the heap grow to;
 * and a heap past the ceiling that the ceiling has not collected for {@link #RECHECK} is collected then, so
 * that it shrinks once the burst's streams are gone, though no new garbage brings the next collection.
 *
 * <p>A server that was idle for a whole {@link #RECHECK} (no collection at all, not even of the young
 * generation) with a heap grown since its last such look first lets go of what it keeps for a load (the
 * {@code beforeIdle} given to {@link #start(long, Runnable)}: {@code serve}'s pooled buffers), then is collected
 * with the heap's free ratios lowered for that collection alone ({@value #IDLE_MIN_FREE}/{@value #IDLE_MAX_FREE} %,
 * in place of the JVM's 40/70), twice, so that its heap shrinks to little more than its live set: a heap that a
 * load to 64 streams grew to 88 MiB went back to the 16 MiB it started at. Free ratios given to the JVM are kept;
 * under load the ratios are the JVM's, since a lower maximum there shrinks the heap after each whole collection
 * only for it to grow again (benchmarks/README.md, note 20: the p99 first token at 64 streams 3.5–6 ms later).
 */
final class HeapCeiling implements AutoCloseable {
    /** The system property that sets the ceiling, in bytes or with a k, m or g suffix. */
    static final String PROPERTY = "sluice.softMaxHeap";
    /** What the launcher sets for {@code serve}, when neither the JVM option nor the property is given. */
    static final String LAUNCHER_DEFAULT = "64m";

    /** The old generations of the collectors that do not honour {@code SoftMaxHeapSize}. */
    private static final Set<String> OLD_POOLS = Set.of("Tenured Gen", "PS Old Gen");

    private static final Set<VMOption.Origin> GIVEN =
            Set.of(VMOption.Origin.VM_CREATION, VMOption.Origin.ENVIRON_VAR, VMOption.Origin.CONFIG_FILE);

    /**
     * How often a heap grown past the ceiling is looked at again: collected whole once more if it has not
     * been since, so that it shrinks once what it held is gone (the streams' replay buffers are kept 60 s
     * after their end, for a resume).
     */
    static final Duration RECHECK = Duration.ofSeconds(60);

    /** {@code MinHeapFreeRatio} for the collection of an idle heap. */
    static final int IDLE_MIN_FREE = 5;
    /** {@code MaxHeapFreeRatio} for the collection of an idle heap. */
    static final int IDLE_MAX_FREE = 10;

    private final MemoryPoolMXBean old;
    private final MemoryMXBean memory;
    private final long ceiling;
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong rechecks = new AtomicLong();
    private final NotificationListener listener = this::onNotification;
    private final ScheduledExecutorService timer;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final @Nullable HotSpotDiagnosticMXBean hotspot;
    private final Runnable beforeIdle;
    // the fields below only the timer's thread reads and writes
    /** The collections counted when the heap was last looked at. */
    private long collectionsSeen = -1;
    /** The JVM's collections of either generation, by whomever asked, when the heap was last looked at. */
    private long allCollectionsSeen = -1;
    /** The heap's committed size after the last collection of an idle heap. */
    private long committedAfterIdle = -1;

    private HeapCeiling(
            MemoryPoolMXBean old,
            MemoryMXBean memory,
            long ceiling,
            @Nullable HotSpotDiagnosticMXBean hotspot,
            Runnable beforeIdle) {
        this.old = old;
        this.beforeIdle = beforeIdle;
        this.memory = memory;
        this.ceiling = ceiling;
        this.hotspot = hotspot;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sluice-heap-ceiling").factory());
    }

    /**
     * Starts a ceiling, if the JVM's collector keeps none.
     *
     * @param asked the ceiling, in bytes ({@link #asked()}); the maximum heap if it is above it
     * @return the ceiling, to be closed when the server stops; empty when the collector is not the serial
     *     or the parallel one (ZGC honours {@code -XX:SoftMaxHeapSize} itself), or when
     *     {@code -XX:+DisableExplicitGC} forbids the collection it would ask for
     */
    static Optional<HeapCeiling> start(long asked) {
        return start(asked, RECHECK, () -> {});
    }

    /**
     * {@link #start(long)}, with what to let go of before an idle heap is collected.
     *
     * @param beforeIdle run on the ceiling's thread before the collection of an idle heap: caches
     *     the server keeps for a load, let go of so that the collection gives their memory back; what
     *     it throws is not the ceiling's concern, and the collection goes on
     */
    static Optional<HeapCeiling> start(long asked, Runnable beforeIdle) {
        return start(asked, RECHECK, beforeIdle);
    }

    /** {@link #start(long, Runnable)}, looking at a heap grown past the ceiling every {@code recheck}. */
    static Optional<HeapCeiling> start(long asked, Duration recheck, Runnable beforeIdle) {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP
                    && OLD_POOLS.contains(pool.getName())
                    && pool.isUsageThresholdSupported()) old = pool;
        }
        // with -XX:+DisableExplicitGC a collection cannot be asked for
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (old == null
                || (hotspot != null
                        && hotspot.getVMOption("DisableExplicitGC").getValue().equals("true"))) return Optional.empty();
        HeapCeiling ceiling = new HeapCeiling(
                old,
                ManagementFactory.getMemoryMXBean(),
                Math.min(asked, Runtime.getRuntime().maxMemory()),
                hotspot,
                beforeIdle);
        ((NotificationEmitter) ceiling.memory).addNotificationListener(ceiling.listener, null, null);
        ceiling.arm();
        var unused = ceiling.timer.scheduleWithFixedDelay( // until close() stops the timer
                ceiling::recheck, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(ceiling);
    }

    /**
     * {@return the ceiling asked for, in bytes: the JVM option given, else the property; null without one}
     *
     * @throws UsageException if the property is not a size
     */
    static @Nullable Long asked() throws UsageException {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption option = hotspot == null ? null : hotspot.getVMOption("SoftMaxHeapSize");
        // given by a person (the command line, JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS, a flags file), not the value the
        // JVM's ergonomics set: the maximum heap
        if (option != null && GIVEN.contains(option.getOrigin())) return Long.parseLong(option.getValue());
        String property = System.getProperty(PROPERTY);
        return property == null ? null : parseSize(property);
    }

    /**
     * {@return bytes from a size as the JVM's options write it: digits, then k, m or g (any case), or none}
     *
     * @throws UsageException if it is not such a size, or is 0
     */
    static long parseSize(String size) throws UsageException {
        String s = size.strip().toLowerCase(Locale.ROOT);
        long unit = s.isEmpty()
                ? 1
                : switch (s.charAt(s.length() - 1)) {
                    case 'k' -> 1024L;
                    case 'm' -> 1024L * 1024;
                    case 'g' -> 1024L * 1024 * 1024;
                    default -> 1;
                };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 12)
            throw new UsageException(
                    "-D" + PROPERTY + "=" + size + " is not a size: write it as -Xmx takes it, e.g. 128m");
        long bytes = Long.parseLong(digits) * unit;
        if (bytes == 0) throw new UsageException("-D" + PROPERTY + "=" + size + " is 0: give a size such as 128m");
        return bytes;
    }

    /** {@return how many times the ceiling collected the heap} */
    long collections() {
        return collections.get();
    }

    /** {@return how many of those collections a look at a heap grown past the ceiling, or at an idle heap, made} */
    long rechecks() {
        return rechecks.get();
    }

    /** {@return a line for stderr: the ceiling, and how to change it} */
    String describe() {
        return "heap kept near " + ceiling / (1024 * 1024) + " MiB: its old generation (" + old.getName()
                + ") collected whole there (-XX:SoftMaxHeapSize sets it)";
    }

    /** Sets the old generation's threshold from the young generation's size and the last live set. */
    private void arm() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage oldNow = old.getUsage();
        long young = Math.max(0, heap.getCommitted() - oldNow.getCommitted());
        MemoryUsage afterLast = old.getCollectionUsage();
        long live = afterLast == null ? 0 : afterLast.getUsed();
        // at least a quarter of the ceiling: a young generation near the ceiling would otherwise follow each of its
        // collections with a whole one
        long threshold = Math.max(Math.max(ceiling - young, ceiling / 4), live + live / 2);
        long max = oldNow.getMax();
        if (max > 0) threshold = Math.min(threshold, max);
        old.setUsageThreshold(Math.max(1, threshold));
    }

    /**
     * Collects a heap that a burst grew past the ceiling (by a quarter) when the ceiling has not collected
     * it for a whole period: what the burst held may be gone, and the collection gives that memory back.
     * A heap whose live set keeps it past the ceiling is so collected once a period while idle, at the cost
     * of one collection of that live set. A heap not collected at all for a whole period, and grown since
     * the last such collection, is collected with the free ratios lowered ({@link #collectIdle()}).
     */
    private void recheck() {
        long seen = collections.get();
        boolean idle = seen == collectionsSeen;
        collectionsSeen = seen;
        long all = allCollections();
        boolean quiet = all == allCollectionsSeen;
        allCollectionsSeen = all;
        long committed = memory.getHeapMemoryUsage().getCommitted();
        if (quiet && committed > committedAfterIdle) {
            collectIdle();
            committedAfterIdle = memory.getHeapMemoryUsage().getCommitted();
        } else if (idle && committed > ceiling + ceiling / 4) {
            System.gc();
        } else {
            return;
        }
        rechecks.incrementAndGet();
        collectionsSeen = collections.incrementAndGet();
        allCollectionsSeen = allCollections();
        arm();
    }

    /**
     * Runs {@code beforeIdle}, then collects the heap whole ({@link #collectTwice()}) with {@code MinHeapFreeRatio}
     * and {@code MaxHeapFreeRatio} at {@value #IDLE_MIN_FREE} and {@value #IDLE_MAX_FREE} (manageable options, set back
     * at once), so that it shrinks to about its live set; with either ratio given to the JVM, without the HotSpot
     * bean, or when the JVM refuses the change, with the JVM's own.
     */
    private void collectIdle() {
        try {
            beforeIdle.run();
        } catch (RuntimeException e) {
            // the caches stay; the collection still gives back the heap's garbage
        }
        VMOption min = hotspot == null ? null : hotspot.getVMOption("MinHeapFreeRatio");
        VMOption max = hotspot == null ? null : hotspot.getVMOption("MaxHeapFreeRatio");
        if (hotspot == null
                || min == null
                || max == null
                || GIVEN.contains(min.getOrigin())
                || GIVEN.contains(max.getOrigin())) {
            collectTwice();
            return;
        }
        try {
            // the minimum first, so that it never passes the maximum (the JVM refuses that); set back the other way
            hotspot.setVMOption("MinHeapFreeRatio", Integer.toString(IDLE_MIN_FREE));
            hotspot.setVMOption("MaxHeapFreeRatio", Integer.toString(IDLE_MAX_FREE));
        } catch (IllegalArgumentException | SecurityException e) {
            // not writeable here: a collection at the JVM's own ratios still gives back what they let go
        }
        try {
            collectTwice();
        } finally {
            hotspot.setVMOption("MaxHeapFreeRatio", max.getValue());
            hotspot.setVMOption("MinHeapFreeRatio", min.getValue());
        }
    }

    /**
     * Collects the heap whole twice: the first hands the cleaners of what it found unreachable (the direct buffers a
     * cache just let go of among them) to their threads, and what they held goes in the second. After a load to 64
     * streams one collection left {@code serve}'s old generation at 12.5–13 MiB, two at the 10.9 MiB it starts with.
     */
    private static void collectTwice() {
        System.gc();
        System.gc();
    }

    /** {@return the JVM's collections so far, of either generation, by whomever asked} */
    private long allCollections() {
        long n = 0;
        for (GarbageCollectorMXBean c : collectors) n += Math.max(0, c.getCollectionCount());
        return n;
    }

    private void onNotification(Notification n, @Nullable Object handback) {
        if (!MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())
                || !(n.getUserData() instanceof CompositeData data)
                || !MemoryNotificationInfo.from(data).getPoolName().equals(old.getName())) return;
        // on the JDK's notification thread: the collection stops every thread anyway, and a crossing while it
        // runs is not notified again until the use has fallen below the threshold (it does, once collected)
        System.gc();
        collections.incrementAndGet();
        arm();
    }

    /** Stops collecting at the ceiling: the threshold is cleared, the listener removed and the timer stopped. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            ((NotificationEmitter) memory).removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // closed before
        }
        old.setUsageThreshold(0);
    }
}
