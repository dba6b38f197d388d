package dev.sluice.openai;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.OneEventPerSseFraming;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.internal.call.stream.StreamRules.InBandError;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.openai.ChatCompletionChunk.Delta;
import dev.sluice.sse.SseEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a Chat Completions stream ({@link #RULES}) and its Server-Sent Events ({@link #SSE}),
 * as the provider-neutral {@link dev.sluice.internal.call.stream.StreamingCall} needs them
 * ({@link #PROTOCOL}, the two together):
 *
 * <ul>
 *   <li>each SSE event decodes to one {@link ChatCompletionEvent};
 *   <li>content (counted): a chunk with text, refusal text, a tool-call piece, a finish reason or
 *       usage. The opening chunk (role and empty content only) and unknown events are not content;
 *   <li>substance: content that carries something — text, refusal text, a piece of a tool call's
 *       arguments, a finish reason or usage. The events before the first one of substance are held
 *       back, so an error right after the opening can still be retried, unseen: the opening chunk,
 *       unknown events, and the first piece of a tool call, which names the tool but carries none
 *       of its arguments yet (it is delivered with the first piece that does);
 *   <li>{@code data: [DONE]} ({@link DoneEvent}) ends the stream and releases the connection;
 *   <li>an {@code {"error": ...}} object ({@link ChatCompletionErrorEvent}) is an {@link ApiException}
 *       ({@code inStream} true), retryable before content when its type or code names a server
 *       error or a rate limit ({@link #RETRYABLE});
 *   <li>a body that ends before {@code [DONE]} is an {@link IncompleteStreamException}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class OpenAiStreamDecoding {
    /**
     * In-stream error types and codes that a retry may fix when nothing was delivered yet: server
     * errors and rate limits. OpenAI's own are {@code server_error} and, for rate limits, type
     * {@code requests} or {@code tokens} with code {@code rate_limit_exceeded}; compatible servers
     * often use Anthropic-like names.
     */
    static final Set<String> RETRYABLE = Set.of(
            "server_error",
            "internal_error",
            "api_error",
            "overloaded_error",
            "overloaded",
            "service_unavailable",
            "rate_limit_error",
            "rate_limit_exceeded",
            "requests",
            "tokens");

    /** The Server-Sent Events of a Chat Completions stream: one event each. */
    static final SseFraming<ChatCompletionEvent> SSE = new Sse();
    /** The rules above. */
    static final StreamRules<ChatCompletionEvent> RULES = new Rules();
    /** {@link #SSE} under {@link #RULES}. */
    static final StreamProtocol<ChatCompletionEvent> PROTOCOL = StreamProtocol.of(SSE, RULES);

    private static final OpenAiEventDecoder DECODER = new OpenAiEventDecoder();

    private OpenAiStreamDecoding() {}

    /**
     * {@return the decoded event}
     *
     * @throws dev.sluice.ProtocolException for malformed JSON
     */
    static ChatCompletionEvent decode(SseEvent event) {
        return DECODER.decode(event);
    }

    /** {@return whether the event carries content (see the class description)} */
    static boolean isContent(ChatCompletionEvent event) {
        if (!(event instanceof ChatCompletionChunk chunk)) return false;
        if (chunk.usage() != null) return true;
        for (ChunkChoice c : chunk.choices()) {
            if (c.finishReason() != null) return true;
            Delta d = c.delta();
            if (d.content() != null && !d.content().isEmpty()) return true;
            if (d.refusal() != null && !d.refusal().isEmpty()) return true;
            if (!d.toolCalls().isEmpty()) return true;
        }
        return false;
    }

    /** {@return whether the event is of substance (see the class description)} */
    static boolean isSubstance(ChatCompletionEvent event) {
        if (!(event instanceof ChatCompletionChunk chunk)) return false;
        if (chunk.usage() != null) return true;
        for (ChunkChoice c : chunk.choices()) {
            if (c.finishReason() != null) return true;
            Delta d = c.delta();
            if (d.content() != null && !d.content().isEmpty()) return true;
            if (d.refusal() != null && !d.refusal().isEmpty()) return true;
            for (ChatCompletionChunk.ToolCallChunk t : d.toolCalls()) {
                if (t.arguments() != null && !t.arguments().isEmpty()) return true;
            }
        }
        return false;
    }

    /** {@return the failure of a body that ended before {@code [DONE]}} */
    static IncompleteStreamException incomplete() {
        return new IncompleteStreamException("stream ended before data: [DONE]: the connection closed early; "
                + "the partial completion is attached");
    }

    /** {@return an in-stream error object as the call makes its exception of it} */
    static InBandError inBandError(ChatCompletionErrorEvent e) {
        String message = e.message();
        if (e.code() != null && !e.code().equals(e.errorType())) {
            message = message + (message.isEmpty() ? "" : " ") + "(code " + e.code() + ")";
        }
        return new InBandError(e.errorType(), message, isRetryable(e));
    }

    /** {@return whether an in-stream error is worth retrying before content} */
    static boolean isRetryable(ChatCompletionErrorEvent e) {
        return RETRYABLE.contains(e.errorType().toLowerCase(Locale.ROOT))
                || (e.code() != null && RETRYABLE.contains(e.code().toLowerCase(Locale.ROOT)));
    }

    /** {@link #SSE}. Stateless. */
    private static final class Sse extends OneEventPerSseFraming<ChatCompletionEvent> {
        @Override
        protected ChatCompletionEvent decodeOne(SseEvent event) {
            return OpenAiStreamDecoding.decode(event);
        }
    }

    /** {@link #RULES}: the rules above, one call each. Stateless. */
    private static final class Rules implements StreamRules<ChatCompletionEvent> {
        @Override
        public boolean isContent(ChatCompletionEvent event) {
            return OpenAiStreamDecoding.isContent(event);
        }

        @Override
        public boolean isSubstance(ChatCompletionEvent event) {
            return OpenAiStreamDecoding.isSubstance(event);
        }

        @Override
        public boolean isTerminal(ChatCompletionEvent event) {
            return event instanceof DoneEvent;
        }

        @Override
        public Optional<InBandError> inBandError(ChatCompletionEvent event) {
            return event instanceof ChatCompletionErrorEvent e
                    ? Optional.of(OpenAiStreamDecoding.inBandError(e))
                    : Optional.empty();
        }

        @Override
        public Optional<SluiceException> endOfInput() {
            return Optional.of(OpenAiStreamDecoding.incomplete());
        }

        @Override
        public @Nullable Usage usage(ChatCompletionEvent event) {
            if (!(event instanceof ChatCompletionChunk chunk) || chunk.usage() == null) return null;
            return OpenAiChunks.usage(chunk.usage()); // the cached prompt tokens apart, as the chunks say them
        }
    }
}
