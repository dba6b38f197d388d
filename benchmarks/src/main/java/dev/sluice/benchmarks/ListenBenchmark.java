package dev.sluice.benchmarks;

import dev.sluice.RetryPolicy;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.MessageStreamListener;
import dev.sluice.anthropic.StreamEvent;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ListenBenchmark {
    /** The stream: {@code text} is {@link BenchStream#text(int)}, {@code realtext} {@link BenchStream#realText(int)}. */
    @Param({"text", "realtext"})
    String stream;

    /** n and 2n text deltas. */
    @Param({"100000", "200000"})
    int deltas;

    private BenchServer server;
    private AnthropicClient client;
    private MessageRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchStream source = switch (stream) {
            case "text" -> BenchStream.text(deltas);
            case "realtext" -> BenchStream.realText(deltas);
            default -> throw new IllegalArgumentException("unknown stream: " + stream);
        };
        server = BenchServer.start(source);
        client = AnthropicClient.builder().baseUrl(server.baseUrl()).apiKey("bench")
                .retryPolicy(RetryPolicy.none()).build();
        request = MessageRequest.builder().model(BenchClient.MODEL).maxTokens(BenchClient.MAX_TOKENS)
                .addUserMessage(BenchClient.PROMPT).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    @Benchmark
    public Message forEach(Blackhole bh) {
        try (MessageStream s = client.messages().stream(request)) {
            for (StreamEvent e : s) bh.consume(e);
            return s.finalMessage();
        }
    }

    @Benchmark
    public Message listen(Blackhole bh) {
        try (MessageStream s = client.messages().stream(request)) {
            return s.listen(new MessageStreamListener() {
                @Override public void onText(String delta, CharSequence textSoFar) { bh.consume(delta); }
                @Override public void onMessage(Message message) { bh.consume(message.usage()); }
            });
        }
    }
}
