package dev.sluice.springai;

import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.ToolChoice;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import tools.jackson.databind.json.JsonMapper;

/**
 * The options of a {@link SluiceChatModel}: Spring AI's portable ones, its tool callbacks and tool
 * context, its portable structured output ({@link #getOutputSchema()}), and Sluice's tool choice and
 * thinking budget. Immutable; {@link #mutate()} gives a builder holding the same values.
 *
 * <pre>{@code
 * SluiceChatOptions options = SluiceChatOptions.builder()
 *         .model("gemini-3.8-flash").temperature(0.2).maxTokens(512)
 *         .toolChoice(ToolChoice.required())
 *         .build();
 * }</pre>
 *
 * <p>Each maps to a field of Sluice's {@link dev.sluice.chat.ChatRequest}, which every provider
 * client sends in its own wire format: {@code model}, {@code maxTokens}, {@code temperature},
 * {@code stopSequences}, the tool callbacks' definitions as tools, {@code toolChoice},
 * {@code thinkingBudget}, and the output schema (or a {@link ResponseFormat}) as the response
 * format. {@code topP}, {@code topK}, {@code frequencyPenalty} and {@code presencePenalty} are held
 * (Spring AI's builders carry them) but Sluice's request has no such fields: a request with one of
 * them set is refused with an {@link IllegalArgumentException} naming it, rather than sent without it.
 *
 * <p>Merging follows Spring AI's own option types: {@link Builder#combineWith} takes every value the
 * other builder sets, appending its stop sequences and tool callbacks to these.
 */
public final class SluiceChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {
    /** The name a response format made from {@link Builder#outputSchema(String)} is sent under. */
    public static final String OUTPUT_SCHEMA_NAME = "response";

    private final @Nullable String model;
    private final @Nullable Double frequencyPenalty;
    private final @Nullable Integer maxTokens;
    private final @Nullable Double presencePenalty;
    private final @Nullable List<String> stopSequences;
    private final @Nullable Double temperature;
    private final @Nullable Integer topK;
    private final @Nullable Double topP;
    private final @Nullable List<ToolCallback> toolCallbacks;
    private final @Nullable Map<String, Object> toolContext;
    private final @Nullable ResponseFormat responseFormat;
    private final @Nullable ToolChoice toolChoice;
    private final @Nullable Integer thinkingBudget;

    private SluiceChatOptions(Builder b) {
        this.model = b.model();
        this.frequencyPenalty = b.frequencyPenalty();
        this.maxTokens = b.maxTokens();
        this.presencePenalty = b.presencePenalty();
        this.stopSequences = b.stopSequences() == null ? null : List.copyOf(b.stopSequences());
        this.temperature = b.temperature();
        this.topK = b.topK();
        this.topP = b.topP();
        this.toolCallbacks = b.toolCallbacks() == null ? null : List.copyOf(b.toolCallbacks());
        this.toolContext = b.toolContext() == null ? null : Map.copyOf(b.toolContext());
        this.responseFormat = b.responseFormat;
        this.toolChoice = b.toolChoice;
        this.thinkingBudget = b.thinkingBudget;
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public @Nullable String getModel() {
        return model;
    }

    @Override
    public @Nullable Double getFrequencyPenalty() {
        return frequencyPenalty;
    }

    @Override
    public @Nullable Integer getMaxTokens() {
        return maxTokens;
    }

    @Override
    public @Nullable Double getPresencePenalty() {
        return presencePenalty;
    }

    @Override
    public @Nullable List<String> getStopSequences() {
        return stopSequences;
    }

    @Override
    public @Nullable Double getTemperature() {
        return temperature;
    }

    @Override
    public @Nullable Integer getTopK() {
        return topK;
    }

    @Override
    public @Nullable Double getTopP() {
        return topP;
    }

    @Override
    public @Nullable List<ToolCallback> getToolCallbacks() {
        return toolCallbacks;
    }

    @Override
    public @Nullable Map<String, Object> getToolContext() {
        return toolContext;
    }

    /** {@return the JSON Schema the answer must match, as JSON text; null for free text} */
    @Override
    public @Nullable String getOutputSchema() {
        return responseFormat == null ? null : JsonMapper.shared().writeValueAsString(responseFormat.schema());
    }

    /** {@return the response format (structured output) sent, or null for free text} */
    public @Nullable ResponseFormat getResponseFormat() {
        return responseFormat;
    }

    /** {@return whether and which tool the model must call, or null for the provider's default} */
    public @Nullable ToolChoice getToolChoice() {
        return toolChoice;
    }

    /** {@return the most tokens the model may spend thinking, or null for the provider's default} */
    public @Nullable Integer getThinkingBudget() {
        return thinkingBudget;
    }

    @Override
    public Builder mutate() {
        Builder b = builder()
                .model(model)
                .frequencyPenalty(frequencyPenalty)
                .maxTokens(maxTokens)
                .presencePenalty(presencePenalty)
                .stopSequences(stopSequences)
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .toolCallbacks(toolCallbacks)
                .toolContext(toolContext);
        b.responseFormat = responseFormat;
        b.toolChoice = toolChoice;
        b.thinkingBudget = thinkingBudget;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SluiceChatOptions that
                && Objects.equals(model, that.model)
                && Objects.equals(frequencyPenalty, that.frequencyPenalty)
                && Objects.equals(maxTokens, that.maxTokens)
                && Objects.equals(presencePenalty, that.presencePenalty)
                && Objects.equals(stopSequences, that.stopSequences)
                && Objects.equals(temperature, that.temperature)
                && Objects.equals(topK, that.topK)
                && Objects.equals(topP, that.topP)
                && Objects.equals(toolCallbacks, that.toolCallbacks)
                && Objects.equals(toolContext, that.toolContext)
                && Objects.equals(responseFormat, that.responseFormat)
                && Objects.equals(toolChoice, that.toolChoice)
                && Objects.equals(thinkingBudget, that.thinkingBudget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                model,
                frequencyPenalty,
                maxTokens,
                presencePenalty,
                stopSequences,
                temperature,
                topK,
                topP,
                toolCallbacks,
                toolContext,
                responseFormat,
                toolChoice,
                thinkingBudget);
    }

    /** {@return the options set, without the tool callbacks' and tool context's contents} */
    @Override
    public String toString() {
        return "SluiceChatOptions[model=" + model + ", maxTokens=" + maxTokens + ", temperature=" + temperature
                + ", topP=" + topP + ", topK=" + topK + ", stopSequences=" + stopSequences
                + ", tools="
                + (toolCallbacks == null
                        ? null
                        : toolCallbacks.stream()
                                .map(t -> t.getToolDefinition().name())
                                .toList())
                + ", toolChoice=" + toolChoice + ", thinkingBudget=" + thinkingBudget
                + ", responseFormat=" + (responseFormat == null ? null : responseFormat.name()) + "]";
    }

    /**
     * Builds {@link SluiceChatOptions}: Spring AI's portable setters (a null clears a value) and
     * Sluice's own. Not thread-safe.
     */
    public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
            implements StructuredOutputChatOptions.Builder<Builder> {
        private @Nullable ResponseFormat responseFormat;
        private @Nullable ToolChoice toolChoice;
        private @Nullable Integer thinkingBudget;

        private Builder() {}

        private @Nullable String model() {
            return model;
        }

        private @Nullable Double frequencyPenalty() {
            return frequencyPenalty;
        }

        private @Nullable Integer maxTokens() {
            return maxTokens;
        }

        private @Nullable Double presencePenalty() {
            return presencePenalty;
        }

        private @Nullable List<String> stopSequences() {
            return stopSequences;
        }

        private @Nullable Double temperature() {
            return temperature;
        }

        private @Nullable Integer topK() {
            return topK;
        }

        private @Nullable Double topP() {
            return topP;
        }

        private @Nullable List<ToolCallback> toolCallbacks() {
            return toolCallbacks;
        }

        private @Nullable Map<String, Object> toolContext() {
            return toolContext;
        }

        /**
         * Asks for the answer as JSON matching this schema: Spring AI's portable structured output
         * (what {@code ChatClient}'s native structured output sets). Sent as a strict
         * {@link ResponseFormat} named {@value SluiceChatOptions#OUTPUT_SCHEMA_NAME}.
         *
         * @param outputSchema a JSON Schema of an object, as JSON text; null for free text
         * @return this builder
         * @throws IllegalArgumentException if the text is not JSON, or not an object schema
         */
        @Override
        public Builder outputSchema(@Nullable String outputSchema) {
            if (outputSchema == null) {
                this.responseFormat = null;
                return this;
            }
            PartialJson.Result parsed = PartialJson.parse(outputSchema);
            if (!parsed.isValid() || !(parsed.value() instanceof Map<?, ?> schema)) {
                throw new IllegalArgumentException("the output schema must be a JSON object (a JSON Schema): "
                        + (parsed.isValid() ? "it is not an object" : parsed.error()));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) schema;
            this.responseFormat = new ResponseFormat(OUTPUT_SCHEMA_NAME, map, true);
            return this;
        }

        /**
         * Sets the response format (structured output) with its own name and strictness.
         *
         * @param format the format, or null for free text
         * @return this builder
         */
        public Builder responseFormat(@Nullable ResponseFormat format) {
            this.responseFormat = format;
            return this;
        }

        /**
         * Sets whether and which tool the model must call.
         *
         * @param choice the choice, or null for the provider's default
         * @return this builder
         */
        public Builder toolChoice(@Nullable ToolChoice choice) {
            this.toolChoice = choice;
            return this;
        }

        /**
         * Sets the thinking budget (see {@link dev.sluice.chat.ChatRequest#thinkingBudget()}).
         *
         * @param tokens the most tokens the model may spend thinking, positive; or null
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder thinkingBudget(@Nullable Integer tokens) {
            if (tokens != null && tokens <= 0)
                throw new IllegalArgumentException("thinkingBudget must be positive: " + tokens);
            this.thinkingBudget = tokens;
            return this;
        }

        /**
         * Takes every value the other builder sets, as Spring AI's option builders do: its stop
         * sequences and tool callbacks are appended to these, its tool context merged into this one;
         * from another {@link Builder} also its response format, tool choice and thinking budget.
         */
        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder that) {
                if (that.responseFormat != null) this.responseFormat = that.responseFormat;
                if (that.toolChoice != null) this.toolChoice = that.toolChoice;
                if (that.thinkingBudget != null) this.thinkingBudget = that.thinkingBudget;
            } else if (other instanceof StructuredOutputChatOptions.Builder<?>) {
                String schema = other.build() instanceof StructuredOutputChatOptions s ? s.getOutputSchema() : null;
                if (schema != null) outputSchema(schema);
            }
            return this;
        }

        /** {@return the options} */
        @Override
        public SluiceChatOptions build() {
            return new SluiceChatOptions(this);
        }
    }
}
