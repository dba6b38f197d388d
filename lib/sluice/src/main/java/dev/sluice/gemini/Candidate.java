package dev.sluice.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One candidate answer. In a streamed chunk, {@link #content()} holds the parts that arrived with
 * the chunk; in the accumulated response ({@link GenerateContentAccumulator}), all of them.
 *
 * @param index the candidate's index, from 0
 * @param content what the model said; its parts may be empty (a blocked candidate has none)
 * @param finishReason why the model stopped ({@code STOP}, {@code MAX_TOKENS}, {@code SAFETY}, ...),
 *     on the last chunk of the candidate; otherwise null
 * @param finishMessage Gemini's explanation of the finish reason, or null
 * @param safetyRatings the candidate's ratings; possibly empty
 * @param citationSources the {@code citationMetadata.citationSources} entries as JSON objects in
 *     Sluice's value model; possibly empty
 */
public record Candidate(
        int index,
        Content content,
        @Nullable String finishReason,
        @Nullable String finishMessage,
        List<SafetyRating> safetyRatings,
        List<Map<String, Object>> citationSources) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if content, safetyRatings or citationSources is null
     * @throws IllegalArgumentException if index is negative or finishReason is blank
     */
    public Candidate {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
        Objects.requireNonNull(content, "content");
        if (finishReason != null && finishReason.isBlank())
            throw new IllegalArgumentException("finishReason must not be blank (null when absent)");
        safetyRatings = List.copyOf(Objects.requireNonNull(safetyRatings, "safetyRatings"));
        citationSources = List.copyOf(Objects.requireNonNull(citationSources, "citationSources"));
    }

    /** {@return the text of the candidate's text parts, joined} */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Part p : content.parts()) if (p instanceof TextPart t) b.append(t.text());
        return b.toString();
    }

    /** {@return the text of the candidate's thought parts, joined} */
    public String thoughts() {
        StringBuilder b = new StringBuilder();
        for (Part p : content.parts()) if (p instanceof ThoughtPart t) b.append(t.text());
        return b.toString();
    }

    /** {@return the candidate's function calls, in order} */
    public List<FunctionCallPart> functionCalls() {
        List<FunctionCallPart> calls = new ArrayList<>();
        for (Part p : content.parts()) if (p instanceof FunctionCallPart c) calls.add(c);
        return List.copyOf(calls);
    }
}
