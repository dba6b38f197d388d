package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A Chat Completions request. {@link OpenAiClient} streams it, adding {@code "stream": true} and
 * {@code "stream_options": {"include_usage": true}}. Build one with {@link #builder()}:
 * <pre>{@code
 * ChatCompletionRequest request = ChatCompletionRequest.builder()
 *         .model("gpt-6-luna")
 *         .addMessage(ChatCompletionMessage.system("Answer briefly."))
 *         .addMessage(ChatCompletionMessage.user("Why is the sky blue?"))
 *         .maxCompletionTokens(512)
 *         .build();
 * }</pre>
 *
 * <p>The output limit: {@code max_completion_tokens} is OpenAI's current field (required by its
 * reasoning models, which reject {@code max_tokens}); {@code max_tokens} is deprecated by OpenAI
 * but still what many OpenAI-compatible servers read. Set the one your server wants; the
 * provider-neutral {@link OpenAiClient#stream(dev.sluice.chat.ChatRequest)} sends
 * {@code max_completion_tokens}. Fields this type does not model go through {@link Builder#extra}.
 *
 * @param model the model's name
 * @param messages the conversation, oldest first; not empty
 * @param tools the functions the model may call; possibly empty
 * @param toolChoice how the model chooses tools, or null for the API's default
 * @param temperature sampling temperature from 0 to 2, or null
 * @param topP nucleus sampling mass from 0 to 1, or null
 * @param maxCompletionTokens the most tokens to generate ({@code max_completion_tokens}), or null
 * @param maxTokens the most tokens to generate, legacy field ({@code max_tokens}), or null
 * @param stop up to 4 texts that end generation; possibly empty
 * @param n how many choices to generate, or null for one
 * @param seed a seed for best-effort deterministic sampling, or null
 * @param user an end-user identifier for abuse monitoring, or null
 * @param extra further top-level fields, in Sluice's JSON value model, written after the others
 * @param responseFormat the {@code response_format} object (such as {@code {"type": "json_schema",
 *     "json_schema": {...}}}, see {@link JsonSchemaFormat}, or {@code {"type": "json_object"}}), in
 *     Sluice's JSON value model; null to leave it out
 */
public record ChatCompletionRequest(
        String model,
        List<ChatCompletionMessage> messages,
        List<FunctionTool> tools,
        @Nullable ChatCompletionToolChoice toolChoice,
        @Nullable Double temperature,
        @Nullable Double topP,
        @Nullable Integer maxCompletionTokens,
        @Nullable Integer maxTokens,
        List<String> stop,
        @Nullable Integer n,
        @Nullable Long seed,
        @Nullable String user,
        Map<String, Object> extra,
        @Nullable Map<String, Object> responseFormat) {

    /** The fields the record models, and {@code stream}/{@code stream_options} that the client sets: not allowed in extra. */
    static final Set<String> MODELED = Set.of(
            "model",
            "messages",
            "tools",
            "tool_choice",
            "temperature",
            "top_p",
            "max_completion_tokens",
            "max_tokens",
            "stop",
            "n",
            "seed",
            "user",
            "response_format",
            "stream",
            "stream_options");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range (see the builder's setters)
     */
    public ChatCompletionRequest {
        checkModel(model);
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) throw new IllegalArgumentException("messages must not be empty");
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        if (tools.stream().map(FunctionTool::name).distinct().count() != tools.size()) {
            throw new IllegalArgumentException("tool names must be unique: "
                    + tools.stream().map(FunctionTool::name).toList());
        }
        checkRange(temperature, 0, 2, "temperature");
        checkRange(topP, 0, 1, "topP");
        checkPositive(maxCompletionTokens, "maxCompletionTokens");
        checkPositive(maxTokens, "maxTokens");
        stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
        if (stop.size() > 4) throw new IllegalArgumentException("at most 4 stop sequences are allowed: " + stop.size());
        for (String s : stop) checkStop(s);
        checkPositive(n, "n");
        if (user != null && user.isBlank())
            throw new IllegalArgumentException("user must not be blank (null for none)");
        Objects.requireNonNull(extra, "extra");
        Map<String, Object> copy = new LinkedHashMap<>();
        extra.forEach((k, v) -> copy.put(checkExtra(k), JsonValues.copy(v, "extra field " + k)));
        extra = Collections.unmodifiableMap(copy);
        if (responseFormat != null) responseFormat = checkResponseFormat(responseFormat);
    }

    /**
     * A request without a {@code response_format}.
     *
     * @param model the model's name
     * @param messages the conversation
     * @param tools the functions the model may call
     * @param toolChoice how the model chooses tools, or null
     * @param temperature the temperature, or null
     * @param topP the nucleus sampling mass, or null
     * @param maxCompletionTokens {@code max_completion_tokens}, or null
     * @param maxTokens {@code max_tokens}, or null
     * @param stop the stop sequences
     * @param n how many choices, or null
     * @param seed the seed, or null
     * @param user the end-user identifier, or null
     * @param extra further top-level fields
     * @throws NullPointerException if a part that may not be null is null
     * @throws IllegalArgumentException if a part is out of range
     */
    public ChatCompletionRequest(
            String model,
            List<ChatCompletionMessage> messages,
            List<FunctionTool> tools,
            ChatCompletionToolChoice toolChoice,
            Double temperature,
            Double topP,
            Integer maxCompletionTokens,
            Integer maxTokens,
            List<String> stop,
            Integer n,
            Long seed,
            String user,
            Map<String, Object> extra) {
        this(
                model,
                messages,
                tools,
                toolChoice,
                temperature,
                topP,
                maxCompletionTokens,
                maxTokens,
                stop,
                n,
                seed,
                user,
                extra,
                null);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkModel(String model) {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
    }

    private static void checkRange(@Nullable Double v, double min, double max, String name) {
        if (v != null && !(v >= min && v <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + v);
        }
    }

    private static void checkPositive(@Nullable Integer v, String name) {
        if (v != null && v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
    }

    private static void checkStop(String s) {
        Objects.requireNonNull(s, "stop sequence");
        if (s.isEmpty()) throw new IllegalArgumentException("a stop sequence must not be empty");
    }

    private static Map<String, Object> checkResponseFormat(Map<String, ?> format) {
        Map<String, Object> copy = JsonValues.copyObject(format, "responseFormat");
        if (!(copy.get("type") instanceof String type) || type.isBlank()) {
            throw new IllegalArgumentException(
                    "responseFormat needs a \"type\" (json_schema, json_object or text): " + copy.keySet());
        }
        return copy;
    }

    private static String checkExtra(String field) {
        Objects.requireNonNull(field, "extra field name");
        if (field.isBlank()) throw new IllegalArgumentException("an extra field name must not be blank");
        if (MODELED.contains(field)) {
            throw new IllegalArgumentException(
                    "extra field " + field + " is set by its own builder method or by the client");
        }
        return field;
    }

    /** Builds a {@link ChatCompletionRequest}; each setter checks its argument and names it when it refuses one. Not thread-safe. */
    public static final class Builder {
        private @Nullable String model;
        private final List<ChatCompletionMessage> messages = new ArrayList<>();
        private final List<FunctionTool> tools = new ArrayList<>();
        private @Nullable ChatCompletionToolChoice toolChoice;
        private @Nullable Double temperature;
        private @Nullable Double topP;
        private @Nullable Integer maxCompletionTokens;
        private @Nullable Integer maxTokens;
        private final List<String> stop = new ArrayList<>();
        private @Nullable Integer n;
        private @Nullable Long seed;
        private @Nullable String user;
        private final Map<String, Object> extra = new LinkedHashMap<>();
        private @Nullable Map<String, Object> responseFormat;

        private Builder() {}

        /**
         * Sets the model's name.
         *
         * @param model the model's name, such as {@code gpt-6-luna}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder model(String model) {
            checkModel(model);
            this.model = model;
            return this;
        }

        /**
         * Adds the next message of the conversation.
         *
         * @param message the message
         * @return this builder
         */
        public Builder addMessage(ChatCompletionMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Adds a function the model may call.
         *
         * @param tool the function, its name not used by another
         * @return this builder
         * @throws IllegalArgumentException if a tool of that name was already added
         */
        public Builder addTool(FunctionTool tool) {
            Objects.requireNonNull(tool, "tool");
            if (tools.stream().anyMatch(t -> t.name().equals(tool.name()))) {
                throw new IllegalArgumentException("a tool named " + tool.name() + " was already added");
            }
            tools.add(tool);
            return this;
        }

        /**
         * Sets how the model chooses tools.
         *
         * @param toolChoice the choice
         * @return this builder
         */
        public Builder toolChoice(ChatCompletionToolChoice toolChoice) {
            this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
            return this;
        }

        /**
         * Sets the sampling temperature.
         *
         * @param temperature from 0 to 2
         * @return this builder
         */
        public Builder temperature(double temperature) {
            checkRange(temperature, 0, 2, "temperature");
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets the nucleus sampling mass.
         *
         * @param topP from 0 to 1
         * @return this builder
         */
        public Builder topP(double topP) {
            checkRange(topP, 0, 1, "topP");
            this.topP = topP;
            return this;
        }

        /**
         * Sets {@code max_completion_tokens}, OpenAI's current output limit.
         *
         * @param maxCompletionTokens positive
         * @return this builder
         */
        public Builder maxCompletionTokens(int maxCompletionTokens) {
            checkPositive(maxCompletionTokens, "maxCompletionTokens");
            this.maxCompletionTokens = maxCompletionTokens;
            return this;
        }

        /**
         * Sets {@code max_tokens}, the legacy output limit many OpenAI-compatible servers read.
         *
         * @param maxTokens positive
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            checkPositive(maxTokens, "maxTokens");
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * Adds a text that ends generation (at most 4).
         *
         * @param stop not empty
         * @return this builder
         * @throws IllegalStateException if 4 were already added
         */
        public Builder addStop(String stop) {
            checkStop(stop);
            if (this.stop.size() == 4) throw new IllegalStateException("at most 4 stop sequences are allowed");
            this.stop.add(stop);
            return this;
        }

        /**
         * Sets how many choices to generate.
         *
         * @param n positive
         * @return this builder
         */
        public Builder n(int n) {
            checkPositive(n, "n");
            this.n = n;
            return this;
        }

        /**
         * Sets the sampling seed.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the end-user identifier.
         *
         * @param user not blank
         * @return this builder
         */
        public Builder user(String user) {
            Objects.requireNonNull(user, "user");
            if (user.isBlank()) throw new IllegalArgumentException("user must not be blank");
            this.user = user;
            return this;
        }

        /**
         * Asks for structured output: {@code "response_format": {"type": "json_schema",
         * "json_schema": {...}}} (see {@link JsonSchemaFormat}); the JSON arrives as the text.
         *
         * @param format the format
         * @return this builder
         */
        public Builder responseFormat(JsonSchemaFormat format) {
            Objects.requireNonNull(format, "responseFormat");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "json_schema");
            m.put("json_schema", format.members());
            this.responseFormat = checkResponseFormat(m);
            return this;
        }

        /**
         * Sets the {@code response_format} object as it is, such as {@code {"type": "json_object"}}
         * (JSON mode: the prompt must ask for JSON) or {@code {"type": "text"}}.
         *
         * @param format the object, in Sluice's JSON value model, with a {@code type}
         * @return this builder
         * @throws IllegalArgumentException if it is not a JSON object with a {@code type}
         */
        public Builder responseFormat(Map<String, ?> format) {
            this.responseFormat = checkResponseFormat(Objects.requireNonNull(format, "responseFormat"));
            return this;
        }

        /**
         * Sets the reasoning effort ({@code reasoning_effort}), as the official SDK's
         * {@code ChatCompletionCreateParams.reasoningEffort} ({@code ReasoningEffort}: {@code none},
         * {@code minimal}, {@code low}, {@code medium}, {@code high}, {@code xhigh}, {@code max};
         * which values each model takes: docs/models.md). GPT-5.4 and later refuse it with function
         * tools here unless it is {@code none}; the Responses API takes both.
         *
         * @param effort the effort
         * @return this builder
         * @throws IllegalArgumentException if it is none of the seven
         */
        public Builder reasoningEffort(String effort) {
            return extra("reasoning_effort", checkEffort(effort));
        }

        /**
         * Sets how long the answer should be ({@code verbosity}: {@code low}, {@code medium},
         * {@code high}), as the official SDK's {@code ChatCompletionCreateParams.verbosity}; GPT-5
         * and later models take it.
         *
         * @param verbosity {@code low}, {@code medium} or {@code high}
         * @return this builder
         * @throws IllegalArgumentException if it is none of the three
         */
        public Builder verbosity(String verbosity) {
            return extra("verbosity", checkVerbosity(verbosity));
        }

        /**
         * Sets {@code prompt_cache_key}: requests that share a prompt's beginning and this key are
         * routed together, so that OpenAI's prompt cache hits more often, as the official SDK's
         * {@code ChatCompletionCreateParams.promptCacheKey()} (openai-java 4.101).
         *
         * @param key the key, such as a conversation's or a tenant's id (not a person's name)
         * @return this builder
         * @throws IllegalArgumentException if the key is blank
         */
        public Builder promptCacheKey(String key) {
            return extra("prompt_cache_key", checkPromptCacheKey(key));
        }

        /**
         * Sets {@code safety_identifier}: a stable id of your application's end user (a hash of their
         * account, not their name or e-mail), which OpenAI uses to tell abuse by one user from your
         * application's, as the official SDK's {@code ChatCompletionCreateParams.safetyIdentifier()}
         * (openai-java 4.101); the Responses API's {@link ResponseRequest.Builder#safetyIdentifier}
         * is the same field.
         *
         * @param id 1 to 64 characters
         * @return this builder
         * @throws IllegalArgumentException if it is blank or longer than 64 characters
         */
        public Builder safetyIdentifier(String id) {
            return extra("safety_identifier", checkSafetyIdentifier(id));
        }

        /**
         * Sets {@code parallel_tool_calls}: whether the model may ask for several tool calls in one
         * turn (the API's default is true), as the official SDK's {@code
         * ChatCompletionCreateParams.parallelToolCalls()} (openai-java 4.101).
         *
         * @param parallel false for at most one tool call a turn
         * @return this builder
         */
        public Builder parallelToolCalls(boolean parallel) {
            return extra("parallel_tool_calls", parallel);
        }

        private static String checkEffort(String effort) {
            if (!Set.of("none", "minimal", "low", "medium", "high", "xhigh", "max")
                    .contains(effort)) {
                throw new IllegalArgumentException(
                        "reasoning effort must be none, minimal, low, medium, high, xhigh or max, not " + effort);
            }
            return effort;
        }

        /**
         * Sets a top-level field this type does not model, such as {@code service_tier}; a
         * later call for the same field replaces the value.
         *
         * @param field the field's name, not one of the modeled fields, {@code stream} or {@code stream_options}
         * @param value the value in Sluice's JSON value model (Map, List, String, Number, Boolean, null)
         * @return this builder
         * @throws IllegalArgumentException if the field is modeled or the value is not a JSON value
         */
        public Builder extra(String field, Object value) {
            extra.put(checkExtra(field), JsonValues.copy(value, "extra field " + field));
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalStateException if the model or the messages are missing
         */
        public ChatCompletionRequest build() {
            if (model == null) throw new IllegalStateException("model is required: call model(..)");
            if (messages.isEmpty())
                throw new IllegalStateException("at least one message is required: call addMessage(..)");
            return new ChatCompletionRequest(
                    model,
                    messages,
                    tools,
                    toolChoice,
                    temperature,
                    topP,
                    maxCompletionTokens,
                    maxTokens,
                    stop,
                    n,
                    seed,
                    user,
                    extra,
                    responseFormat);
        }
    }

    static String checkVerbosity(String verbosity) {
        if (!Set.of("low", "medium", "high").contains(verbosity))
            throw new IllegalArgumentException("verbosity must be low, medium or high, not " + verbosity);
        return verbosity;
    }

    static String checkSafetyIdentifier(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("safetyIdentifier must be 1 to 64 characters (a hash of the user's"
                    + " account, not their name or e-mail), not "
                    + (id == null ? "null" : id.length() + " characters"));
        }
        return id;
    }

    static String checkPromptCacheKey(String key) {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("promptCacheKey must not be blank");
        return key;
    }
}
