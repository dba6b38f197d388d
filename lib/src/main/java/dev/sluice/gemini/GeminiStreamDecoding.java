package dev.sluice.gemini;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.sse.SseEvent;
import java.util.HashSet;
import java.util.Set;

/**
 * The per-stream rules of a Gemini stream, shared by the live stream and {@link GeminiEvents#replay}
 * so that they cannot drift apart. Gemini's stream has no terminal event: it ends when the body
 * ends. So:
 * <ul>
 *   <li>each event is decoded ({@link GeminiDecoder}); an error object is an {@link ApiException};
 *   <li>a response whose {@code promptFeedback.blockReason} is set is delivered, then
 *       {@link #blocked} gives the {@link ApiException} of type {@value GeminiClient#PROMPT_BLOCKED};
 *   <li>the end of the body is the normal end once every candidate seen has a finish reason, and an
 *       {@link IncompleteStreamException} otherwise ({@link #endOfInput()}).
 * </ul>
 *
 * <p>Threading: used by the one thread that reads the stream.
 */
final class GeminiStreamDecoding {
    private static final GeminiDecoder DECODER = new GeminiDecoder();
    private final int httpStatus;
    private final Set<Integer> seen = new HashSet<>();
    private final Set<Integer> finished = new HashSet<>();

    /** @param httpStatus the status the stream's response had, for in-stream errors */
    GeminiStreamDecoding(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * {@return the decoded response}
     *
     * @throws ApiException for an error object in the stream
     * @throws dev.sluice.ProtocolException for malformed JSON
     */
    GenerateContentResponse decode(SseEvent event) {
        GenerateContentResponse response = DECODER.decode(event, httpStatus);
        for (Candidate c : response.candidates()) {
            seen.add(c.index());
            if (c.finishReason() != null) finished.add(c.index());
        }
        return response;
    }

    /** {@return the failure of a response whose prompt was blocked, or null when it was not} */
    ApiException blocked(GenerateContentResponse response) {
        PromptFeedback feedback = response.promptFeedback();
        if (feedback == null || !feedback.blocked()) return null;
        return new ApiException(httpStatus, GeminiClient.PROMPT_BLOCKED,
                "the prompt was blocked (blockReason " + feedback.blockReason() + "); no candidate was generated",
                true, null);
    }

    /** {@return whether every candidate seen so far, and at least one, has a finish reason} */
    boolean finished() {
        return !seen.isEmpty() && finished.containsAll(seen);
    }

    /**
     * The body ended: normal when {@link #finished()}.
     *
     * @throws IncompleteStreamException otherwise
     */
    void endOfInput() {
        if (!finished()) {
            throw new IncompleteStreamException("stream ended before a finishReason: the connection closed early; "
                    + "the partial response is attached");
        }
    }
}
