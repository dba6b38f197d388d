package dev.sluice.anthropic;

import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.Objects;

/**
 * The Messages API of one {@link AnthropicClient}: {@code client.messages()}. Thread-safe.
 */
public final class Messages {
    private final AnthropicClient client;

    Messages(AnthropicClient client) {
        this.client = client;
    }

    /**
     * Sends the request for a streaming response under the client's
     * {@linkplain AnthropicClient.Builder#streamOptions stream options}; see
     * {@link #stream(MessageRequest, StreamController)}.
     *
     * @param request the request
     * @return the running stream, to be closed
     */
    public MessageStream stream(MessageRequest request) {
        return client.stream(Objects.requireNonNull(request, "request"), null);
    }

    /**
     * Sends the request for a streaming response under these options instead of the client's; see
     * {@link #stream(MessageRequest, StreamController)}.
     *
     * @param request the request
     * @param options this stream's timeouts and limits (reusable)
     * @return the running stream, to be closed
     */
    public MessageStream stream(MessageRequest request, StreamOptions options) {
        return client.stream(Objects.requireNonNull(request, "request"), StreamController.of(options));
    }

    /**
     * Sends the request for a streaming response and returns as soon as the response headers have
     * arrived. Connection failures and retryable statuses (408, 409, 429, 5xx) are retried per the
     * client's {@link dev.sluice.client.RetryPolicy}, as is an {@code overloaded_error}, {@code api_error}
     * or {@code rate_limit_error} event that arrives before any content of substance: the
     * {@code message_start}, pings, an empty text block's start, a tool call's start and empty
     * deltas before it are held back, then discarded, never shown twice. Once text, a piece of a
     * tool call's input or any other content has been delivered, nothing is retried. What is held
     * back is bounded (1,000 events, 1 MiB of data): past it, the events are delivered and the
     * stream is no longer retried. No attempt and no wait before a retry (a server's
     * {@code retry-after} included) runs past the controller's first-event or total timeout: when
     * one passes, a {@link dev.sluice.StreamTimeoutException} names it and the time really waited.
     *
     * @param request the request
     * @param controller this stream's controller, made before the call so that it can be cancelled
     *     while the request connects ({@link StreamController#create()}: the client's options), not
     *     used by another stream; a cancel before the response arrives gives a stream that has
     *     already ended as cancelled
     * @return the running stream, to be closed
     * @throws dev.sluice.ApiException when the API answers with an HTTP error (after the retries)
     * @throws dev.sluice.TransportException when the connection fails (after the retries)
     * @throws dev.sluice.ProtocolException when the response is not an event stream (the message
     *     names the content type) or is a redirect
     * @throws dev.sluice.StreamTimeoutException when the first-event or total timeout passes
     *     before the response headers arrive (retries included)
     * @throws dev.sluice.StreamInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException if the client is closed, or the controller belongs to another
     *     stream (then nothing is sent)
     */
    public MessageStream stream(MessageRequest request, StreamController controller) {
        return client.stream(
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    /**
     * Counts the input tokens of a request without sending it for an answer (Anthropic's
     * {@code POST /v1/messages/count_tokens}), so that a caller can check the input against a
     * budget or the context window before streaming. The request's model, system prompt,
     * messages, tools, tool choice and thinking are counted; its {@code max_tokens}, sampling
     * settings, stop sequences and metadata are not sent (the endpoint refuses them). The betas go
     * as with the message: the client's, and those the request's fields need ({@link
     * MessageRequest#betas()}, such as {@code mid-conversation-output-config-2026-07-01} for a
     * system message's effort), since the endpoint reads a beta's fields only when the beta is named
     * (the SDKs' {@code beta.messages.countTokens} takes {@code betas} for the same reason). Retries and
     * the wait are as for {@link #create}.
     *
     * @param request the request that would be streamed
     * @return the input tokens it would use
     * @throws dev.sluice.ApiException when the API answers with an HTTP error (after the retries)
     * @throws dev.sluice.TransportException when the connection fails (after the retries)
     * @throws dev.sluice.ProtocolException when the response has no {@code input_tokens} count
     * @throws dev.sluice.StreamTimeoutException when no response arrives within the request timeout
     * @throws dev.sluice.StreamInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException if the client is closed
     */
    public long countTokens(MessageRequest request) {
        return client.countTokens(Objects.requireNonNull(request, "request"));
    }

    /**
     * Sends the request without streaming and returns the whole message, retrying like
     * {@link #stream(MessageRequest, StreamController)} does before the response. The wait for the
     * response is bounded by the client's {@linkplain AnthropicClient.Builder#requestTimeout request
     * timeout}.
     *
     * @param request the request
     * @return the message
     * @throws dev.sluice.ApiException when the API answers with an HTTP error (after the retries)
     * @throws dev.sluice.TransportException when the connection fails (after the retries)
     * @throws dev.sluice.ProtocolException when the response is not a message in JSON
     * @throws dev.sluice.StreamTimeoutException when no response arrives within the request timeout
     *     (reported as the {@code FIRST_EVENT} timeout)
     * @throws dev.sluice.LimitExceededException when the response body is larger than 64 MiB
     * @throws dev.sluice.StreamInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException if the client is closed, or is closed during the request
     */
    public Message create(MessageRequest request) {
        return client.create(Objects.requireNonNull(request, "request"));
    }

    @Override
    public String toString() {
        return "Messages[" + client + "]";
    }
}
