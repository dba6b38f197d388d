package dev.sluice.benchmarks;

import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.client.StreamListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code listen(listener)} against the plain for-each over the same text stream, served by the
 * loopback {@link BenchServer} (a {@code MessageStream} is only made by a client, so the whole
 * path is measured: HTTP, SSE, decoding, accumulating, and for {@link #listen} the dispatch of
 * {@code onEvent} with a snapshot and {@code onText} with the text so far, for every delta).
 * The listener uses its arguments as the Javadoc example does: the delta, and the final message.
 * Scores are ms per stream; at n and 2n deltas, linear means the 2n score is twice the n score.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ListenBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
public class ListenBenchmark extends LoopbackStreamBenchmark {
    /** The stream: {@code text} is {@link BenchStream#text(int)}, {@code realtext} {@link BenchStream#realText(int)}. */
    @Param({"text", "realtext"})
    @SuppressWarnings("NullAway.Init") // set by JMH from @Param
    String stream;

    /** n and 2n text deltas. */
    @Param({"100000", "200000"})
    int deltas;

    @Override
    BenchStream source() {
        return switch (stream) {
            case "text" -> BenchStream.text(deltas);
            case "realtext" -> BenchStream.realText(deltas);
            default -> throw new IllegalArgumentException("unknown stream: " + stream);
        };
    }

    @Benchmark
    public Message listen(Blackhole bh) {
        try (MessageStream s = client.messages().stream(request)) {
            return s.listen(new StreamListener<StreamEvent, Message>() {
                @Override
                public void onText(String delta, CharSequence textSoFar) {
                    bh.consume(delta);
                }

                @Override
                public void onResult(Message message) {
                    bh.consume(message.usage());
                }
            });
        }
    }
}
