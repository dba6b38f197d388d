package dev.sluice.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;

/**
 * Many concurrent streams from one client: {@code C} virtual threads, one per stream, each
 * streaming the paced stream (50 events 20 ms apart, ideal about 1 s) from a {@link BenchServer}
 * running in another process (so its heap and threads stay out of these figures). Run one
 * process per (client, C), so the peaks are this run's own.
 *
 * <p>Prints one line: completed streams, failures (with the first failure), wall time (first
 * start to last end), p50/p99/max stream completion time (each stream from its own start),
 * the process's CPU time over the burst (every thread: the client's, the JIT's and the GC's), peak
 * used heap (sampled every 10 ms: garbage included, so it follows the collector as much as the
 * client), the largest heap left after a collection during the burst (from the collectors' own
 * notifications: what the client held, garbage the collection did not reach aside) with the streams
 * open at that collection (from their first event to their end: a client whose streams overlap
 * more holds more connections at once) and that heap per open stream, the heap limit,
 * the collections' count and pause time, and peak platform threads ({@code ThreadMXBean}, which
 * counts platform threads only; the sampler is one of them). On Linux a second line splits the
 * process's CPU over the burst by thread group (the JIT's compiler threads, the collector's, the
 * virtual threads' carriers, the {@code HttpClient}'s selector and workers), each of at least 50 ms,
 * and what the threads' whole clock ticks leave out of the process's CPU (see
 * {@link ThreadCpuRun#split(Map, Map, int, double, double)}: a second or more for a client whose
 * executor starts hundreds of threads in the burst).
 * A last line is the burst's {@linkplain #timeline timeline}: when the streams started, had their
 * first event and ended, and how long each took from its first event to its end.
 *
 * <p>With {@code --warmup N}, the client first runs N streams (at most 500 at a time) and the
 * figures are taken from the burst after them, a GC and a reset of the peaks: the steady state of
 * a long-running process, with its code compiled. Without it (the default) the burst starts right
 * after the client is built, so the figures include the JIT's warm-up on a cold JVM; on 2 cores
 * that is a large part of the wall time, and the part that differs most between clients.
 *
 * <p>Usage: {@code ConcurrencyRun --client sluice|sdk|raw|LOWER_BOUND --streams C --url BASE [--warmup N] [--timeout-s S]}.
 */
public final class ConcurrencyRun {
    private ConcurrencyRun() {}

    /**
     * Runs once and prints the result line.
     *
     * @param args the flags
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String kind = null;
        String url = null;
        int streams = 1000;
        int warmup = 0;
        long timeoutSeconds = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--client" -> kind = args[++i];
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--url" -> url = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--timeout-s" -> timeoutSeconds = Long.parseLong(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown flag: " + args[i]
                                    + " (use --client sluice|sdk|raw or a lower bound: floor2, acc2 or call2, --streams C, --url BASE, --warmup N, --timeout-s S)");
            }
        }
        if (kind == null || url == null) throw new IllegalArgumentException("--client and --url are required");
        String clientKind = kind; // for the streams' threads

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().name("sampler").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        AtomicLong peakAfterGc = new AtomicLong();
        AtomicLong peakAfterGcAt = new AtomicLong(); // System.nanoTime() when that collection was reported
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (n, handback) -> {
                                if (!n.getType()
                                        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION))
                                    return;
                                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                        .mapToLong(MemoryUsage::getUsed)
                                        .sum();
                                long now = System.nanoTime();
                                synchronized (peakAfterGc) {
                                    if (after > peakAfterGc.get()) {
                                        peakAfterGc.set(after);
                                        peakAfterGcAt.set(now);
                                    }
                                }
                            },
                            null,
                            null);
        }
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        try (BenchClient client = BenchClient.create(kind, url, false)) {
            if (warmup > 0) {
                warmUp(client, warmup, timeoutSeconds);
                System.gc();
                peakHeap.set(0);
                peakAfterGc.set(0);
            }
            long[] durations = new long[streams];
            long[] firsts = new long[streams];
            long[] ends = new long[streams];
            long[] starts = new long[streams];
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
            AtomicLong lastEnd = new AtomicLong();
            CountDownLatch done = new CountDownLatch(streams);
            threads.resetPeakThreadCount();
            long gcCount0 = gcCount();
            long gcMillis0 = gcMillis();
            Map<String, long[]> threadCpu0 = ThreadCpuRun.PER_THREAD_CPU ? ThreadCpuRun.cpuByThreadName() : null;
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                int index = i;
                Thread.ofVirtual().name("stream-" + i).start(() -> {
                    long t0 = System.nanoTime();
                    starts[index] = t0;
                    try {
                        BenchClient.Result r = client.stream();
                        long end = System.nanoTime();
                        checkPaced(clientKind, r);
                        durations[index] = end - t0;
                        firsts[index] = r.firstEventNanos();
                        ends[index] = end;
                        lastEnd.accumulateAndGet(end, Math::max);
                        completed.incrementAndGet();
                    } catch (Throwable e) {
                        durations[index] = -1;
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            boolean finished = done.await(timeoutSeconds, TimeUnit.SECONDS);
            long cpu = os.getProcessCpuTime() - cpu0;
            Map<String, long[]> threadCpu1 = ThreadCpuRun.PER_THREAD_CPU ? ThreadCpuRun.cpuByThreadName() : null;
            sampler.interrupt();
            long wall = (completed.get() > 0 ? lastEnd.get() : System.nanoTime()) - start;
            long[] ok = Arrays.stream(durations).filter(d -> d > 0).sorted().toArray();
            Throwable f = firstFailure.get();
            long at = peakAfterGcAt.get();
            int openAtPeak = 0;
            for (int i = 0; i < streams; i++) if (firsts[i] != 0 && firsts[i] <= at && ends[i] >= at) openAtPeak++;
            System.out.printf(
                    Locale.ROOT,
                    "client=%s streams=%d warmup=%d completed=%d failed=%d%s wall=%.3fs p50=%.3fs p99=%.3fs max=%.3fs "
                            + "cpu=%.2fs peakHeap=%.1fMiB peakAfterGc=%.1fMiB openAtIt=%d perOpen=%.1fKiB maxHeap=%.0fMiB gcs=%d gcTime=%dms peakPlatformThreads=%d%s%n",
                    kind,
                    streams,
                    warmup,
                    completed.get(),
                    failed.get(),
                    finished ? "" : " (timed out)",
                    wall / 1e9,
                    pct(ok, 0.50),
                    pct(ok, 0.99),
                    ok.length == 0 ? 0.0 : ok[ok.length - 1] / 1e9,
                    cpu / 1e9,
                    peakHeap.get() / 1048576.0,
                    peakAfterGc.get() / 1048576.0,
                    openAtPeak,
                    openAtPeak == 0 ? 0.0 : peakAfterGc.get() / 1024.0 / openAtPeak,
                    Runtime.getRuntime().maxMemory() / 1048576.0,
                    gcCount() - gcCount0,
                    gcMillis() - gcMillis0,
                    threads.getPeakThreadCount(),
                    f == null ? "" : " firstFailure=\"" + String.valueOf(f).replace('\n', ' ') + "\"");
            if (threadCpu0 != null) {
                System.out.println("# threads, CPU ms over the burst (user+sys):"
                        + ThreadCpuRun.split(
                                threadCpu0,
                                Objects.requireNonNull(threadCpu1, "taken when threadCpu0 was"),
                                1,
                                50,
                                cpu / 1e6));
            }
            System.out.println(timeline(start, starts, firsts, ends));
        }
        System.exit(0); // a client's non-daemon threads (OkHttp's pool) must not keep the process alive
    }

    /** Runs {@code n} streams, at most 500 at a time, and waits for them; a failure stops the run. */
    private static void warmUp(BenchClient client, int n, long timeoutSeconds) throws InterruptedException {
        for (int done = 0; done < n; ) {
            int batch = Math.min(500, n - done);
            CountDownLatch ended = new CountDownLatch(batch);
            AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < batch; i++) {
                Thread.ofVirtual().start(() -> {
                    try {
                        client.stream();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        ended.countDown();
                    }
                });
            }
            if (!ended.await(timeoutSeconds, TimeUnit.SECONDS) || failure.get() != null) {
                throw new IllegalStateException("the warm-up failed: " + failure.get(), failure.get());
            }
            done += batch;
        }
    }

    /** The paced stream's content length, as every client but the counting ones accumulates it. */
    private static final int PACED_LENGTH =
            BenchStream.text(BenchServer.PACED_DELTAS).expectedLength();

    /**
     * Checks a paced stream's result: the whole text, or for the clients that only count the body's
     * bytes (the raw drains), some bytes.
     *
     * @throws IllegalStateException if the stream was incomplete
     */
    static void checkPaced(String kind, BenchClient.Result r) {
        boolean counted = BenchClient.isRawDrain(kind); // bytes counted, no events
        boolean ok = counted ? r.length() > 0 : r.length() == PACED_LENGTH;
        if (!ok) throw new IllegalStateException("incomplete stream: " + r);
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    /**
     * {@return the comment line of the burst's timeline} Over the completed streams, in seconds from
     * the burst's start: when their threads started, when their first event was in hand and when
     * they ended (p10, p50, p90, max), and the time from a stream's first event to its end (p10,
     * p50, p90). A stream whose first event comes at its end had its whole body waiting unread by
     * then.
     */
    static String timeline(long start, long[] starts, long[] firsts, long[] ends) {
        int n = 0;
        for (int i = 0; i < ends.length; i++) if (ends[i] != 0 && firsts[i] != 0) n++;
        long[] started = new long[n];
        long[] first = new long[n];
        long[] end = new long[n];
        long[] firstToEnd = new long[n];
        for (int i = 0, j = 0; i < ends.length; i++) {
            if (ends[i] == 0 || firsts[i] == 0) continue;
            started[j] = starts[i] - start;
            first[j] = firsts[i] - start;
            end[j] = ends[i] - start;
            firstToEnd[j++] = ends[i] - firsts[i];
        }
        for (long[] a : new long[][] {started, first, end, firstToEnd}) Arrays.sort(a);
        return String.format(
                Locale.ROOT,
                "# timeline, s from the burst's start (p10/p50/p90/max): started %s;"
                        + " first event %s; ended %s; first event to end (p10/p50/p90) %.2f/%.2f/%.2f",
                quartet(started),
                quartet(first),
                quartet(end),
                pct(firstToEnd, 0.10),
                pct(firstToEnd, 0.50),
                pct(firstToEnd, 0.90));
    }

    private static String quartet(long[] sorted) {
        return String.format(
                Locale.ROOT,
                "%.2f/%.2f/%.2f/%.2f",
                pct(sorted, 0.10),
                pct(sorted, 0.50),
                pct(sorted, 0.90),
                pct(sorted, 1.0));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e9;
    }
}
