package dev.sluice.benchmarks;

import dev.sluice.internal.low.json.Utf8JsonStrings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A lower bound, not a client ({@code floor2}): the least work any client with Sluice's threading
 * must do to hand its user each delta as a string. The raw client's request and 16 KiB reads, on a
 * virtual thread of its own; each line found by a word-wide scan for LF, and each delta's value
 * (what follows the benchmark stream's fixed {@code content_block_delta} prefix, up to its closing
 * {@code "}}}) decoded into a string by Sluice's own JSON string decoder; each read's strings
 * handed in one array through a bounded queue to the calling thread, which sums their lengths.
 * Nothing else: no SSE fields, events, JSON beyond that prefix, accumulation or errors. It knows
 * the benchmark stream's exact bytes, which no client may assume, so it is faster than any correct
 * client could be. Its windows are marked by body offset, and its first event by the first read.
 */
final class FloorBenchClient implements BenchClient {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final byte[] TEXT = prefix("text_delta\",\"text\":\"");
    private static final byte[] TOOL = prefix("input_json_delta\",\"partial_json\":\"");
    /** What ends a delta's line after its value: the closing quote and the two objects' braces. */
    private static final int SUFFIX = 3;

    private final RawBenchClient raw;
    private final byte[] prefix;

    FloorBenchClient(String baseUrl, boolean tool) {
        this.raw = new RawBenchClient(baseUrl);
        this.prefix = tool ? TOOL : TEXT;
    }

    private static byte[] prefix(String delta) {
        return ("data: " + deltaData(delta)).getBytes(StandardCharsets.UTF_8);
    }

    /** {@return the start of a benchmark stream's delta's data, up to its value: the delta's type and field name given} */
    static String deltaData(String delta) {
        return "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + delta;
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        return raw.stream((body, first) -> handedOff(body, windows, first));
    }

    /** The reading loop: 16 KiB reads, each line found, each delta's string given to {@code batches}. */
    private void read(InputStream body, @Nullable Windows windows, long[] first, Batches batches) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        byte[] line = new byte[1024]; // a line split between two reads
        int lineLength = 0;
        long total = 0;
        int n;
        while ((n = body.read(buffer)) >= 0) {
            stampFirstRead(first, n);
            int i = 0;
            while (i < n) {
                int j = lineFeed(buffer, i, n);
                if (j == n) {
                    if (lineLength + n - i > line.length) line = Arrays.copyOf(line, 2 * (lineLength + n - i));
                    System.arraycopy(buffer, i, line, lineLength, n - i);
                    lineLength += n - i;
                    break;
                }
                String delta;
                if (lineLength == 0) {
                    delta = delta(buffer, i, j);
                } else {
                    if (lineLength + j - i > line.length) line = Arrays.copyOf(line, 2 * (lineLength + j - i));
                    System.arraycopy(buffer, i, line, lineLength, j - i);
                    delta = delta(line, 0, lineLength + j - i);
                    lineLength = 0;
                }
                if (delta != null) batches.accept(delta);
                i = j + 1;
            }
            batches.endOfRead();
            total += n;
            if (windows != null) windows.markBytes(total);
        }
    }

    /**
     * The reading loop on a virtual thread of its own, handing each read's strings over in one
     * array through a bounded queue to the calling thread, which sums their lengths: Sluice's
     * threading model (a producer that parses, a consumer that takes) at its cheapest.
     * {@return the sum of the strings' lengths}
     */
    @SuppressWarnings("ReferenceEquality") // identity: the end-of-stream sentinel batch
    private long handedOff(InputStream body, @Nullable Windows windows, long[] first) throws IOException {
        ArrayBlockingQueue<String[]> queue = new ArrayBlockingQueue<>(16);
        String[] end = new String[0];
        Batches batches = new Batches(queue);
        Thread producer = Thread.ofVirtual().name("floor-producer").start(() -> {
            try {
                read(body, windows, first, batches);
            } catch (IOException | RuntimeException e) {
                batches.failure = e;
            } finally {
                putUninterruptibly(queue, end);
            }
        });
        long length = 0;
        try {
            for (String[] batch = queue.take(); batch != end; batch = queue.take()) {
                for (String delta : batch) {
                    if (delta == null) break;
                    length += delta.length();
                }
            }
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        rethrow(batches.failure);
        return length;
    }

    /** Stamps {@code first} ({@code nanoTime}, then {@code currentTimeMillis}) at the first read that brought bytes. */
    static void stampFirstRead(long[] first, int n) {
        if (first[0] == 0 && n > 0) {
            first[0] = System.nanoTime();
            first[1] = System.currentTimeMillis();
        }
    }

    /** Throws what a reading loop failed with, if it failed. */
    static void rethrow(@Nullable Exception failure) throws IOException {
        if (failure instanceof IOException e) throw e;
        if (failure != null) throw (RuntimeException) failure;
    }

    /** Puts a read's {@code batch}; an interrupt ends the reading loop as an {@link InterruptedIOException}. */
    static <T> void put(ArrayBlockingQueue<T> queue, T batch) throws InterruptedIOException {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Puts {@code batch}, however often the thread is interrupted: the consumer waits for it. */
    static <T> void putUninterruptibly(ArrayBlockingQueue<T> queue, T batch) {
        for (; ; ) {
            try {
                queue.put(batch);
                return;
            } catch (InterruptedException e) {
                // the consumer waits for this batch: keep trying
            }
        }
    }

    /** Collects the strings of a read into an array (null-terminated when not full) and queues it at the read's end. */
    private static final class Batches {
        private final ArrayBlockingQueue<String[]> queue;
        private String[] batch = new String[256];
        private int count;
        volatile @Nullable Exception failure; // the reading loop's, read after it ended

        Batches(ArrayBlockingQueue<String[]> queue) {
            this.queue = queue;
        }

        void accept(String delta) {
            if (count == batch.length) batch = Arrays.copyOf(batch, count * 2);
            batch[count++] = delta;
        }

        /** Queues the strings of one read, if it brought any. */
        void endOfRead() throws IOException {
            if (count == 0) return;
            put(queue, batch);
            batch = new String[Math.max(256, count + 1)];
            count = 0;
        }
    }

    /** {@return the delta's string on the line {@code bytes[from, end)}, or null if it holds none} */
    private @Nullable String delta(byte[] bytes, int from, int end) {
        int start = from + prefix.length;
        if (end - SUFFIX < start || Arrays.mismatch(bytes, from, start, prefix, 0, prefix.length) >= 0) return null;
        String value = Utf8JsonStrings.decode(bytes, start, end - SUFFIX);
        if (value == null)
            throw new IllegalStateException(
                    "not a JSON string: " + new String(bytes, from, end - from, StandardCharsets.UTF_8));
        return value;
    }

    /** {@return the index of the first LF in {@code bytes[i, end)}, or {@code end}} */
    private static int lineFeed(byte[] bytes, int i, int end) {
        for (int last = end - Long.BYTES; i <= last; i += Long.BYTES) {
            long lf = (long) LONGS.get(bytes, i) ^ LFS;
            long found = (lf - ONES) & ~lf & HIGHS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') return i;
        }
        return end;
    }

    @Override
    public void close() {
        raw.close();
    }
}
