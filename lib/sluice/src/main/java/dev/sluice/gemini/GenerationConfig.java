package dev.sluice.gemini;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code generationConfig} of a request. Every setting is optional: null (or empty) leaves it
 * out of the request, and Gemini uses the model's default.
 *
 * @param maxOutputTokens the most tokens to generate, or null
 * @param temperature the sampling temperature, 0 to 2, or null
 * @param topP the nucleus-sampling probability mass, 0 to 1, or null
 * @param topK the number of top tokens sampled from, or null
 * @param stopSequences texts that end generation; possibly empty
 * @param thinkingBudget the thinking budget in tokens ({@code thinkingConfig.thinkingBudget}; 0 turns
 *     thinking off where the model allows, -1 lets the model decide), or null
 * @param includeThoughts whether thought summaries are streamed as {@link ThoughtPart}s
 *     ({@code thinkingConfig.includeThoughts}), or null
 * @param responseMimeType the media type of the answer ({@code responseMimeType}), such as
 *     {@code application/json}, or null
 * @param responseJsonSchema the JSON Schema the answer must match ({@code responseJsonSchema}, JSON
 *     Schema as written, which needs {@code responseMimeType} {@code application/json}), in Sluice's
 *     JSON value model, or null
 * @param thinkingLevel Gemini 3's {@code thinkingConfig.thinkingLevel} ({@code MINIMAL}, {@code LOW},
 *     {@code MEDIUM}, {@code HIGH}, as the official SDK's {@code com.google.genai.types.ThinkingLevel}
 *     writes them; which levels each model takes: docs/models.md), or null; the API refuses it with a
 *     thinking budget
 * @param mediaResolution how finely images, video and PDFs in the prompt are read
 *     ({@code mediaResolution}: {@code MEDIA_RESOLUTION_LOW}, {@code MEDIA_RESOLUTION_MEDIUM},
 *     {@code MEDIA_RESOLUTION_HIGH}, as the official SDK's {@code com.google.genai.types.MediaResolution}
 *     writes them; lower reads cost fewer tokens), or null for the model's default
 */
public record GenerationConfig(
        @Nullable Integer maxOutputTokens,
        @Nullable Double temperature,
        @Nullable Double topP,
        @Nullable Integer topK,
        List<String> stopSequences,
        @Nullable Integer thinkingBudget,
        @Nullable Boolean includeThoughts,
        @Nullable String responseMimeType,
        @Nullable Map<String, Object> responseJsonSchema,
        @Nullable String thinkingLevel,
        @Nullable String mediaResolution) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if stopSequences or one of them is null
     * @throws IllegalArgumentException if a setting is out of range (see the builder)
     */
    public GenerationConfig {
        if (maxOutputTokens != null && maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive: " + maxOutputTokens);
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
        }
        if (topP != null && !(topP >= 0 && topP <= 1))
            throw new IllegalArgumentException("topP must be between 0 and 1: " + topP);
        if (topK != null && topK <= 0) throw new IllegalArgumentException("topK must be positive: " + topK);
        stopSequences = List.copyOf(Objects.requireNonNull(stopSequences, "stopSequences"));
        for (String s : stopSequences) {
            if (s.isEmpty()) throw new IllegalArgumentException("a stop sequence must not be empty");
        }
        if (thinkingLevel != null && !Set.of("MINIMAL", "LOW", "MEDIUM", "HIGH").contains(thinkingLevel)) {
            throw new IllegalArgumentException(
                    "thinkingLevel must be MINIMAL, LOW, MEDIUM or HIGH, not " + thinkingLevel);
        }
        if (thinkingLevel != null && thinkingBudget != null) {
            throw new IllegalArgumentException(
                    "thinkingLevel and thinkingBudget cannot both be set (Gemini answers 400)");
        }
        if (thinkingBudget != null && thinkingBudget < -1) {
            throw new IllegalArgumentException(
                    "thinkingBudget must be -1 (dynamic), 0 (off) or positive: " + thinkingBudget);
        }
        if (mediaResolution != null && !MEDIA_RESOLUTIONS.contains(mediaResolution)) {
            throw new IllegalArgumentException("mediaResolution must be MEDIA_RESOLUTION_LOW, MEDIA_RESOLUTION_MEDIUM"
                    + " or MEDIA_RESOLUTION_HIGH, not " + mediaResolution);
        }
        if (responseMimeType != null && responseMimeType.isBlank()) {
            throw new IllegalArgumentException("responseMimeType must not be blank (null for none)");
        }
        if (responseJsonSchema != null) {
            responseJsonSchema = JsonValues.copyObject(responseJsonSchema, "responseJsonSchema");
            if (!"application/json".equals(responseMimeType)) {
                throw new IllegalArgumentException(
                        "responseJsonSchema needs responseMimeType application/json, not " + responseMimeType);
            }
        }
    }

    private static final Set<String> MEDIA_RESOLUTIONS =
            Set.of("MEDIA_RESOLUTION_LOW", "MEDIA_RESOLUTION_MEDIUM", "MEDIA_RESOLUTION_HIGH");

    /**
     * Settings without a media resolution.
     *
     * @param maxOutputTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param topP the nucleus-sampling mass, or null
     * @param topK the number of top tokens sampled from, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget, or null
     * @param includeThoughts whether thought summaries are streamed, or null
     * @param responseMimeType the media type of the answer, or null
     * @param responseJsonSchema the JSON Schema the answer must match, or null
     * @param thinkingLevel Gemini 3's thinking level, or null
     * @throws NullPointerException if stopSequences or one of them is null
     * @throws IllegalArgumentException if a setting is out of range
     */
    public GenerationConfig(
            @Nullable Integer maxOutputTokens,
            @Nullable Double temperature,
            @Nullable Double topP,
            @Nullable Integer topK,
            List<String> stopSequences,
            @Nullable Integer thinkingBudget,
            @Nullable Boolean includeThoughts,
            @Nullable String responseMimeType,
            @Nullable Map<String, Object> responseJsonSchema,
            @Nullable String thinkingLevel) {
        this(
                maxOutputTokens,
                temperature,
                topP,
                topK,
                stopSequences,
                thinkingBudget,
                includeThoughts,
                responseMimeType,
                responseJsonSchema,
                thinkingLevel,
                null);
    }

    /**
     * Settings without a response type or schema.
     *
     * @param maxOutputTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param topP the nucleus-sampling mass, or null
     * @param topK the number of top tokens sampled from, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget, or null
     * @param includeThoughts whether thought summaries are streamed, or null
     * @throws NullPointerException if stopSequences or one of them is null
     * @throws IllegalArgumentException if a setting is out of range
     */
    public GenerationConfig(
            Integer maxOutputTokens,
            Double temperature,
            Double topP,
            Integer topK,
            List<String> stopSequences,
            Integer thinkingBudget,
            Boolean includeThoughts) {
        this(
                maxOutputTokens,
                temperature,
                topP,
                topK,
                stopSequences,
                thinkingBudget,
                includeThoughts,
                null,
                null,
                null,
                null);
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether nothing is set, so that the request leaves generationConfig out} */
    public boolean isEmpty() {
        return maxOutputTokens == null
                && temperature == null
                && topP == null
                && topK == null
                && stopSequences.isEmpty()
                && thinkingBudget == null
                && includeThoughts == null
                && responseMimeType == null
                && responseJsonSchema == null
                && thinkingLevel == null
                && mediaResolution == null;
    }

    /** Builds a {@link GenerationConfig}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private @Nullable Integer maxOutputTokens;
        private @Nullable Double temperature;
        private @Nullable Double topP;
        private @Nullable Integer topK;
        private final List<String> stopSequences = new ArrayList<>();
        private @Nullable String thinkingLevel;
        private @Nullable String mediaResolution;
        private @Nullable Integer thinkingBudget;
        private @Nullable Boolean includeThoughts;
        private @Nullable String responseMimeType;
        private @Nullable Map<String, Object> responseJsonSchema;

        private Builder() {}

        /**
         * Sets the most tokens to generate.
         *
         * @param maxOutputTokens positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxOutputTokens(int maxOutputTokens) {
            if (maxOutputTokens <= 0)
                throw new IllegalArgumentException("maxOutputTokens must be positive: " + maxOutputTokens);
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        /**
         * Sets the sampling temperature.
         *
         * @param temperature from 0 to 2
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 2))
                throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets the nucleus-sampling probability mass.
         *
         * @param topP from 0 to 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder topP(double topP) {
            if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("topP must be between 0 and 1: " + topP);
            this.topP = topP;
            return this;
        }

        /**
         * Sets how many top tokens are sampled from.
         *
         * @param topK positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder topK(int topK) {
            if (topK <= 0) throw new IllegalArgumentException("topK must be positive: " + topK);
            this.topK = topK;
            return this;
        }

        /**
         * Adds a text that ends generation.
         *
         * @param stop not empty
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder addStopSequence(String stop) {
            Objects.requireNonNull(stop, "stop");
            if (stop.isEmpty()) throw new IllegalArgumentException("a stop sequence must not be empty");
            stopSequences.add(stop);
            return this;
        }

        /**
         * Sets the thinking budget.
         *
         * @param thinkingBudget tokens; 0 turns thinking off where the model allows, -1 lets the model decide
         * @return this builder
         * @throws IllegalArgumentException if below -1
         */
        public Builder thinkingBudget(int thinkingBudget) {
            if (thinkingBudget < -1)
                throw new IllegalArgumentException("thinkingBudget must be -1, 0 or positive: " + thinkingBudget);
            this.thinkingBudget = thinkingBudget;
            return this;
        }

        /**
         * Sets Gemini 3's thinking level ({@code thinkingConfig.thinkingLevel}), checked by {@link #build()}.
         *
         * @param level {@code MINIMAL}, {@code LOW}, {@code MEDIUM} or {@code HIGH}
         * @return this builder
         */
        public Builder thinkingLevel(String level) {
            this.thinkingLevel = Objects.requireNonNull(level, "thinkingLevel");
            return this;
        }

        /**
         * Asks for thought summaries, streamed as {@link ThoughtPart}s.
         *
         * @param includeThoughts whether to include them
         * @return this builder
         */
        public Builder includeThoughts(boolean includeThoughts) {
            this.includeThoughts = includeThoughts;
            return this;
        }

        /**
         * Asks for structured output: {@code "responseMimeType": "application/json"} and
         * {@code "responseJsonSchema": S} (JSON Schema as written; Gemini's older
         * {@code responseSchema} takes only its OpenAPI-style subset); the JSON arrives as the text.
         *
         * @param schema the JSON Schema of the answer
         * @return this builder
         * @throws IllegalArgumentException if it holds something that is not a JSON value
         */
        public Builder responseJsonSchema(Map<String, ?> schema) {
            this.responseJsonSchema =
                    JsonValues.copyObject(Objects.requireNonNull(schema, "responseJsonSchema"), "responseJsonSchema");
            this.responseMimeType = "application/json";
            return this;
        }

        /**
         * Sets the media type of the answer, such as {@code application/json} (JSON mode) or
         * {@code text/x.enum}.
         *
         * @param mimeType the media type
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder responseMimeType(String mimeType) {
            Objects.requireNonNull(mimeType, "responseMimeType");
            if (mimeType.isBlank()) throw new IllegalArgumentException("responseMimeType must not be blank");
            this.responseMimeType = mimeType;
            return this;
        }

        /**
         * Sets how finely the prompt's images, video and PDFs are read ({@code mediaResolution}).
         *
         * @param resolution {@code MEDIA_RESOLUTION_LOW}, {@code MEDIA_RESOLUTION_MEDIUM} or
         *     {@code MEDIA_RESOLUTION_HIGH}
         * @return this builder
         * @throws IllegalArgumentException if it is none of the three
         */
        public Builder mediaResolution(String resolution) {
            if (!MEDIA_RESOLUTIONS.contains(Objects.requireNonNull(resolution, "mediaResolution"))) {
                throw new IllegalArgumentException(
                        "mediaResolution must be MEDIA_RESOLUTION_LOW, MEDIA_RESOLUTION_MEDIUM"
                                + " or MEDIA_RESOLUTION_HIGH, not " + resolution);
            }
            this.mediaResolution = resolution;
            return this;
        }

        /**
         * {@return the configuration}
         *
         * @throws IllegalArgumentException if a response schema goes with a media type other than
         *     {@code application/json}
         */
        public GenerationConfig build() {
            return new GenerationConfig(
                    maxOutputTokens,
                    temperature,
                    topP,
                    topK,
                    stopSequences,
                    thinkingBudget,
                    includeThoughts,
                    responseMimeType,
                    responseJsonSchema,
                    thinkingLevel,
                    mediaResolution);
        }
    }
}
