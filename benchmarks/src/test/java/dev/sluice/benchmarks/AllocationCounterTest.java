package dev.sluice.benchmarks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code RealContentRun} counts a client's allocation with
 * {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes} (JDK 21+). Sluice allocates
 * on virtual threads, which HotSpot counts on the carrier thread they are mounted on; this checks
 * that the total sees them, and the allocation of a platform thread that has ended. An ended
 * thread's count joins the total when the VM has removed the thread, which can come a moment after
 * {@code join()} returns: the check awaits it.
 */
class AllocationCounterTest {
    private static volatile Object sink;

    private static void allocate(int megabytes) {
        for (int i = 0; i < megabytes; i++) sink = new byte[1 << 20];
    }

    @Test
    void totalThreadAllocatedBytes_countsVirtualThreadsAndEndedThreads() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        long before = threads.getTotalThreadAllocatedBytes();
        Thread.ofVirtual().start(() -> allocate(64)).join();
        long virtual = threads.getTotalThreadAllocatedBytes() - before;

        long beforeEnded = threads.getTotalThreadAllocatedBytes();
        Thread.ofPlatform().start(() -> allocate(64)).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> threads.getTotalThreadAllocatedBytes() - beforeEnded >= 64L << 20);
        long ended = threads.getTotalThreadAllocatedBytes() - beforeEnded;

        assertTrue(virtual >= 64L << 20 && virtual < 80L << 20, "a virtual thread's 64 MiB: " + virtual);
        assertTrue(ended >= 64L << 20 && ended < 80L << 20, "an ended platform thread's 64 MiB: " + ended);
    }
}
