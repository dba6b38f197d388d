package dev.sluice.openai;

import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Responses API request ({@code POST /v1/responses}), built with {@link #builder()}. The input is
 * a list of input items (messages, function calls and their outputs, as JSON objects; the
 * builder's {@code add...} methods write the common ones); tools are function tools, or any tool
 * as a JSON object ({@link Builder#addTool(Map)}: web search, file search, MCP, ...). Fields the
 * builder has no setter for go through {@link Builder#extra}. {@code stream} is set by the client.
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class ResponseRequest {
    private final String model;
    private final Map<String, Object> body;
    private final boolean background;

    private ResponseRequest(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model"); // build() required it
        this.background = Boolean.TRUE.equals(b.background);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        if (b.instructions != null) m.put("instructions", b.instructions);
        m.put("input", List.copyOf(b.input));
        if (!b.tools.isEmpty()) m.put("tools", List.copyOf(b.tools));
        if (b.toolChoice != null) m.put("tool_choice", toolChoiceJson(b.toolChoice));
        if (b.textFormat != null || b.verbosity != null) {
            Map<String, Object> text = new LinkedHashMap<>();
            if (b.textFormat != null) {
                Map<String, Object> format = new LinkedHashMap<>();
                format.put("type", "json_schema");
                format.putAll(b.textFormat.members());
                text.put("format", format);
            }
            if (b.verbosity != null) text.put("verbosity", b.verbosity);
            m.put("text", text);
        }
        if (b.maxOutputTokens != null) m.put("max_output_tokens", b.maxOutputTokens);
        if (b.temperature != null) m.put("temperature", b.temperature);
        if (b.previousResponseId != null) m.put("previous_response_id", b.previousResponseId);
        if (b.background != null) m.put("background", b.background);
        if (b.store != null) m.put("store", b.store);
        if (b.reasoningEffort != null || b.reasoningSummary != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (b.reasoningEffort != null) r.put("effort", b.reasoningEffort);
            if (b.reasoningSummary != null) r.put("summary", b.reasoningSummary);
            m.put("reasoning", r);
        }
        if (!b.include.isEmpty()) m.put("include", List.copyOf(b.include));
        if (b.promptCacheKey != null) m.put("prompt_cache_key", b.promptCacheKey);
        m.putAll(b.extra);
        this.body = JsonValues.copyObject(m, "the request");
    }

    /** {@return the Responses API's {@code tool_choice}: a mode's string, or a function by name} */
    private static Object toolChoiceJson(ChatCompletionToolChoice choice) {
        if (choice.functionName() == null) return choice.mode();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "function");
        m.put("name", choice.functionName());
        return m;
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the model} */
    public String model() {
        return model;
    }

    /** {@return whether the request runs in background mode (and may be resumed when cut off)} */
    public boolean background() {
        return background;
    }

    /** {@return the request body without {@code stream}, as an unmodifiable JSON object} */
    public Map<String, Object> body() {
        return body;
    }

    /** {@return the streaming request body: the fields, then {@code "stream": true}} */
    String streamingJson() {
        Map<String, Object> m = new LinkedHashMap<>(body);
        m.put("stream", true);
        return Json.write(m);
    }

    /** {@return how many input items it has} */
    public int inputSize() {
        return ((List<?>) Objects.requireNonNull(body.get("input"), "input")).size();
    }

    /** Shows the model and the sizes, never the content. */
    @Override
    public String toString() {
        return "ResponseRequest[model=" + model + ", " + inputSize() + " input items"
                + (background ? ", background" : "") + "]";
    }

    /** Builds a {@link ResponseRequest}. Each setter checks its argument; not thread-safe. */
    public static final class Builder {
        private @Nullable String model;
        private @Nullable String instructions;
        private final List<Map<String, Object>> input = new ArrayList<>();
        private final List<Map<String, Object>> tools = new ArrayList<>();
        private @Nullable ChatCompletionToolChoice toolChoice;
        private @Nullable JsonSchemaFormat textFormat;
        private @Nullable String verbosity;
        private @Nullable String promptCacheKey;
        private @Nullable Integer maxOutputTokens;
        private @Nullable Double temperature;
        private @Nullable String previousResponseId;
        private @Nullable Boolean background;
        private @Nullable Boolean store;
        private @Nullable String reasoningEffort;
        private @Nullable String reasoningSummary;
        private final List<String> include = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the model, required.
         *
         * @param model the model, required
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
         * Sets the system (developer) instructions.
         *
         * @param instructions the system (developer) instructions
         * @return this builder
         */
        public Builder instructions(String instructions) {
            this.instructions = Objects.requireNonNull(instructions, "instructions");
            return this;
        }

        /**
         * Adds a user message.
         *
         * @param text a user message
         * @return this builder
         */
        public Builder addUserMessage(String text) {
            return addInputItem(message("user", text));
        }

        /**
         * Adds an earlier assistant message.
         *
         * @param text an earlier assistant message
         * @return this builder
         */
        public Builder addAssistantMessage(String text) {
            return addInputItem(message("assistant", text));
        }

        /**
         * Adds an earlier function call of the model (with {@link #addFunctionCallOutput}, a turn
         * of tool use sent back without {@code previous_response_id}).
         *
         * @param callId the call's id
         * @param name the function's name
         * @param arguments the arguments as the model wrote them
         * @return this builder
         */
        public Builder addFunctionCall(String callId, String name, String arguments) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "function_call");
            m.put("call_id", Objects.requireNonNull(callId, "callId"));
            m.put("name", Objects.requireNonNull(name, "name"));
            m.put("arguments", Objects.requireNonNull(arguments, "arguments"));
            return addInputItem(m);
        }

        /**
         * Adds a function call's output, answering the call.
         *
         * @param callId the id of the call answered
         * @param output what the function returned
         * @return this builder
         */
        public Builder addFunctionCallOutput(String callId, String output) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "function_call_output");
            m.put("call_id", Objects.requireNonNull(callId, "callId"));
            m.put("output", Objects.requireNonNull(output, "output"));
            return addInputItem(m);
        }

        /**
         * Adds any input item, as a JSON object.
         *
         * @param item any input item as a JSON object (a reasoning item passed back, an image, ...)
         * @return this builder
         * @throws IllegalArgumentException if it holds something that is not a JSON value
         */
        public Builder addInputItem(Map<String, ?> item) {
            input.add(JsonValues.copyObject(Objects.requireNonNull(item, "item"), "input item"));
            return this;
        }

        /**
         * Adds a function tool.
         *
         * @param tool a function tool
         * @return this builder
         */
        public Builder addTool(FunctionTool tool) {
            Objects.requireNonNull(tool, "tool");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "function");
            m.put("name", tool.name());
            if (!tool.description().isEmpty()) m.put("description", tool.description());
            m.put("parameters", tool.parameters());
            if (tool.strict() != null) m.put("strict", tool.strict());
            tools.add(m);
            return this;
        }

        /**
         * Adds any tool, as a JSON object.
         *
         * @param tool any tool as a JSON object ({@code {"type": "web_search"}}, ...)
         * @return this builder
         * @throws IllegalArgumentException if it holds something that is not a JSON value
         */
        public Builder addTool(Map<String, ?> tool) {
            tools.add(JsonValues.copyObject(Objects.requireNonNull(tool, "tool"), "tool"));
            return this;
        }

        /**
         * Sets how the model chooses tools: {@code "tool_choice"} as {@code "auto"}, {@code "none"},
         * {@code "required"} or {@code {"type": "function", "name": N}}.
         *
         * @param choice the choice
         * @return this builder
         */
        public Builder toolChoice(ChatCompletionToolChoice choice) {
            this.toolChoice = Objects.requireNonNull(choice, "toolChoice");
            return this;
        }

        /**
         * Asks for structured output: {@code "text": {"format": {"type": "json_schema", "name": N,
         * "schema": S, "strict": ...}}}; the JSON arrives as the output text, beside a
         * {@link #verbosity(String) verbosity}. An {@link #extra(String, Object) extra} {@code text}
         * field replaces both.
         *
         * @param format the format
         * @return this builder
         */
        public Builder textFormat(JsonSchemaFormat format) {
            this.textFormat = Objects.requireNonNull(format, "textFormat");
            return this;
        }

        /**
         * Sets how long the answer should be: {@code "text": {"verbosity": V}}, beside the
         * {@link #textFormat(JsonSchemaFormat) format} when one is set, as the official SDK's
         * {@code ResponseTextConfig.verbosity()} (openai-java 4.101: {@code low}, {@code medium},
         * {@code high}; the API's default is {@code medium}). GPT-5 and later models take it.
         *
         * @param verbosity {@code low}, {@code medium} or {@code high}
         * @return this builder
         * @throws IllegalArgumentException if it is none of the three
         */
        public Builder verbosity(String verbosity) {
            this.verbosity = ChatCompletionRequest.checkVerbosity(verbosity);
            return this;
        }

        /**
         * Sets {@code prompt_cache_key}: requests that share a prompt's beginning and this key are
         * routed together, so that OpenAI's prompt cache hits more often (it replaces {@code user}
         * for caching), as the official SDK's {@code ResponseCreateParams.promptCacheKey()}
         * (openai-java 4.101) and https://platform.openai.com/docs/guides/prompt-caching.
         *
         * @param key the key, such as a conversation's or a tenant's id (not a person's name)
         * @return this builder
         * @throws IllegalArgumentException if the key is blank
         */
        public Builder promptCacheKey(String key) {
            this.promptCacheKey = ChatCompletionRequest.checkPromptCacheKey(key);
            return this;
        }

        /**
         * Sets {@code max_output_tokens}, the most tokens to generate.
         *
         * @param tokens {@code max_output_tokens}, positive
         * @return this builder
         */
        public Builder maxOutputTokens(int tokens) {
            if (tokens <= 0) throw new IllegalArgumentException("maxOutputTokens must be positive: " + tokens);
            this.maxOutputTokens = tokens;
            return this;
        }

        /**
         * Sets the sampling temperature, between 0 and 2.
         *
         * @param temperature between 0 and 2
         * @return this builder
         */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 2))
                throw new IllegalArgumentException("temperature must be in [0, 2]: " + temperature);
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets the response this one continues ({@code previous_response_id}).
         *
         * @param id the response this one continues ({@code previous_response_id})
         * @return this builder
         */
        public Builder previousResponseId(String id) {
            this.previousResponseId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets whether to run in background mode.
         *
         * @param background whether to run in background mode: the response goes on when the
         *     connection is lost, and a cut-off stream can be {@linkplain Responses#resume resumed}
         *     (OpenAI requires {@code store} for it)
         * @return this builder
         */
        public Builder background(boolean background) {
            this.background = background;
            return this;
        }

        /**
         * Sets whether the response is stored.
         *
         * @param store whether the response is stored
         * @return this builder
         */
        public Builder store(boolean store) {
            this.store = store;
            return this;
        }

        /**
         * Sets the reasoning effort ({@code reasoning.effort}).
         *
         * @param effort {@code reasoning.effort} (the official SDK's {@code ReasoningEffort}): {@code none}, {@code minimal}, {@code low}, {@code medium}, {@code high}, {@code xhigh}, {@code max}; which values each model takes: docs/models.md
         * @param summary {@code reasoning.summary}: {@code auto}, {@code concise}, {@code detailed}; null for none
         * @return this builder
         */
        public Builder reasoning(String effort, String summary) {
            this.reasoningEffort = Objects.requireNonNull(effort, "effort");
            this.reasoningSummary = summary;
            return this;
        }

        /**
         * Adds an {@code include} value, e.g. {@code reasoning.encrypted_content}.
         *
         * @param what an {@code include} value, e.g. {@code reasoning.encrypted_content}
         * @return this builder
         */
        public Builder include(String what) {
            include.add(Objects.requireNonNull(what, "what"));
            return this;
        }

        /**
         * Sets a request field the builder has no setter for.
         *
         * @param name a request field the builder has no setter for
         * @param value its JSON value
         * @return this builder
         * @throws IllegalArgumentException if name is {@code stream}, or value is not a JSON value
         */
        public Builder extra(String name, Object value) {
            Objects.requireNonNull(name, "name");
            if (name.equals("stream")) throw new IllegalArgumentException("stream is set by the client");
            extra.put(name, JsonValues.copy(value, name));
            return this;
        }

        /**
         * {@return the request}
         * @throws IllegalStateException if no model or no input was given
         */
        public ResponseRequest build() {
            if (model == null) throw new IllegalStateException("model is required");
            if (input.isEmpty() && previousResponseId == null)
                throw new IllegalStateException("input is required: add a message");
            return new ResponseRequest(this);
        }

        private static Map<String, Object> message(String role, String text) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", role);
            m.put("content", Objects.requireNonNull(text, "text"));
            return m;
        }
    }
}
