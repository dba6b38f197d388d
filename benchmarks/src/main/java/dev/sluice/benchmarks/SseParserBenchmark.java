package dev.sluice.benchmarks;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseParser;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a realistic Anthropic Messages stream of about 16 MiB: {@code SseParser} fed 8 KiB
 * reads, against the baseline the official SDKs use, {@code BufferedReader.readLine()} over an
 * {@code InputStreamReader} with minimal field handling that builds the same events.
 *
 * <p>One operation is one event ({@link OperationsPerInvocation}), so the score is events per
 * second and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes allocated per event.
 * MB/s = events/s x {@link #BYTES_PER_EVENT_APPROX} (the exact figure is printed at setup).
 *
 * <p>The stream: {@code message_start}, {@code content_block_start}, 100,000
 * {@code content_block_delta} text deltas with 25 to 85 bytes of text each (a few tokens, as the
 * API sends them; about one in ten with non-ASCII text, some with JSON escapes), a {@code ping}
 * every 1,000 deltas, then {@code content_block_stop}, {@code message_delta},
 * {@code message_stop}. About 168 bytes per event, 16.0 MiB in all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SseParserBenchmark {
    static final int DELTAS = 100_000;
    static final int PING_EVERY = 1_000;
    /** Every event of the stream: start, block start, deltas, pings, block stop, delta, stop. */
    static final int EVENTS = 2 + DELTAS + DELTAS / PING_EVERY + 3;

    static final int BYTES_PER_EVENT_APPROX = 168;
    static final int READ_SIZE = 8192;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private byte[] stream;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private byte[] readBuffer;

    @Setup(Level.Trial)
    public void setUp() {
        stream = anthropicStream(new Random(42));
        readBuffer = new byte[READ_SIZE];
        int[] count = {0};
        SseParser check = new SseParser(e -> count[0]++);
        check.feed(stream, 0, stream.length);
        check.finish();
        if (count[0] != EVENTS) throw new IllegalStateException("expected " + EVENTS + " events, parsed " + count[0]);
        if (baseline(new Blackhole(
                        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."))
                != EVENTS) {
            throw new IllegalStateException("the baseline does not see " + EVENTS + " events");
        }
        System.out.printf(
                "%nstream: %d bytes (%.2f MiB), %d events, %.1f bytes per event%n",
                stream.length, stream.length / 1048576.0, EVENTS, (double) stream.length / EVENTS);
    }

    /** Sluice's parser, fed the stream in 8 KiB reads. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void sluiceSseParser(Blackhole bh) {
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        SseParser parser = new SseParser(bh::consume);
        byte[] buffer = readBuffer;
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) parser.feed(buffer, 0, n);
        parser.finish();
    }

    /** What the official SDKs do: readLine(), prefix checks, a blank line dispatches. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int bufferedReaderReadLine(Blackhole bh) {
        return baseline(bh);
    }

    private int baseline(Blackhole bh) {
        int events = 0;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new ByteArrayInputStream(stream), StandardCharsets.UTF_8))) {
            String type = null;
            StringBuilder data = null;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) {
                        bh.consume(new SseEvent(type == null ? "message" : type, data.toString(), null));
                        events++;
                    }
                    type = null;
                    data = null;
                } else if (line.startsWith("data:")) {
                    String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                    if (data == null) data = new StringBuilder(value);
                    else data.append('\n').append(value);
                } else if (line.startsWith("event:")) {
                    type = line.substring(line.startsWith("event: ") ? 7 : 6);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    private static final String[] WORDS = {
        "the",
        "river",
        "carves",
        "its",
        "valley",
        "over",
        "thousands",
        "of",
        "years,",
        "and",
        "sediment",
        "settles",
        "where",
        "water",
        "slows.",
        "Meanders",
        "form",
        "because",
        "banks",
        "erode",
        "unevenly;",
        "floods",
        "spread",
        "silt",
        "across",
        "plains.",
        "\\n\\n",
        "\\\"quoted\\\"",
        "1.",
        "2.",
        "**bold**",
        "`code`"
    };
    private static final String[] NON_ASCII = {"café", "naïve", "—", "“smart”", "日本語", "😀", "Straße", "→"};

    /** {@return the whole stream, deterministic for a given random} */
    static byte[] anthropicStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(17 << 20);
        event(
                out,
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Xb7dU2Q9xTGKcJ3FqQmW1a\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
        event(
                out,
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= DELTAS; i++) {
            int target = 25 + random.nextInt(51);
            text.setLength(0);
            while (text.length() < target) {
                if (random.nextInt(60) == 0) text.append(NON_ASCII[random.nextInt(NON_ASCII.length)]);
                else text.append(WORDS[random.nextInt(WORDS.length)]);
                text.append(' ');
            }
            event(
                    out,
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":" + "{\"type\":\"text_delta\",\"text\":\""
                            + text + "\"}}");
            if (i % PING_EVERY == 0) event(out, "ping", "{\"type\": \"ping\"}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(
                out,
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + DELTAS + "}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
        return out.toByteArray();
    }

    private static void event(ByteArrayOutputStream out, String type, String json) {
        out.writeBytes(("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
