package dev.sluice.benchmarks;

import dev.sluice.chat.PartialJson;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A streamed tool input of {@code inputChars} characters (default 1 MiB) arriving in 10-char
 * deltas: {@link PartialJson} fed incrementally, against re-parsing the whole buffer from scratch
 * after each delta (what the incremental parser replaces). Each operation processes the whole input.
 *
 * <p>The re-parse baselines are quadratic (about 5.5 * 10^10 characters parsed for 1 MiB), so they
 * run as single shots: one warm-up shot and a few measured shots, each a full pass.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PartialJsonBenchmark {

    @Param("1048576")
    public int inputChars;

    @Param("10")
    public int deltaChars;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private String[] deltas;

    @Setup
    public void setUp() {
        String input = toolInput(inputChars, 42);
        if (!PartialJson.parse(input).isValid())
            throw new IllegalStateException("the generated input is not valid JSON");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < input.length(); i += deltaChars) {
            parts.add(input.substring(i, Math.min(input.length(), i + deltaChars)));
        }
        deltas = parts.toArray(String[]::new);
    }

    /** Append every delta to one parser, then finish. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Object incremental() {
        PartialJson json = new PartialJson();
        for (String delta : deltas) json.append(delta);
        return json.finish();
    }

    /** Append every delta and take a snapshot after each, as an accumulator showing live tool input would. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public @Nullable Object incrementalSnapshotEachDelta() {
        PartialJson json = new PartialJson();
        Object last = null;
        for (String delta : deltas) {
            json.append(delta);
            last = json.snapshot();
        }
        return last;
    }

    /** The baseline: after each delta, parse the whole buffer so far from scratch (best effort, as a snapshot). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public @Nullable Object reparseEachDelta() {
        StringBuilder buffer = new StringBuilder();
        Object last = null;
        for (String delta : deltas) {
            buffer.append(delta);
            PartialJson json = new PartialJson();
            json.append(buffer);
            last = json.snapshot();
        }
        return last;
    }

    /**
     * A realistic tool input: {"files":[{path, language, content, line_count, score, tags, meta}, ...]} with
     * long strings holding escapes (newline, tab, quote, backslash, unicode escapes, escaped surrogate pairs) and raw non-ASCII
     * text, nested objects and arrays, integers and decimals; about {@code chars} characters.
     */
    static String toolInput(int chars, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = {
            "stream", "token", "delta", "über", "naïve", "日本語", "données", "ключ", "😀", "λ", "buffer", "socket",
            "virtual", "thread", "JSON", "parser", "emoji🎉", "café"
        };
        StringBuilder out = new StringBuilder(chars + 4096);
        out.append("{\"task\":\"refactor\",\"files\":[");
        int file = 0;
        while (out.length() < chars - 2048) {
            if (file > 0) out.append(',');
            out.append("{\"path\":\"src/main/java/dev/sluice/File").append(file).append(".java\",");
            out.append("\"language\":\"java\",\"content\":\"");
            int lines = 5 + r.nextInt(40);
            for (int l = 0; l < lines; l++) {
                out.append("\\t");
                int n = 3 + r.nextInt(12);
                for (int w = 0; w < n; w++) {
                    switch (r.nextInt(12)) {
                        case 0 -> out.append("\\\"quoted\\\" ");
                        case 1 -> out.append("C:\\\\path\\\\x ");
                        case 2 -> out.append("\\u00e9\\u4e2d ");
                        case 3 -> out.append("\\ud83d\\ude00 ");
                        default -> out.append(words[r.nextInt(words.length)]).append(' ');
                    }
                }
                out.append("\\n");
            }
            out.append("\",\"line_count\":").append(lines);
            out.append(",\"score\":").append(r.nextInt(100)).append('.').append(r.nextInt(1000));
            out.append(",\"tags\":[");
            int tags = r.nextInt(5);
            for (int t = 0; t < tags; t++) {
                if (t > 0) out.append(',');
                out.append('"').append(words[r.nextInt(words.length)]).append('"');
            }
            out.append("],\"meta\":{\"changed\":").append(r.nextBoolean()).append(",\"owner\":null,\"ranges\":[");
            int ranges = 1 + r.nextInt(4);
            for (int g = 0; g < ranges; g++) {
                if (g > 0) out.append(',');
                out.append('[')
                        .append(r.nextInt(500))
                        .append(',')
                        .append(r.nextInt(500))
                        .append(']');
            }
            out.append("],\"weight\":")
                    .append(-r.nextInt(50))
                    .append("e-")
                    .append(r.nextInt(5))
                    .append("}}");
            file++;
        }
        out.append("],\"summary\":\"");
        while (out.length() < chars - 2) out.append('x');
        out.append("\"}");
        return out.toString();
    }
}
