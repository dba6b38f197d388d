package dev.sluice.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.SseDecoder;
import dev.sluice.stream.StreamOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many concurrent streams in one JVM: a loopback server paces {@code --items} SSE events
 * {@code --interval-ms} apart on each of {@code --streams} connections, and as many
 * {@link EventStream}s (one virtual thread each, plus a virtual consumer thread each) read them
 * all. Prints the wall time against the ideal ({@code items x interval}), the peak heap (sum of
 * the heap pools' peaks) and the peak number of platform threads. Not a JMH benchmark: run it
 * with {@code java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.ScaleBenchmark}.
 * Needs {@code ulimit -n} above twice the stream count.
 */
public final class ScaleBenchmark {

    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        int streams = intArg(args, "--streams", 10_000);
        int items = intArg(args, "--items", 50);
        int intervalMs = intArg(args, "--interval-ms", 20);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();

        try (ServerSocket server = new ServerSocket(0, streams, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().name("scale-acceptor").start(() -> serve(server, items, intervalMs));
            System.gc();
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            threads.resetPeakThreadCount();

            AtomicInteger completed = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicLong received = new AtomicLong();
            CountDownLatch done = new CountDownLatch(streams);
            StreamOptions options =
                    StreamOptions.builder().idleTimeout(Duration.ofSeconds(30)).build();
            var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Semaphore connecting = new Semaphore(CONCURRENT_CONNECTS);
            CountDownLatch connected = new CountDownLatch(streams);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < streams; i++) {
                Thread.ofVirtual().start(() -> {
                    try (Socket socket = connect(server, connecting, connected);
                            EventStream<String> stream = EventStream.<String>builder()
                                    .options(options)
                                    .fromSse(socket.getInputStream(), SseLimits.defaults(), DATA)) {
                        int n = 0;
                        for (String ignored : stream) n++;
                        received.addAndGet(n);
                        if (n == items) completed.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (IOException | RuntimeException | InterruptedException e) {
                        failed.incrementAndGet();
                        if (failures.size() < 5) failures.add(e.toString());
                    } finally {
                        done.countDown();
                    }
                });
            }
            connected.await();
            long connectNanos = System.nanoTime() - t0;
            done.await();
            long wallNanos = System.nanoTime() - t0;
            long cpuNanos = os.getProcessCpuTime() - cpu0;
            long peakHeap = heapPools.stream()
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
            System.out.printf("streams=%d items=%d interval=%d ms%n", streams, items, intervalMs);
            System.out.printf(
                    "completed=%d failed=%d itemsReceived=%d%n", completed.get(), failed.get(), received.get());
            failures.forEach(f -> System.out.println("failure: " + f));
            System.out.printf(
                    "wall=%d ms (ideal %d ms; all connected after %d ms)%n",
                    wallNanos / 1_000_000, (long) items * intervalMs, connectNanos / 1_000_000);
            System.out.printf(
                    "cpu=%d ms (client and server together, %d cores)%n",
                    cpuNanos / 1_000_000, Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    "peakHeap=%d MiB (max %d MiB)%n",
                    peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("peakPlatformThreads=%d%n", threads.getPeakThreadCount());
            if (completed.get() != streams) System.exit(1);
        }
    }

    /** Connections opened at once: keeps the burst inside the kernel's listen backlog. */
    private static final int CONCURRENT_CONNECTS = 256;

    private static Socket connect(ServerSocket server, Semaphore connecting, CountDownLatch connected)
            throws IOException, InterruptedException {
        connecting.acquire();
        try {
            return new Socket(server.getInetAddress(), server.getLocalPort());
        } finally {
            connecting.release();
            connected.countDown();
        }
    }

    private static final SseDecoder<String> DATA = (event, out) -> {
        out.emit(event.data());
        return false;
    };

    /** Each connection: {@code items} events, {@code intervalMs} apart, then the server closes it. */
    private static void serve(ServerSocket server, int items, int intervalMs) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (s) {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < items; i++) {
                        out.write(("data: token " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Thread.sleep(intervalMs); // the pacing itself, not a wait for something
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away: nothing to pace any more
                }
            });
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        }
        return dflt;
    }
}
