package dev.sluice.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.sluice.SluiceException;
import dev.sluice.benchmarks.StructuredObject.Catalog;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamMetrics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A structured answer of {@code objectChars} characters (default 1 MiB: {@link StructuredObject}'s
 * catalog) arriving in 2-to-12-character deltas, three ways:
 *
 * <ul>
 *   <li>(a) incrementally: {@link #typedEachDelta} streams it through an {@link ObjectStream} of the
 *       record type (its reader appends each delta to one {@code PartialJson}, snapshots it and makes
 *       a {@link Partial} when something shown changed; the final value validated and bound), the
 *       chunks replayed from memory on the consumer's thread, so only the objects layer is measured;
 *       {@link #partialJsonEachDelta} is the parser alone (append, then a snapshot, every delta).
 *       Both also record the time and the bytes allocated in each tenth of the deltas (in the
 *       measured iterations only) and print them per delta at the end of the fork: the slope.</li>
 *   <li>(b) re-parsing the text so far after each delta, as the AI SDK's {@code useObject} does
 *       ({@code parsePartialJson} of the whole text on every chunk), with the same parser:
 *       {@link #reparseAt} is one such parse, of the text up to the end of the given tenth, which is
 *       (b)'s cost per delta there; {@link #reparseEachDelta} runs (b) in full over the first
 *       {@code prefixChars} characters (quadratic, so capped).</li>
 *   <li>(c) accumulating the text, then parsing once at the end: {@link #accumulateThenParse}, and
 *       {@link #accumulateThenRead} with the validation and binding the typed stream does at its end.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ObjectStreamBenchmark {
    static final int TENTHS = 10;

    @Param("1048576")
    public int objectChars;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    String json;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    String[] deltas;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    MessageChunk[] chunks; // a text chunk per delta, then the end_turn chunk

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    int[] tenthStarts; // the first delta of each tenth; [TENTHS] = deltas.length

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    ObjectSchema<Catalog> schema;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        json = StructuredObject.json(objectChars, 42);
        deltas = StructuredObject.deltas(json, 7);
        schema = ObjectSchema.of(Catalog.class);
        if (schema.read(json).entries().isEmpty()) throw new IllegalStateException("an empty catalog");
        ChunkMetadata meta = new ChunkMetadata("bench", Instant.EPOCH, Duration.ZERO);
        chunks = new MessageChunk[deltas.length + 1];
        for (int i = 0; i < deltas.length; i++)
            chunks[i] = MessageChunk.builder(meta).id("msg").text(deltas[i]).build();
        chunks[deltas.length] = MessageChunk.builder(meta)
                .id("msg")
                .finishReason(FinishReason.fromAnthropic("end_turn"))
                .build();
        tenthStarts = new int[TENTHS + 1];
        int tenth = 1;
        long at = 0;
        for (int i = 0; i < deltas.length && tenth < TENTHS; i++) {
            if (at >= (long) json.length() * tenth / TENTHS) tenthStarts[tenth++] = i;
            at += deltas[i].length();
        }
        tenthStarts[TENTHS] = deltas.length;
        request = ChatRequest.builder()
                .model("bench")
                .addMessage(ChatMessage.user("a catalog"))
                .build();
        System.out.printf(
                "%n%,d chars of JSON (%,d UTF-8 bytes), %,d deltas (%.2f chars a delta), %d entries%n",
                json.length(),
                StructuredObject.utf8Bytes(json),
                deltas.length,
                (double) json.length() / deltas.length,
                schema.read(json).entries().size());
    }

    /** (a) The typed object stream over the replayed chunks: every partial, then the validated, bound value. */
    @Benchmark
    public Catalog typedEachDelta(Tenths tenths, Blackhole bh) {
        ChatProvider provider = (r, c) -> new ReplayedChunks(chunks, tenthStarts, tenths, c);
        try (ObjectStream<Catalog> s = ObjectStream.of(provider, request, schema)) {
            for (Partial<Catalog> p : s) bh.consume(p);
            Catalog c = s.result();
            tenths.mark(); // the end: validation and binding
            tenths.pass();
            return c;
        }
    }

    /** (a) The parser alone: append each delta, then a snapshot. */
    @Benchmark
    public @Nullable Object partialJsonEachDelta(Tenths tenths, Blackhole bh) {
        PartialJson p = new PartialJson();
        tenths.begin();
        int next = 1;
        for (int i = 0; i < deltas.length; i++) {
            if (i == tenthStarts[next]) {
                tenths.mark();
                next++;
            }
            p.append(deltas[i]);
            bh.consume(p.snapshot());
        }
        tenths.mark();
        Object value = p.finish().value();
        tenths.mark();
        tenths.pass();
        return value;
    }

    /** (b) One re-parse of the text so far at the end of a tenth: the re-parsing method's cost per delta there. */
    @Benchmark
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    public @Nullable Object reparseAt(Prefix prefix) {
        PartialJson p = new PartialJson();
        p.append(prefix.text);
        return p.snapshot();
    }

    /** (b) in full, on the first prefixChars characters: after each delta, a fresh parse of the whole text so far. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 2)
    public @Nullable Object reparseEachDelta(Capped capped, Blackhole bh) {
        StringBuilder text = new StringBuilder();
        Object last = null;
        for (String delta : capped.deltas) {
            text.append(delta);
            PartialJson p = new PartialJson();
            p.append(text);
            last = p.snapshot();
            bh.consume(last);
        }
        return last;
    }

    /** (c) Accumulate the deltas, parse once at the end. */
    @Benchmark
    public @Nullable Object accumulateThenParse() {
        StringBuilder text = new StringBuilder();
        for (String delta : deltas) text.append(delta);
        return PartialJson.parse(text).value();
    }

    /** (c) Accumulate the deltas, then parse, validate and bind once at the end, as the typed stream ends. */
    @Benchmark
    public Catalog accumulateThenRead() {
        StringBuilder text = new StringBuilder();
        for (String delta : deltas) text.append(delta);
        return schema.read(text);
    }

    /** The text up to the end of the tenth {@code tenth} (1 to 10). */
    @State(Scope.Benchmark)
    public static class Prefix {
        @Param({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"})
        public int tenth;

        @SuppressWarnings("NullAway.Init") // set by the @Setup method
        String text;

        @Setup(Level.Trial)
        public void setUp(ObjectStreamBenchmark b) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < b.tenthStarts[tenth]; i++) s.append(b.deltas[i]);
            text = s.toString();
            System.out.printf(
                    "%nre-parse of the first %,d of %,d chars (the end of tenth %d)%n",
                    text.length(), b.json.length(), tenth);
        }
    }

    /** The deltas of the first prefixChars characters. */
    @State(Scope.Benchmark)
    public static class Capped {
        @Param({"16384", "65536"})
        public int prefixChars;

        @SuppressWarnings("NullAway.Init") // set by the @Setup method
        String[] deltas;

        @Setup(Level.Trial)
        public void setUp(ObjectStreamBenchmark b) {
            int n = 0;
            for (int at = 0; n < b.deltas.length && at < prefixChars; n++) at += b.deltas[n].length();
            deltas = Arrays.copyOf(b.deltas, n);
            System.out.printf("%nre-parse after each of the first %,d deltas (%,d chars)%n", n, prefixChars);
        }
    }

    /**
     * The time and the bytes allocated in each tenth of the deltas, and at the end, summed over the
     * passes of the measured iterations; printed per delta when the fork ends.
     */
    @State(Scope.Thread)
    public static class Tenths {
        private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        final long[] nanos = new long[TENTHS + 1];
        final long[] bytes = new long[TENTHS + 1];
        long passes;
        private boolean measuring;
        private int at;
        private long t0;
        private long b0;

        @Setup(Level.Iteration)
        public void iteration(IterationParams params) {
            measuring = params.getType() == IterationType.MEASUREMENT;
        }

        void begin() {
            at = 0;
            b0 = THREADS.getCurrentThreadAllocatedBytes();
            t0 = System.nanoTime();
        }

        void mark() {
            long t = System.nanoTime();
            long b = THREADS.getCurrentThreadAllocatedBytes();
            if (measuring && at <= TENTHS) {
                nanos[at] += t - t0;
                bytes[at] += b - b0;
            }
            at++;
            b0 = THREADS.getCurrentThreadAllocatedBytes();
            t0 = System.nanoTime();
        }

        void pass() {
            if (measuring) passes++;
        }

        @TearDown(Level.Trial)
        public void report(BenchmarkParams params, ObjectStreamBenchmark b) {
            if (passes == 0) return;
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            System.out.printf("%n%s, %,d measured passes: per delta in each tenth of the object%n", name, passes);
            System.out.printf("%-6s %10s %12s %14s%n", "tenth", "deltas", "ns/delta", "bytes/delta");
            for (int k = 0; k < TENTHS; k++) {
                int n = b.tenthStarts[k + 1] - b.tenthStarts[k];
                System.out.printf(
                        "%-6d %,10d %,12.1f %,14.1f%n",
                        k + 1, n, (double) nanos[k] / passes / n, (double) bytes[k] / passes / n);
            }
            System.out.printf(
                    "%-6s %10s %,9.3f ms %,11.0f B  (the end: finish, and for the typed stream validate and bind)%n",
                    "end", "", nanos[TENTHS] / 1e6 / passes, (double) bytes[TENTHS] / passes);
        }
    }

    /**
     * A model's chunks replayed from memory on the consumer's thread (no producer thread), marking
     * the start of each tenth of the deltas as the object stream takes it.
     */
    private static final class ReplayedChunks implements EventStream<MessageChunk> {
        private final MessageChunk[] chunks;
        private final int[] tenthStarts;
        private final Tenths tenths;
        private final StreamController controller;
        private int next;
        private int tenth = 1;
        private boolean taken;

        ReplayedChunks(MessageChunk[] chunks, int[] tenthStarts, Tenths tenths, StreamController controller) {
            this.chunks = chunks;
            this.tenthStarts = tenthStarts;
            this.tenths = tenths;
            this.controller = controller;
        }

        @Override
        public Iterator<MessageChunk> iterator() {
            if (taken) throw new IllegalStateException("one iterator");
            taken = true;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return next < chunks.length;
                }

                @Override
                public MessageChunk next() {
                    if (next >= chunks.length) throw new NoSuchElementException();
                    if (next == 0) tenths.begin();
                    else if (next == tenthStarts[tenth]) {
                        tenths.mark(); // the last tenth ends at the end_turn chunk
                        tenth++;
                    }
                    return chunks[next++];
                }
            };
        }

        @Override
        public Stream<MessageChunk> stream() {
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
        }

        @Override
        public StreamController controller() {
            return controller;
        }

        @Override
        public StreamMetrics metrics() {
            throw new UnsupportedOperationException("replayed chunks have no metrics");
        }

        @Override
        public Optional<EndReason> endReason() {
            return next == chunks.length ? Optional.of(EndReason.COMPLETED) : Optional.empty();
        }

        @Override
        public Optional<SluiceException> failure() {
            return Optional.empty();
        }

        @Override
        public void close() {}
    }
}
