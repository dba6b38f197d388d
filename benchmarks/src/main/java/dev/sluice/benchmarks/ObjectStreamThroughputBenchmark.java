package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.benchmarks.StructuredObject.Catalog;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import dev.sluice.stream.EventStream;
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
 * The typed object stream against the plain text stream of the same bytes, over a socket: the
 * loopback {@link BenchServer} serves {@link StructuredObject}'s catalog ({@code objectChars}
 * characters) as an Anthropic stream of {@code text_delta} events of 2 to 12 characters, and one
 * {@link AnthropicClient} (a {@code ChatProvider}) reads it as
 *
 * <ul>
 *   <li>{@link #textStream}: {@code provider.stream(request)}, the {@code EventStream<MessageChunk>},
 *       each chunk's text consumed;</li>
 *   <li>{@link #typedStream}: {@code ObjectStream.of(provider, request, Catalog.class)}, every
 *       partial consumed, then the validated, bound value.</li>
 * </ul>
 *
 * Scores are ms per stream; events/s is the stream's deltas divided by it (printed at setup), the
 * same number for both since both read every delta. Each fork is a fresh JVM.
 */
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ObjectStreamThroughputBenchmark {
    @Param("1048576")
    public int objectChars;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private BenchServer server;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private AnthropicClient client;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private ChatRequest request;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private ObjectSchema<Catalog> schema;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        String json = StructuredObject.json(objectChars, 42);
        String[] deltas = StructuredObject.deltas(json, 7);
        BenchStream stream = BenchStream.textDeltas("object" + objectChars, deltas);
        long bytes = stream.events().stream().mapToLong(e -> e.length).sum();
        System.out.printf(
                "%n%,d deltas (%,d events), %,d body bytes, %,d chars of JSON%n",
                deltas.length, stream.events().size(), bytes, json.length());
        server = BenchServer.start(stream);
        client = SluiceBenchClient.client(server.baseUrl());
        request = ChatRequest.builder()
                .model(BenchClient.MODEL)
                .maxTokens(BenchClient.MAX_TOKENS)
                .addMessage(ChatMessage.user(BenchClient.PROMPT))
                .build();
        schema = ObjectSchema.of(Catalog.class);
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        client.close();
        server.close();
    }

    /** The plain text stream: every chunk's text. */
    @Benchmark
    public long textStream(Blackhole bh) {
        long chars = 0;
        try (EventStream<MessageChunk> s = client.stream(request)) {
            for (MessageChunk c : s) {
                bh.consume(c.text());
                chars += c.text().length();
            }
        }
        return chars;
    }

    /** The typed stream of the same bytes: every partial, then the validated value. */
    @Benchmark
    public Catalog typedStream(Blackhole bh) {
        try (ObjectStream<Catalog> s = ObjectStream.of(client, request, schema)) {
            for (Partial<Catalog> p : s) bh.consume(p);
            return s.result();
        }
    }
}
