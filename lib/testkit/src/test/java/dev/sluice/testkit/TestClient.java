package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.internal.http.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Talks to a {@link FakeLlmServer} (its Anthropic path by default) over real loopback with the JDK's HttpClient, parsing
 * streams with a small parser of its own (not the server's writer, not the library's parser) and noting when each event
 * arrived.
 */
final class TestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI messages;

    TestClient(FakeLlmServer server) {
        this.messages = server.baseUrl().resolve("/v1/messages");
    }

    /** An event as parsed: its type ({@code message} when it names none) and data. */
    record SseEvent(String type, String data) {}

    /**
     * Server-Sent Events, enough of them for these tests: {@code event} and {@code data} fields,
     * comments skipped, an event dispatched at a blank line; CRLF and LF line ends.
     */
    static final class SseParser {
        private final Consumer<SseEvent> sink;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private String type;
        private StringBuilder data;

        SseParser(Consumer<SseEvent> sink) {
            this.sink = sink;
        }

        void feed(byte[] bytes, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (bytes[i] == '\n') {
                    line(line.toString(StandardCharsets.UTF_8).replaceAll("\r$", ""));
                    line.reset();
                } else {
                    line.write(bytes[i]);
                }
            }
        }

        void finish() {
            line.reset();
        }

        private void line(String l) {
            if (l.isEmpty()) {
                if (data != null) sink.accept(new SseEvent(type == null ? "message" : type, data.toString()));
                type = null;
                data = null;
            } else if (l.startsWith("event:")) {
                type = l.substring(6).strip();
            } else if (l.startsWith("data:")) {
                String d = l.substring(5);
                if (d.startsWith(" ")) d = d.substring(1);
                if (data == null) data = new StringBuilder(d);
                else data.append('\n').append(d);
            }
        }
    }

    /** An event as received, with its data parsed and the {@link System#nanoTime()} of its arrival. */
    record Received(SseEvent event, JsonNode json, long atNanos) {
        String type() {
            return event.type();
        }
    }

    /**
     * A streamed response: the status and headers, the events, and how the body ended.
     *
     * @param failure the exception reading the body ended with, or null when it ended cleanly
     */
    record Streamed(int statusCode, HttpHeaders headers, long sentAtNanos, List<Received> events, IOException failure) {
        List<String> types() {
            return events.stream().map(Received::type).toList();
        }

        List<Received> ofType(String type) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }

        List<Received> deltas(String deltaType) {
            return events.stream()
                    .filter(e -> e.json().path("delta").path("type").asText().equals(deltaType))
                    .toList();
        }

        String joined(String deltaType, String field) {
            StringBuilder sb = new StringBuilder();
            deltas(deltaType)
                    .forEach(e -> sb.append(e.json().path("delta").path(field).asText()));
            return sb.toString();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    HttpRequest.Builder request(String body) {
        return HttpRequest.newBuilder(messages)
                .header("x-api-key", "fake")
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String body) {
        return send(request(body).build());
    }

    Streamed stream(String body) {
        return stream(request(body).build(), e -> false);
    }

    /**
     * Streams, stopping early (cancelling the body) after the first event {@code stopAfter}
     * accepts. Bytes are parsed as they arrive, on the client's thread, so everything received
     * before a failure is seen.
     */
    Streamed stream(HttpRequest request, Predicate<Received> stopAfter) {
        long sent = System.nanoTime();
        List<Received> events = new CopyOnWriteArrayList<>();
        AtomicReference<HttpResponse.ResponseInfo> info = new AtomicReference<>();
        Flow.Subscriber<List<ByteBuffer>> subscriber = new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private boolean stopped;
            private final SseParser parser = new SseParser(event -> {
                // OpenAI's end marker, data: [DONE], is not JSON: a missing node.
                JsonNode json = event.data().equals("[DONE]") ? JSON.missingNode() : parse(event.data());
                Received r = new Received(event, json, System.nanoTime());
                events.add(r);
                if (stopAfter.test(r)) stopped = true;
            });

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                for (ByteBuffer b : buffers) {
                    if (stopped) break;
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    parser.feed(bytes, 0, bytes.length);
                }
                if (stopped) subscription.cancel();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {
                if (!stopped) parser.finish();
            }
        };
        IOException failure = null;
        try {
            http.send(request, responseInfo -> {
                info.set(responseInfo);
                return HttpResponse.BodySubscribers.fromSubscriber(subscriber);
            });
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (info.get() == null) throw new UncheckedIOException("no response", failure);
        return new Streamed(info.get().statusCode(), info.get().headers(), sent, List.copyOf(events), failure);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a request body: one user message, plus the given top-level fields (JSON values)} */
    static String body(String model, int maxTokens, boolean stream, String prompt, Map<String, String> extra) {
        StringBuilder sb = new StringBuilder("{\"model\":")
                .append(quote(model))
                .append(",\"max_tokens\":")
                .append(maxTokens)
                .append(",\"stream\":")
                .append(stream)
                .append(",\"messages\":[{\"role\":\"user\",\"content\":")
                .append(quote(prompt))
                .append("}]");
        extra.forEach((k, v) -> sb.append(',').append(quote(k)).append(':').append(v));
        return sb.append('}').toString();
    }

    static String body(String prompt) {
        return body("claude-sonnet-4-5", 1024, true, prompt, Map.of());
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
