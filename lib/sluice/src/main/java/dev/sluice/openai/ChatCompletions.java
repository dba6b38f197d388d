package dev.sluice.openai;

import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.Objects;

/** The Chat Completions API of one {@link OpenAiClient}: {@code client.chat()}. Thread-safe. */
public final class ChatCompletions {
    private final OpenAiClient client;

    ChatCompletions(OpenAiClient client) {
        this.client = client;
    }

    /**
     * Streams the completion under the client's
     * {@linkplain OpenAiClient.Builder#streamOptions stream options}; see
     * {@link #stream(ChatCompletionRequest, StreamController)}.
     *
     * @param request the request
     * @return the running stream, to be closed
     */
    public ChatCompletionStream stream(ChatCompletionRequest request) {
        return client.stream(Objects.requireNonNull(request, "request"), null);
    }

    /**
     * Streams the completion under these options instead of the client's; see
     * {@link #stream(ChatCompletionRequest, StreamController)}.
     *
     * @param request the request
     * @param options this stream's timeouts and limits (reusable)
     * @return the running stream, to be closed
     */
    public ChatCompletionStream stream(ChatCompletionRequest request, StreamOptions options) {
        return client.stream(Objects.requireNonNull(request, "request"), StreamController.of(options));
    }

    /**
     * Sends the request with {@code "stream": true} and {@code "stream_options":
     * {"include_usage": true}} and returns as soon as the response headers have arrived.
     * Connection failures and retryable statuses (408, 409, 429, 5xx) are retried per the client's
     * {@link dev.sluice.client.RetryPolicy}, as is an in-stream error object whose type or code names a
     * server error or a rate limit ({@code server_error}, {@code rate_limit_exceeded}, ...) that
     * arrives before any content of substance: the opening chunk (role, empty content) and a tool
     * call's first piece (its name, no arguments yet) before it are held back, then discarded,
     * never shown twice. Once text, a piece of a tool call's arguments, a finish reason or usage has
     * been delivered, nothing is retried. What is held back is bounded (1,000 events, 1 MiB of
     * data): past it, the events are delivered and the stream is no longer retried. No attempt and
     * no wait before a retry (a server's {@code retry-after} included) runs past the controller's
     * first-event or total timeout: when one passes, a {@link dev.sluice.StreamTimeoutException}
     * names it and the time really waited.
     *
     * @param request the request
     * @param controller this stream's controller, made before the call so that it can be cancelled
     *     while the request connects ({@link StreamController#create()}: the client's options), not
     *     used by another stream
     * @return the running stream, to be closed
     * @throws dev.sluice.ApiException when the API answers with an HTTP error (after the retries)
     * @throws dev.sluice.TransportException when the connection fails (after the retries)
     * @throws dev.sluice.ProtocolException when the response is not an event stream, or is a redirect
     * @throws dev.sluice.StreamTimeoutException when the first-event or total timeout passes before the
     *     response headers arrive (retries included)
     * @throws dev.sluice.StreamInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException if the client is closed, or the controller belongs to another
     *     stream (then nothing is sent)
     */
    public ChatCompletionStream stream(ChatCompletionRequest request, StreamController controller) {
        return client.stream(
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    @Override
    public String toString() {
        return "ChatCompletions[" + client + "]";
    }
}
