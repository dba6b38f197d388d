package dev.sluice.benchmarks;

import dev.sluice.anthropic.MessageStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A diagnostic, not a client anyone would write: Sluice's work with no thread of its own. The raw
 * client's {@code HttpClient} request, and its body parsed, decoded and accumulated on the reading
 * thread itself by {@code AnthropicEvents.replay} (the live stream's byte path), so that reading
 * and working take turns on one thread where Sluice's stream runs them on two. Set beside
 * {@code sluice} and {@code raw} in one run, it shows what the producer-consumer hand-off costs or
 * saves. Its windows are marked by body offset, as the raw client's.
 */
final class InlineBenchClient implements BenchClient {
    private final RawBenchClient raw;
    private final boolean tool;

    InlineBenchClient(String baseUrl, boolean tool) {
        this.raw = new RawBenchClient(baseUrl);
        this.tool = tool;
    }

    @Override
    public Result stream(Windows windows) {
        return raw.stream((body, first) -> SluiceBenchClient.contentLength(
                MessageStream.replay(new Marking(body, windows, first), 16 * 1024), tool));
    }

    @Override
    public void close() {
        raw.close();
    }

    /** Counts the body's bytes, marking the windows and the first read (the replay reads ahead of its events). */
    private static final class Marking extends FilterInputStream {
        private final Windows windows;
        private final long[] first;
        private long total;

        Marking(InputStream in, Windows windows, long[] first) {
            super(in);
            this.windows = windows;
            this.first = first;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                if (first[0] == 0) {
                    first[0] = System.nanoTime();
                    first[1] = System.currentTimeMillis();
                }
                total += n;
                if (windows != null) windows.markBytes(total);
            }
            return n;
        }
    }
}
