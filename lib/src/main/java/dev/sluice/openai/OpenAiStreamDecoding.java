package dev.sluice.openai;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.sse.SseEvent;
import java.util.Locale;
import java.util.Set;

/**
 * The per-stream rules of a Chat Completions stream, shared by every way of reading one: decode
 * each SSE event, end at {@code data: [DONE]}, turn an {@code {"error": ...}} object into an
 * {@link ApiException} ({@code inStream} true), and report a body that ends before {@code [DONE]}
 * as an {@link IncompleteStreamException}.
 *
 * <p>Threading: used by the one thread that reads the stream.
 */
final class OpenAiStreamDecoding {
    /**
     * In-stream error types and codes that a retry may fix when nothing was delivered yet: server
     * errors and rate limits (OpenAI's 429 bodies say {@code type: requests/tokens},
     * {@code code: rate_limit_exceeded}; compatible servers often use Anthropic-like names).
     */
    private static final Set<String> RETRYABLE = Set.of("server_error", "internal_error", "api_error",
            "overloaded_error", "overloaded", "service_unavailable", "rate_limit_error", "rate_limit_exceeded",
            "requests", "tokens");

    private final OpenAiEventDecoder decoder = new OpenAiEventDecoder();
    private final int httpStatus;
    private boolean done;
    private ApiException retryable; // the last in-stream error thrown, when a retry may fix it

    /** @param httpStatus the status the stream's response had, for the ApiException of an error object */
    OpenAiStreamDecoding(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * {@return the decoded event, or null for {@code [DONE]} (after which {@link #done()} is true)}
     *
     * @throws ApiException for an error object ({@link ApiException#inStream()} true)
     * @throws dev.sluice.ProtocolException for malformed JSON
     */
    ChatCompletionEvent decode(SseEvent event) {
        return switch (decoder.decode(event)) {
            case OpenAiEventDecoder.Item item -> item.event();
            case OpenAiEventDecoder.Done d -> {
                done = true;
                yield null;
            }
            case OpenAiEventDecoder.StreamError e -> {
                ApiException failure = apiException(e, httpStatus);
                if (isRetryable(e)) retryable = failure;
                throw failure;
            }
        };
    }

    /** {@return whether {@code [DONE]} has been decoded} */
    boolean done() {
        return done;
    }

    /** {@return the failure of a body that ended before {@code [DONE]}} */
    static IncompleteStreamException incomplete() {
        return new IncompleteStreamException("stream ended before data: [DONE]: the connection closed early; "
                + "the partial completion is attached");
    }

    static ApiException apiException(OpenAiEventDecoder.StreamError e, int httpStatus) {
        String message = e.message();
        if (e.code() != null && !e.code().equals(e.type())) message = message + (message.isEmpty() ? "" : " ") + "(code " + e.code() + ")";
        return new ApiException(httpStatus, e.type(), message, true, null);
    }

    /**
     * {@return whether this in-stream error, thrown by this decoding, is worth retrying when it
     * arrived before any content: its type or code names a server error or a rate limit}
     */
    boolean isRetryable(ApiException e) {
        return e != null && e == retryable;
    }

    static boolean isRetryable(OpenAiEventDecoder.StreamError e) {
        return RETRYABLE.contains(e.type().toLowerCase(Locale.ROOT))
                || e.code() != null && RETRYABLE.contains(e.code().toLowerCase(Locale.ROOT));
    }
}
