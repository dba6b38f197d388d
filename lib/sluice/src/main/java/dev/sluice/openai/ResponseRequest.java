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
 *
 * <p>Why this file is long: most of it is the builder's documented setters, one per field of the API's
 * request, each checked when set.
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
        if (b.reasoningEffort != null || b.reasoningSummary != null || b.reasoningMode != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (b.reasoningEffort != null) r.put("effort", b.reasoningEffort);
            if (b.reasoningSummary != null) r.put("summary", b.reasoningSummary);
            if (b.reasoningMode != null) r.put("mode", b.reasoningMode);
            m.put("reasoning", r);
        }
        if (!b.include.isEmpty()) m.put("include", List.copyOf(b.include));
        if (b.promptCacheKey != null) m.put("prompt_cache_key", b.promptCacheKey);
        if (b.safetyIdentifier != null) m.put("safety_identifier", b.safetyIdentifier);
        if (b.parallelToolCalls != null) m.put("parallel_tool_calls", b.parallelToolCalls);
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
        private @Nullable String reasoningMode;
        private @Nullable String safetyIdentifier;
        private @Nullable Boolean parallelToolCalls;
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
            return addTool(tool, false);
        }

        /**
         * Adds a function tool whose definition the model does not see up front: with {@code
         * deferLoading} true it is sent with {@code "defer_loading": true}, and the model finds and
         * loads it through tool search ({@link #addToolSearch()}), as the official SDK's {@code
         * FunctionTool.deferLoading()} (openai-java 4.101: "Whether this function is deferred and
         * loaded via tool search"; the API's default is false). Keeps a long list of tools out of
         * the prompt until one is needed.
         *
         * @param tool a function tool
         * @param deferLoading whether the tool is deferred (false: as {@link #addTool(FunctionTool)})
         * @return this builder
         */
        public Builder addTool(FunctionTool tool, boolean deferLoading) {
            Objects.requireNonNull(tool, "tool");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "function");
            m.put("name", tool.name());
            if (!tool.description().isEmpty()) m.put("description", tool.description());
            m.put("parameters", tool.parameters());
            if (tool.strict() != null) m.put("strict", tool.strict());
            if (deferLoading) m.put("defer_loading", true);
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
         * Adds a custom tool ({@code {"type": "custom", "name": N, "description": D}}): the model
         * calls it with free-form text rather than JSON arguments, answered with a
         * {@code custom_tool_call_output} input item. As the official SDK's
         * {@code com.openai.models.responses.CustomTool} (openai-java 4.101) and
         * https://platform.openai.com/docs/guides/function-calling#custom-tools.
         *
         * @param name the tool's name
         * @param description what it does and when to use it, or null
         * @return this builder
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder addCustomTool(String name, @Nullable String description) {
            return addTool(customTool(name, description));
        }

        /**
         * Adds a custom tool whose input is held to a grammar ({@code "format": {"type": "grammar",
         * "syntax": S, "definition": G}}), as the SDK's {@code CustomToolInputFormat.Grammar}.
         *
         * @param name the tool's name
         * @param description what it does and when to use it, or null
         * @param syntax {@code lark} or {@code regex}
         * @param definition the grammar, in that syntax
         * @return this builder
         * @throws IllegalArgumentException if the name or the definition is blank, or the syntax is neither
         */
        public Builder addCustomTool(String name, @Nullable String description, String syntax, String definition) {
            if (!"lark".equals(syntax) && !"regex".equals(syntax))
                throw new IllegalArgumentException("a custom tool's grammar syntax is lark or regex, not " + syntax);
            if (Objects.requireNonNull(definition, "definition").isBlank())
                throw new IllegalArgumentException("the grammar of custom tool " + name + " must not be blank");
            Map<String, Object> tool = customTool(name, description);
            Map<String, Object> format = new LinkedHashMap<>();
            format.put("type", "grammar");
            format.put("syntax", syntax);
            format.put("definition", definition);
            tool.put("format", format);
            return addTool(tool);
        }

        private static Map<String, Object> customTool(String name, @Nullable String description) {
            if (Objects.requireNonNull(name, "name").isBlank())
                throw new IllegalArgumentException("a custom tool's name must not be blank");
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "custom");
            tool.put("name", name);
            if (description != null) tool.put("description", description);
            return tool;
        }

        /**
         * Adds the shell tool ({@code {"type": "shell"}}): the model asks for shell commands as
         * {@code shell_call} output items, which your code runs (or, with an environment, OpenAI's
         * container). As the SDK's {@code FunctionShellTool}.
         *
         * @param environment where the commands run ({@code {"type": "container_auto"}},
         *     {@code {"type": "local"}}, {@code {"type": "container_reference", "container_id": ..}}),
         *     or null to leave it out
         * @return this builder
         * @throws IllegalArgumentException if the environment has no {@code type} or is not a JSON value
         */
        public Builder addShellTool(@Nullable Map<String, ?> environment) {
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "shell");
            if (environment != null) {
                if (!(environment.get("type") instanceof String))
                    throw new IllegalArgumentException("a shell tool's environment needs a type: " + environment);
                tool.put("environment", JsonValues.copyObject(environment, "environment"));
            }
            return addTool(tool);
        }

        /**
         * Adds OpenAI's hosted tool search ({@code {"type": "tool_search"}}, run by the server), which
         * finds deferred tools ({@code defer_loading}) when the model needs them. As the SDK's
         * {@code ToolSearchTool}.
         *
         * @return this builder
         */
        public Builder addToolSearch() {
            return addTool(Map.of("type", "tool_search"));
        }

        /**
         * Adds OpenAI's web search ({@code {"type": "web_search"}}), as the SDK's {@code WebSearchTool}.
         *
         * @param searchContextSize {@code low}, {@code medium} or {@code high} (how much of the results
         *     the model reads), or null for the API's default ({@code medium})
         * @param allowedDomains the only domains searched ({@code filters.allowed_domains}); empty for any
         * @return this builder
         * @throws IllegalArgumentException if the size is none of the three, or a domain is blank
         */
        public Builder addWebSearch(@Nullable String searchContextSize, List<String> allowedDomains) {
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "web_search");
            if (searchContextSize != null)
                tool.put("search_context_size", checkLevel("searchContextSize", searchContextSize));
            if (!allowedDomains.isEmpty()) {
                for (String d : allowedDomains)
                    if (d.isBlank()) throw new IllegalArgumentException("an allowed domain must not be blank");
                tool.put("filters", Map.of("allowed_domains", List.copyOf(allowedDomains)));
            }
            return addTool(tool);
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

        private static String checkLevel(String what, String level) {
            if (!List.of("low", "medium", "high").contains(level))
                throw new IllegalArgumentException(what + " must be low, medium or high, not " + level);
            return level;
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
         * Sets {@code reasoning.summary} alone, the model's default effort kept: the reasoning's
         * summary streams ({@code response.reasoning_summary_text.delta}).
         *
         * @param summary {@code auto}, {@code concise} or {@code detailed}
         * @return this builder
         * @throws NullPointerException if summary is null
         */
        public Builder reasoningSummary(String summary) {
            this.reasoningSummary = Objects.requireNonNull(summary, "summary");
            return this;
        }

        /**
         * Sets {@code reasoning.mode}, beside the effort and summary: {@code standard}, or {@code pro}
         * (the model reasons longer on its own, where OpenAI offers it: the replacement of gpt-5-pro and
         * o3-pro is gpt-6.1-sol with mode {@code pro}). As the official SDK's {@code Reasoning.mode()}
         * (openai-java 4.101: an open enum of {@code standard} and {@code pro}).
         *
         * @param mode {@code standard} or {@code pro}
         * @return this builder
         * @throws IllegalArgumentException if it is blank
         */
        public Builder reasoningMode(String mode) {
            if (Objects.requireNonNull(mode, "mode").isBlank())
                throw new IllegalArgumentException("reasoning mode must not be blank (standard or pro)");
            this.reasoningMode = mode;
            return this;
        }

        /**
         * Sets {@code safety_identifier}: a stable id of your application's end user (a hash of their
         * account, never their name or e-mail), so that OpenAI can tell one user's misuse from your
         * application's. As the official SDK's {@code ResponseCreateParams.safetyIdentifier()}
         * (openai-java 4.101: at most 64 characters) and
         * https://platform.openai.com/docs/guides/safety-best-practices#safety-identifiers.
         *
         * @param id the user's id, 1 to 64 characters
         * @return this builder
         * @throws IllegalArgumentException if it is blank or longer than 64 characters
         */
        public Builder safetyIdentifier(String id) {
            this.safetyIdentifier = ChatCompletionRequest.checkSafetyIdentifier(id);
            return this;
        }

        /**
         * Sets {@code parallel_tool_calls}: whether the model may ask for several tool calls in one
         * turn (the API's default is true), as the SDK's {@code ResponseCreateParams.parallelToolCalls()}.
         *
         * @param parallel false for at most one tool call a turn
         * @return this builder
         */
        public Builder parallelToolCalls(boolean parallel) {
            this.parallelToolCalls = parallel;
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
