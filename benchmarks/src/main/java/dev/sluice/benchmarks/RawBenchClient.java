package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The raw limit: {@link HttpClient} (HTTP/1.1) posting the same JSON request, reading the body as
 * an {@code InputStream} into a 16 KiB buffer and discarding it. Only the first complete event is
 * looked for (a blank line), to time it; nothing is parsed.
 */
final class RawBenchClient implements BenchClient {
    private final HttpClient http;
    private final HttpRequest request;
    private final boolean converse;

    RawBenchClient(String baseUrl) {
        http = httpClient();
        request = request(baseUrl);
        converse = false;
    }

    /**
     * The raw limit against the Converse route of {@link BenchServer#startWithConverse}: the same
     * reading of {@code POST /model/{modelId}/converse-stream} (a Bedrock API key as the bearer
     * token, nothing signed); its first event is its first read (it does not look into frames).
     */
    static RawBenchClient converse(String baseUrl) {
        return new RawBenchClient(baseUrl, true);
    }

    private RawBenchClient(String baseUrl, boolean converse) {
        http = httpClient();
        this.converse = converse;
        String model = URLEncoder.encode(ConverseBenchStream.MODEL, StandardCharsets.UTF_8);
        request = HttpRequest.newBuilder(URI.create(baseUrl + "/model/" + model + ConverseBenchStream.PATH_SUFFIX))
                .header("content-type", "application/json")
                .header("authorization", "Bearer bench")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\""
                        + PROMPT + "\"}]}],\"inferenceConfig\":{\"maxTokens\":" + MAX_TOKENS + "}}"))
                .build();
    }

    /** {@return the {@code HttpClient} the raw client and the lower bounds use: HTTP/1.1, the JDK's defaults otherwise} */
    static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** {@return the benchmark's request, built once and sent for every stream} */
    static HttpRequest request(String baseUrl) {
        String json = "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/messages"))
                .header("content-type", "application/json")
                .header("x-api-key", "bench")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** {@return the response to the benchmark's request, its body not yet read} */
    private HttpResponse<InputStream> send() throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads a response body: the diagnostic clients' part of {@link #stream(Body)}. */
    @FunctionalInterface
    interface Body {
        /**
         * Reads the whole body.
         *
         * @param body the body of a 200 response
         * @param first where to put {@link System#nanoTime()} and {@link System#currentTimeMillis()}
         *     when the first event (or the first read) was in hand
         * @return the content length the reader found
         * @throws IOException if reading fails
         */
        long read(InputStream body, long[] first) throws IOException;
    }

    /**
     * Sends the benchmark's request and has {@code reader} read the body of its 200 response: the
     * lower bounds' stream ({@code floor2}, {@code acc2}). The raw client's own
     * {@link #stream(Windows)} does not go through it, so that its path stays free of a lambda
     * to link on a fresh JVM. {@return the reader's length and first-event times, no event count}
     */
    Result stream(Body reader) {
        return read(request, reader, false);
    }

    /**
     * Sends {@code request} (built by the caller for this stream, as a client builds one for each
     * call) and has {@code reader} read the body once the response's head passes the checks a
     * correct streaming client makes: status 200, media type {@code text/event-stream}, and its
     * {@code request-id} read. The {@code call2} lower bound's stream. {@return as {@link #stream(Body)}}
     */
    Result stream(HttpRequest request, Body reader) {
        return read(request, reader, true);
    }

    private Result read(HttpRequest request, Body reader, boolean checkHead) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long[] first = new long[2];
            long length;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
                if (checkHead) {
                    String type = response.headers().firstValue("content-type").orElse("");
                    if (!type.regionMatches(true, 0, "text/event-stream", 0, 17))
                        throw new IllegalStateException("content-type " + type);
                    if (response.headers().firstValue("request-id").isEmpty())
                        throw new IllegalStateException("no request-id");
                }
                length = reader.read(body, first);
            }
            return new Result(-1, length, first[0], first[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        try {
            HttpResponse<InputStream> response = send();
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
                return drain(body, converse, windows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a body to its end into a 16 KiB buffer, discarding it: the raw drains' reading (this
     * one's and {@link BlockingRawBenchClient}'s). The first event is the first blank line (for a
     * Converse stream, the first read). {@return the bytes read and the first event's times}
     */
    static Result drain(InputStream body, boolean converse, @Nullable Windows windows) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        long firstNanos = 0;
        long firstMillis = 0;
        int n;
        byte previous = 0;
        while ((n = body.read(buffer)) >= 0) {
            if (firstNanos == 0 && converse) {
                firstNanos = System.nanoTime();
                firstMillis = System.currentTimeMillis();
            }
            if (firstNanos == 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && previous == '\n') {
                        firstNanos = System.nanoTime();
                        firstMillis = System.currentTimeMillis();
                        break;
                    }
                    previous = buffer[i];
                }
            }
            total += n;
            if (windows != null) windows.markBytes(total);
        }
        return new Result(-1, total, firstNanos, firstMillis);
    }

    @Override
    public void close() {
        http.close();
    }
}
