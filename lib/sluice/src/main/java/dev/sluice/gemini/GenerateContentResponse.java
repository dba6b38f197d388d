package dev.sluice.gemini;

import dev.sluice.internal.low.value.LazyList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Gemini {@code GenerateContentResponse}: one chunk of a stream, or the whole response built by
 * a {@link GenerateContentAccumulator}.
 *
 * @param candidates the candidates in this chunk (usually one, index 0); empty when the prompt was
 *     blocked, and in a chunk that carries only usage
 * @param promptFeedback what Gemini thought of the prompt, or null when the chunk has none
 * @param usageMetadata the token totals so far, or null when the chunk has none
 * @param modelVersion the model that answered; empty if not given
 * @param responseId the response's id; empty if not given
 */
public record GenerateContentResponse(
        List<Candidate> candidates,
        @Nullable PromptFeedback promptFeedback,
        @Nullable UsageMetadata usageMetadata,
        String modelVersion,
        String responseId) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if candidates, modelVersion or responseId is null
     */
    public GenerateContentResponse {
        candidates = LazyList.copyOf(Objects.requireNonNull(candidates, "candidates")); // a snapshot's, as it is
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(responseId, "responseId");
    }

    /** {@return the candidate of index 0, if this response has it} */
    public Optional<Candidate> firstCandidate() {
        for (Candidate c : candidates) if (c.index() == 0) return Optional.of(c);
        return Optional.empty();
    }

    /** {@return the text of candidate 0's text parts, joined; empty if there is no candidate 0} */
    public String text() {
        return firstCandidate().map(Candidate::text).orElse("");
    }

    /** {@return this response in Gemini's own JSON shape (absent parts left out)} */
    public String toJson() {
        return GeminiJson.response(this);
    }
}
