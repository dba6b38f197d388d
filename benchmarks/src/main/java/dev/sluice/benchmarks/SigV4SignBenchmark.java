package dev.sluice.benchmarks;

import dev.sluice.internal.low.aws.AwsCredentials;
import dev.sluice.internal.low.aws.SigV4Headers;
import dev.sluice.internal.low.aws.SigV4Signer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Signing one Bedrock {@code converse-stream} request with SigV4 ({@code SigV4Signer}): a model id
 * with a colon in the path, {@code content-type} and {@code accept}, temporary credentials (a session
 * token), and a Converse JSON body of {@link #bodyBytes} bytes. The signing key is derived once per
 * day and kept, as in a running client; {@code signNewSigner} derives it on every call (a client's
 * first request of the day).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class SigV4SignBenchmark {
    @Param({"1024", "65536"})
    public int bodyBytes;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private final URI uri = URI.create(
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream");
    private final AwsCredentials credentials = new AwsCredentials(
            "ASIAEXAMPLEEXAMPLE01",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD".repeat(8));
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private SigV4Signer signer;

    @SuppressWarnings("NullAway.Init") // set by the @Setup method
    private byte[] body;

    @Setup
    public void setUp() {
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("application/vnd.amazon.eventstream"));
        StringBuilder text = new StringBuilder("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"");
        while (text.length() < bodyBytes - 8) text.append("Summarise the quarterly report in three bullet points. ");
        text.setLength(bodyBytes - 8);
        body = text.append("\"}]}]}").toString().getBytes(StandardCharsets.UTF_8);
        signer = new SigV4Signer("us-east-1", "bedrock", clock);
    }

    @Benchmark
    public SigV4Headers sign() {
        return signer.sign("POST", uri, headers, body, credentials);
    }

    @Benchmark
    public SigV4Headers signNewSigner() {
        return new SigV4Signer("us-east-1", "bedrock", clock).sign("POST", uri, headers, body, credentials);
    }
}
