package dev.sluice.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * {@link HeapCeilingTest}'s child JVM: a server's allocation in miniature. Requests in flight (a window of
 * 8 MiB of 16 KiB arrays, each read whole once more when it is dropped) outgrow the young generation, so
 * each one is promoted before it is dropped, as {@code serve}'s are; 1 GiB is allocated in all. Prints the
 * old generation's largest committed size after the first 256 MiB and how many times the ceiling (when the
 * JVM's options ask for one) collected the heap.
 */
final class HeapCeilingChurn {
    private HeapCeilingChurn() {}

    @SuppressWarnings("SystemOut") // the parent reads the one line
    public static void main(String[] args) throws Exception {
        Long asked = HeapCeiling.asked();
        HeapCeiling ceiling = asked == null ? null : HeapCeiling.start(asked).orElseThrow();
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

    private static long checksum(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) sum += b;
        return sum;
    }
}
