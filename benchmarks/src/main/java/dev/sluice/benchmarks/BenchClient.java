package dev.sluice.benchmarks;

import dev.sluice.client.Transport;
import org.jspecify.annotations.Nullable;

/**
 * One way of consuming a Messages stream from the {@link BenchServer}, so the JMH benchmarks, the
 * fresh-JVM run and the concurrency run drive every client alike. An instance is one client,
 * reused for every stream (connections are pooled as each client pools them); {@link #stream()}
 * may be called from many threads at once.
 */
public interface BenchClient extends AutoCloseable {

    /**
     * Sends one request and consumes the whole response: every event iterated and the final
     * message accumulated (the raw client reads the bytes and discards them).
     *
     * @return what was consumed
     * @throws RuntimeException whatever the client throws when the stream fails
     */
    default Result stream() {
        return stream(null);
    }

    /**
     * As {@link #stream()}, also marking the time at the end of every window of events.
     *
     * @param windows where to mark, or null for none
     * @return what was consumed
     */
    Result stream(@Nullable Windows windows);

    /** Closes the client and its connections. */
    @Override
    void close();

    /**
     * What one stream gave.
     *
     * @param events the number of events iterated (-1 for the raw client, which does not parse, and
     *     for the lower bounds, which do not see them one by one)
     * @param length the accumulated content's length: the text, or the tool input JSON (for the
     *     raw client, the body's bytes)
     * @param firstEventNanos {@link System#nanoTime()} when the first event (or, raw, the first
     *     complete event's bytes) was in hand
     * @param firstEventMillis {@link System#currentTimeMillis()} at that moment
     */
    record Result(long events, long length, long firstEventNanos, long firstEventMillis) {}

    /**
     * {@return a client of the given kind for the base URL}
     *
     * @param kind {@code sluice} (on its default transport, the blocking one), {@code sluice-jdk} (on
     *     the JDK's {@code HttpClient}), {@code sdk}, {@code raw} (the {@code HttpClient}'s raw drain),
     *     {@code blocking-raw} (a raw drain on a blocking socket, {@link BlockingRawBenchClient}: the
     *     floor of issue #86), or a lower bound:
     *     {@code floor2} ({@link FloorBenchClient}: the least work that hands each delta's string from
     *     a reading thread to the caller), {@code acc2} or {@code call2} (floor2 plus a correct
     *     client's work: {@link StepBenchClient}); or a
     *     framework's model, text streams only: {@code lc4j} (LangChain4j's own
     *     {@code AnthropicStreamingChatModel}) and {@code sluice-lc4j} (Sluice's
     *     {@code SluiceStreamingChatModel}), both in {@link Lc4jBenchClient}; {@code sai} (Spring
     *     AI's own {@code AnthropicChatModel}) and {@code sluice-sai} (Sluice's {@code SluiceChatModel}),
     *     both in {@link SpringAiBenchClient}; or on Amazon Bedrock's Converse API
     *     ({@link BenchServer#startWithConverse}): {@code bedrock-sluice} ({@link BedrockSluiceBenchClient}),
     *     {@code bedrock-sdk} (the AWS SDK's {@code BedrockRuntimeAsyncClient}, {@link BedrockSdkBenchClient})
     *     and {@code bedrock-raw} (the raw limit on that route); {@code bedrock-sluice-jdk} and
     *     {@code bedrock-blocking-raw} as {@code sluice-jdk} and {@code blocking-raw}
     * @param baseUrl the server's base URL, without {@code /v1/messages}
     * @param tool whether the stream is the tool-use one (what the final check measures)
     */
    static BenchClient create(String kind, String baseUrl, boolean tool) {
        return switch (kind) {
            case "sluice" -> new SluiceBenchClient(baseUrl, tool);
            case "sluice-jdk" -> new SluiceBenchClient(baseUrl, tool, Transport.HTTP_CLIENT);
            case "blocking-raw" -> new BlockingRawBenchClient(baseUrl, false);
            case "bedrock-sluice-jdk" -> new BedrockSluiceBenchClient(baseUrl, tool, Transport.HTTP_CLIENT);
            case "bedrock-blocking-raw" -> new BlockingRawBenchClient(baseUrl, true);
            case "sdk" -> new SdkBenchClient(baseUrl, tool);
            case "raw" -> new RawBenchClient(baseUrl);
            case "bedrock-sluice" -> new BedrockSluiceBenchClient(baseUrl, tool);
            case "bedrock-sdk" -> new BedrockSdkBenchClient(baseUrl, tool);
            case "bedrock-raw" -> RawBenchClient.converse(baseUrl);
            case "floor2" -> new FloorBenchClient(baseUrl, tool);
            case "acc2" -> new StepBenchClient(baseUrl, tool, StepBenchClient.Step.ACC2);
            case "call2" -> new StepBenchClient(baseUrl, tool, StepBenchClient.Step.CALL2);
            case "lc4j" -> Lc4jBenchClient.own(baseUrl);
            case "sluice-lc4j" -> Lc4jBenchClient.sluice(baseUrl);
            case "sai" -> SpringAiBenchClient.own(baseUrl);
            case "sluice-sai" -> SpringAiBenchClient.sluice(baseUrl);
            default ->
                throw new IllegalArgumentException(
                        "unknown client: " + kind
                                + " (sluice|sluice-jdk|sdk|raw|blocking-raw|floor2|acc2|call2|lc4j|sluice-lc4j|sai|sluice-sai|bedrock-sluice|bedrock-sluice-jdk|bedrock-sdk|bedrock-raw|bedrock-blocking-raw)");
        };
    }

    /** {@return whether {@code kind} is a raw drain: it reads the body's bytes, parses no event} */
    static boolean isRawDrain(String kind) {
        return switch (kind) {
            case "raw", "bedrock-raw", "blocking-raw", "bedrock-blocking-raw" -> true;
            default -> false;
        };
    }

    /** The request every client sends: a short prompt; the server answers the same whatever it says. */
    String PROMPT = "Tell me how rivers shape the land.";
    /** The model named in requests. */
    String MODEL = "claude-bench";
    /** The max_tokens named in requests. */
    int MAX_TOKENS = 1024;
}
