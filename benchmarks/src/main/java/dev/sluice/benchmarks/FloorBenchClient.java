package dev.sluice.benchmarks;

import dev.sluice.internal.json.Utf8JsonStrings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A diagnostic, not a client: the least work any client must do to hand its user each delta as a
 * string, to set beside {@code raw} as a floor under what a real client can reach. The raw
 * client's request and 16 KiB reads; then, on the reading thread, each line found by a word-wide
 * scan for LF, and each delta's value (what follows the benchmark stream's fixed
 * {@code content_block_delta} prefix, up to its closing {@code "}}}) decoded into a string by
 * Sluice's own JSON string decoder, and its length summed. Nothing else: no SSE fields, events,
 * JSON beyond that prefix, accumulation, errors or second thread. It knows the benchmark stream's
 * exact bytes, which no client may assume, so it is faster than any correct client could be.
 * Its windows are marked by body offset, as the raw client's.
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
        return ("data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + delta)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Result stream(Windows windows) {
        try {
            HttpResponse<InputStream> response = raw.send();
            byte[] buffer = new byte[16 * 1024];
            byte[] line = new byte[1024]; // a line split between two reads
            int lineLength = 0;
            long length = 0;
            long total = 0;
            long firstNanos = 0;
            long firstMillis = 0;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    if (firstNanos == 0 && n > 0) {
                        firstNanos = System.nanoTime();
                        firstMillis = System.currentTimeMillis();
                    }
                    int i = 0;
                    while (i < n) {
                        int j = lineFeed(buffer, i, n);
                        if (j == n) {
                            if (lineLength + n - i > line.length) line = Arrays.copyOf(line, 2 * (lineLength + n - i));
                            System.arraycopy(buffer, i, line, lineLength, n - i);
                            lineLength += n - i;
                            break;
                        }
                        if (lineLength == 0) {
                            length += delta(buffer, i, j);
                        } else {
                            if (lineLength + j - i > line.length) line = Arrays.copyOf(line, 2 * (lineLength + j - i));
                            System.arraycopy(buffer, i, line, lineLength, j - i);
                            length += delta(line, 0, lineLength + j - i);
                            lineLength = 0;
                        }
                        i = j + 1;
                    }
                    total += n;
                    if (windows != null) windows.markBytes(total);
                }
            }
            return new Result(-1, length, firstNanos, firstMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the length of the delta's string on the line {@code bytes[from, end)}, or 0 if it holds none} */
    private int delta(byte[] bytes, int from, int end) {
        int start = from + prefix.length;
        if (end - SUFFIX < start || Arrays.mismatch(bytes, from, start, prefix, 0, prefix.length) >= 0) return 0;
        String value = Utf8JsonStrings.decode(bytes, start, end - SUFFIX);
        if (value == null) throw new IllegalStateException("not a JSON string: " + new String(bytes, from, end - from, StandardCharsets.UTF_8));
        return value.length();
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
