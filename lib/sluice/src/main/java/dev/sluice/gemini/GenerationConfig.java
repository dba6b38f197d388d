package dev.sluice.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 */
public record GenerationConfig(Integer maxOutputTokens, Double temperature, Double topP, Integer topK,
        List<String> stopSequences, Integer thinkingBudget, Boolean includeThoughts) {

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
        if (topP != null && !(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("topP must be between 0 and 1: " + topP);
        if (topK != null && topK <= 0) throw new IllegalArgumentException("topK must be positive: " + topK);
        stopSequences = List.copyOf(Objects.requireNonNull(stopSequences, "stopSequences"));
        for (String s : stopSequences) {
            if (s.isEmpty()) throw new IllegalArgumentException("a stop sequence must not be empty");
        }
        if (thinkingBudget != null && thinkingBudget < -1) {
            throw new IllegalArgumentException("thinkingBudget must be -1 (dynamic), 0 (off) or positive: " + thinkingBudget);
        }
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether nothing is set, so that the request leaves generationConfig out} */
    public boolean isEmpty() {
        return maxOutputTokens == null && temperature == null && topP == null && topK == null
                && stopSequences.isEmpty() && thinkingBudget == null && includeThoughts == null;
    }

    /** Builds a {@link GenerationConfig}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private Integer maxOutputTokens;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private final List<String> stopSequences = new ArrayList<>();
        private Integer thinkingBudget;
        private Boolean includeThoughts;

        private Builder() {}

        /**
         * Sets the most tokens to generate.
         *
         * @param maxOutputTokens positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxOutputTokens(int maxOutputTokens) {
            if (maxOutputTokens <= 0) throw new IllegalArgumentException("maxOutputTokens must be positive: " + maxOutputTokens);
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
            if (!(temperature >= 0 && temperature <= 2)) throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
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
            if (thinkingBudget < -1) throw new IllegalArgumentException("thinkingBudget must be -1, 0 or positive: " + thinkingBudget);
            this.thinkingBudget = thinkingBudget;
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

        /** {@return the configuration} */
        public GenerationConfig build() {
            return new GenerationConfig(maxOutputTokens, temperature, topP, topK, stopSequences, thinkingBudget, includeThoughts);
        }
    }
}
