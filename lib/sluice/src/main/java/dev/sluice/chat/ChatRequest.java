package dev.sluice.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider-neutral request for a streamed chat response. Build one with {@link #builder()}:
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .model("claude-sonnet-5-5")
 *         .system("Answer briefly.")
 *         .addMessage(ChatMessage.user("Why is the sky blue?"))
 *         .maxTokens(512)
 *         .build();
 * }</pre>
 *
 * @param model the model's name as the provider knows it
 * @param system the system prompt; empty if none
 * @param messages the conversation, oldest first; not empty
 * @param tools the tools the model may call; possibly empty
 * @param maxTokens the most tokens to generate, or null for the provider's default
 * @param temperature the sampling temperature, or null for the provider's default
 * @param stopSequences texts that end generation when produced; possibly empty
 * @param thinkingBudget the most tokens the model may spend thinking before it answers, which
 *     turns thinking on where the provider needs it turned on (Anthropic: {@code thinking} with
 *     this {@code budget_tokens}, at least 1024; Gemini: {@code thinkingConfig} with this budget and
 *     thoughts included; OpenAI Chat Completions has no such setting and ignores it); null for the
 *     provider's default
 * @param responseFormat the schema the answer must match (structured output; see
 *     {@link ResponseFormat} for how each client sends it), or null for free text
 * @param toolChoice whether and which tool the model must call (see {@link ToolChoice}), or null
 *     for the provider's default
 * @param effort how hard the model should think, on the portable scale of {@link Effort}, or null
 *     for the model's default: each client sends it as the model asked documents it (Claude 4.6 and
 *     later: adaptive thinking with {@code output_config.effort}; older Claude and Gemini 2.5: a
 *     thinking budget; Gemini 3: {@code thinkingLevel}; OpenAI: {@code reasoning.effort} /
 *     {@code reasoning_effort}), the nearest value the model takes, and refuses one it cannot take at
 *     all before any request ({@code dev.sluice.models.ModelCatalog}); with a thinking budget as well,
 *     the effort wins where the model takes one
 * @param promptCache the system prompt's cache mark and OpenAI's cache key ({@link PromptCache};
 *     the messages carry their own marks, {@link ChatMessage#cacheMark()}), or null for none
 * @param showThinking whether the model's thinking is asked to come back as text (the chunks'
 *     {@link MessageChunk#thinking()}), as each model takes it: Claude 4.7 and later
 *     {@code thinking.display: "summarized"} (their default is omitted; earlier Claude shows it
 *     anyway), with adaptive thinking (or the model's thinking budget) turned on when no effort or
 *     budget asks for it; Gemini {@code thinkingConfig.includeThoughts: true}; OpenAI Responses
 *     {@code reasoning.summary: "auto"}; Chat Completions documents no such setting and sends
 *     nothing. A model the catalog says does not think is refused before any request
 *     ({@code dev.sluice.models.ModelCapabilities#checkShowThinking})
 */
public record ChatRequest(
        String model,
        String system,
        List<ChatMessage> messages,
        List<Tool> tools,
        @Nullable Integer maxTokens,
        @Nullable Double temperature,
        List<String> stopSequences,
        @Nullable Integer thinkingBudget,
        @Nullable ResponseFormat responseFormat,
        @Nullable ToolChoice toolChoice,
        @Nullable Effort effort,
        @Nullable PromptCache promptCache,
        boolean showThinking) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range (see the builder's setters), two
     *     tools share a name, the response format has a tool's name, or the tool choice names
     *     neither a tool nor the response format (or is {@code required} without either)
     */
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        Objects.requireNonNull(system, "system");
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) throw new IllegalArgumentException("messages must not be empty");
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        checkMaxTokens(maxTokens);
        checkTemperature(temperature);
        stopSequences = List.copyOf(Objects.requireNonNull(stopSequences, "stopSequences"));
        for (String stop : stopSequences) checkStopSequence(stop);
        checkThinkingBudget(thinkingBudget);
        long distinct = tools.stream().map(Tool::name).distinct().count();
        if (distinct != tools.size())
            throw new IllegalArgumentException("tool names must be unique: "
                    + tools.stream().map(Tool::name).toList());
        checkToolChoice(tools, responseFormat, toolChoice);
    }

    /**
     * A request whose thinking, if any, is not asked to be shown.
     *
     * @param model the model's name
     * @param system the system prompt; empty if none
     * @param messages the conversation, oldest first
     * @param tools the tools the model may call
     * @param maxTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget in tokens, or null
     * @param responseFormat the schema the answer must match, or null
     * @param toolChoice the tool choice, or null
     * @param effort the effort, or null
     * @param promptCache the prompt cache settings, or null
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stopSequences,
            @Nullable Integer thinkingBudget,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice,
            @Nullable Effort effort,
            @Nullable PromptCache promptCache) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stopSequences,
                thinkingBudget,
                responseFormat,
                toolChoice,
                effort,
                promptCache,
                false);
    }

    /**
     * A request without prompt cache settings.
     *
     * @param model the model's name
     * @param system the system prompt; empty if none
     * @param messages the conversation, oldest first
     * @param tools the tools the model may call
     * @param maxTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget in tokens, or null
     * @param responseFormat the schema the answer must match, or null
     * @param toolChoice the tool choice, or null
     * @param effort the effort, or null
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stopSequences,
            @Nullable Integer thinkingBudget,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice,
            @Nullable Effort effort) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stopSequences,
                thinkingBudget,
                responseFormat,
                toolChoice,
                effort,
                null,
                false);
    }

    /**
     * A request with the model's default effort.
     *
     * @param model the model's name
     * @param system the system prompt; empty if none
     * @param messages the conversation, oldest first
     * @param tools the tools the model may call
     * @param maxTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget in tokens, or null
     * @param responseFormat the schema the answer must match, or null
     * @param toolChoice the tool choice, or null
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stopSequences,
            @Nullable Integer thinkingBudget,
            @Nullable ResponseFormat responseFormat,
            @Nullable ToolChoice toolChoice) {
        this(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stopSequences,
                thinkingBudget,
                responseFormat,
                toolChoice,
                null);
    }

    /**
     * A request without structured output or tool choice.
     *
     * @param model the model's name
     * @param system the system prompt; empty if none
     * @param messages the conversation, oldest first
     * @param tools the tools the model may call
     * @param maxTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param stopSequences texts that end generation
     * @param thinkingBudget the thinking budget in tokens, or null
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stopSequences,
            @Nullable Integer thinkingBudget) {
        this(model, system, messages, tools, maxTokens, temperature, stopSequences, thinkingBudget, null, null);
    }

    /**
     * A request with the provider's default thinking.
     *
     * @param model the model's name
     * @param system the system prompt; empty if none
     * @param messages the conversation, oldest first
     * @param tools the tools the model may call
     * @param maxTokens the most tokens to generate, or null
     * @param temperature the sampling temperature, or null
     * @param stopSequences texts that end generation
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatRequest(
            String model,
            String system,
            List<ChatMessage> messages,
            List<Tool> tools,
            @Nullable Integer maxTokens,
            @Nullable Double temperature,
            List<String> stopSequences) {
        this(model, system, messages, tools, maxTokens, temperature, stopSequences, null, null, null);
    }

    /**
     * {@return a copy with the conversation replaced, everything else kept}
     *
     * @param messages the whole conversation, oldest first; not empty
     */
    public ChatRequest withMessages(List<ChatMessage> messages) {
        return new ChatRequest(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stopSequences,
                thinkingBudget,
                responseFormat,
                toolChoice,
                effort,
                promptCache,
                showThinking);
    }

    /**
     * {@return a copy with the effort replaced, everything else kept}
     *
     * @param effort the effort, or null for the model's default
     */
    public ChatRequest withEffort(@Nullable Effort effort) {
        return new ChatRequest(
                model,
                system,
                messages,
                tools,
                maxTokens,
                temperature,
                stopSequences,
                thinkingBudget,
                responseFormat,
                toolChoice,
                effort,
                promptCache,
                showThinking);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkMaxTokens(@Nullable Integer maxTokens) {
        if (maxTokens != null && maxTokens <= 0)
            throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
    }

    private static void checkTemperature(@Nullable Double temperature) {
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2: " + temperature);
        }
    }

    private static void checkThinkingBudget(@Nullable Integer budget) {
        if (budget != null && budget <= 0)
            throw new IllegalArgumentException("thinkingBudget must be positive: " + budget);
    }

    private static void checkToolChoice(
            List<Tool> tools, @Nullable ResponseFormat format, @Nullable ToolChoice choice) {
        if (format != null && tools.stream().anyMatch(t -> t.name().equals(format.name()))) {
            throw new IllegalArgumentException("the response format is named " + format.name()
                    + " as a tool of the request is: rename one of them");
        }
        if (choice instanceof ToolChoice.Named(String name)
                && (format == null || !format.name().equals(name))
                && tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new IllegalArgumentException(
                    "the tool choice names " + name + ", which is neither a tool of the request "
                            + tools.stream().map(Tool::name).toList() + " nor its response format");
        }
        if (choice instanceof ToolChoice.Required && tools.isEmpty() && format == null) {
            throw new IllegalArgumentException(
                    "the tool choice 'required' needs a tool to call: add one, or leave the choice out");
        }
    }

    private static void checkStopSequence(String stop) {
        Objects.requireNonNull(stop, "stop sequence");
        if (stop.isEmpty()) throw new IllegalArgumentException("a stop sequence must not be empty");
    }

    /** Builds a {@link ChatRequest}; each setter checks its argument and names it when it refuses one. Not thread-safe. */
    public static final class Builder {
        private @Nullable String model;
        private String system = "";
        private final List<ChatMessage> messages = new ArrayList<>();
        private final List<Tool> tools = new ArrayList<>();
        private @Nullable Integer maxTokens;
        private @Nullable Double temperature;
        private final List<String> stopSequences = new ArrayList<>();
        private @Nullable Integer thinkingBudget;
        private @Nullable ResponseFormat responseFormat;
        private @Nullable ToolChoice toolChoice;
        private @Nullable Effort effort;
        private @Nullable PromptCache promptCache;
        private boolean showThinking;

        private Builder() {}

        /**
         * Sets the system prompt's cache mark and OpenAI's cache key ({@link PromptCache}).
         *
         * @param cache what to ask of the provider's prompt cache
         * @return this builder
         */
        public Builder promptCache(PromptCache cache) {
            this.promptCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Sets the model's name.
         *
         * @param model the model's name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
            this.model = model;
            return this;
        }

        /**
         * Sets the system prompt, empty for none.
         *
         * @param system the system prompt, empty for none
         * @return this builder
         */
        public Builder system(String system) {
            this.system = Objects.requireNonNull(system, "system");
            return this;
        }

        /**
         * Sets the next message of the conversation.
         *
         * @param message the next message of the conversation
         * @return this builder
         */
        public Builder addMessage(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Sets the whole conversation, replacing any added before.
         *
         * @param messages the whole conversation, replacing any added before
         * @return this builder
         */
        public Builder messages(List<ChatMessage> messages) {
            List<ChatMessage> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
            this.messages.clear();
            this.messages.addAll(copy);
            return this;
        }

        /**
         * Sets a tool the model may call, its name not used by another.
         *
         * @param tool a tool the model may call, its name not used by another
         * @return this builder
         */
        public Builder addTool(Tool tool) {
            Objects.requireNonNull(tool, "tool");
            for (Tool t : tools) {
                if (t.name().equals(tool.name()))
                    throw new IllegalArgumentException("a tool named " + tool.name() + " was already added");
            }
            tools.add(tool);
            return this;
        }

        /**
         * Sets the most tokens to generate, positive.
         *
         * @param maxTokens the most tokens to generate, positive
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            checkMaxTokens(maxTokens);
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * Sets the sampling temperature, from 0 to 2 (providers may allow less).
         *
         * @param temperature the sampling temperature, from 0 to 2 (providers may allow less)
         * @return this builder
         */
        public Builder temperature(double temperature) {
            checkTemperature(temperature);
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets a text that ends generation, not empty.
         *
         * @param stop a text that ends generation, not empty
         * @return this builder
         */
        public Builder addStopSequence(String stop) {
            checkStopSequence(stop);
            stopSequences.add(stop);
            return this;
        }

        /**
         * Sets the thinking budget in tokens, positive (see {@link ChatRequest#thinkingBudget()}).
         *
         * @param tokens the most tokens the model may spend thinking
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder thinkingBudget(int tokens) {
            checkThinkingBudget(tokens);
            this.thinkingBudget = tokens;
            return this;
        }

        /**
         * Asks for the answer as JSON matching a schema (structured output; see {@link ResponseFormat}).
         *
         * @param format the name and schema of the answer
         * @return this builder
         * @throws NullPointerException if format is null
         */
        public Builder responseFormat(ResponseFormat format) {
            this.responseFormat = Objects.requireNonNull(format, "responseFormat");
            return this;
        }

        /**
         * Sets whether and which tool the model must call (see {@link ToolChoice}); checked against
         * the tools and the response format by {@link #build()}.
         *
         * @param choice the tool choice
         * @return this builder
         * @throws NullPointerException if choice is null
         */
        public Builder toolChoice(ToolChoice choice) {
            this.toolChoice = Objects.requireNonNull(choice, "toolChoice");
            return this;
        }

        /**
         * Sets how hard the model should think (see {@link ChatRequest#effort()}).
         *
         * @param effort the effort
         * @return this builder
         * @throws NullPointerException if effort is null
         */
        public Builder effort(Effort effort) {
            this.effort = Objects.requireNonNull(effort, "effort");
            return this;
        }

        /**
         * Sets whether the model's thinking is asked to come back as text (see
         * {@link ChatRequest#showThinking()}).
         *
         * @param show whether to show the thinking
         * @return this builder
         */
        public Builder showThinking(boolean show) {
            this.showThinking = show;
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalStateException if the model or the messages are missing
         * @throws IllegalArgumentException if the tool choice names neither a tool nor the response
         *     format, or the response format has a tool's name
         */
        public ChatRequest build() {
            if (model == null) throw new IllegalStateException("model is required: call model(..)");
            if (messages.isEmpty())
                throw new IllegalStateException("at least one message is required: call addMessage(..)");
            return new ChatRequest(
                    model,
                    system,
                    messages,
                    tools,
                    maxTokens,
                    temperature,
                    stopSequences,
                    thinkingBudget,
                    responseFormat,
                    toolChoice,
                    effort,
                    promptCache,
                    showThinking);
        }
    }
}
