package dev.sluice.anthropic;

import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A request to the Messages API. Immutable; build one with {@link #builder()}:
 *
 * <pre>{@code
 * MessageRequest request = MessageRequest.builder()
 *         .model("claude-sonnet-5-5")
 *         .maxTokens(1024)
 *         .system("You are terse.")
 *         .addUserMessage("Hello")
 *         .build();
 * }</pre>
 *
 * <p>Fields this version does not model can be sent with {@link Builder#extra(String, Object)}.
 * Whether the request streams is decided by the call that sends it, not here.
 *
 * <p>Why this file is long: most of it is the builder's documented setters, one per field of the API's
 * request, each checked when set; its JSON is written by the package's {@code RequestJson}.
 */
public final class MessageRequest {
    private final String model;
    private final int maxTokens;
    private final List<MessageParam> messages;
    private final @Nullable String systemText;
    private final @Nullable List<TextParam> systemBlocks;
    private final List<ToolParam> tools;
    private final @Nullable ToolChoice toolChoice;
    private final @Nullable ThinkingConfig thinking;
    private final @Nullable Double temperature;
    private final @Nullable Double topP;
    private final @Nullable Integer topK;
    private final @Nullable List<String> stopSequences;
    private final @Nullable String userId;
    private final @Nullable Map<String, Object> outputFormat;
    private final @Nullable String effort;
    private final List<String> explicitBetas;
    private final Map<String, Object> extra;

    private MessageRequest(Builder b) {
        model = Objects.requireNonNull(b.model, "checked by build()");
        maxTokens = b.maxTokens;
        messages = List.copyOf(b.messages);
        systemText = b.systemText;
        systemBlocks = b.systemBlocks;
        tools = List.copyOf(b.tools.values());
        toolChoice = b.toolChoice;
        thinking = b.thinking;
        temperature = b.temperature;
        topP = b.topP;
        topK = b.topK;
        stopSequences = b.stopSequences;
        userId = b.userId;
        outputFormat = b.outputFormat;
        effort = b.effort;
        explicitBetas = List.copyOf(b.betas);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    /** {@return a builder with nothing set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the model} */
    public String model() {
        return model;
    }

    /** {@return the most tokens to generate} */
    public int maxTokens() {
        return maxTokens;
    }

    /** {@return the conversation} */
    public List<MessageParam> messages() {
        return messages;
    }

    /** {@return the system prompt, when given as a string} */
    public Optional<String> systemText() {
        return Optional.ofNullable(systemText);
    }

    /** {@return the system prompt, when given as text blocks; otherwise empty} */
    public List<TextParam> systemBlocks() {
        return systemBlocks == null ? List.of() : systemBlocks;
    }

    /** {@return the tools, in the order added} */
    public List<ToolParam> tools() {
        return tools;
    }

    /** {@return how the model should use the tools, when set} */
    public Optional<ToolChoice> toolChoice() {
        return Optional.ofNullable(toolChoice);
    }

    /** {@return the extended-thinking setting, when set} */
    public Optional<ThinkingConfig> thinking() {
        return Optional.ofNullable(thinking);
    }

    /** {@return the temperature, when set} */
    public OptionalDouble temperature() {
        return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /** {@return the nucleus-sampling threshold, when set} */
    public OptionalDouble topP() {
        return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
    }

    /** {@return the top-k cut-off, when set} */
    public OptionalInt topK() {
        return topK == null ? OptionalInt.empty() : OptionalInt.of(topK);
    }

    /** {@return the stop sequences; empty when none} */
    public List<String> stopSequences() {
        return stopSequences == null ? List.of() : stopSequences;
    }

    /** {@return the {@code metadata.user_id}, when set} */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /**
     * {@return the JSON Schema the answer must match ({@code output_config.format}), when set}
     */
    public Optional<Map<String, Object>> outputFormat() {
        return Optional.ofNullable(outputFormat);
    }

    /** {@return the {@code output_config.effort}, when set} */
    public Optional<String> effort() {
        return Optional.ofNullable(effort);
    }

    /** The beta server-side compaction needs. */
    static final String COMPACTION_BETA = "compact-2026-01-12";
    /** The beta the {@code clear_*} context edits need. */
    static final String CONTEXT_MANAGEMENT_BETA = "context-management-2025-06-27";
    /** The beta server-side fallback needs. */
    static final String FALLBACK_BETA = "server-side-fallback-2026-07-01";
    /** The beta a system message's own {@code output_config} needs (build-with-claude/effort-per-message). */
    static final String MID_CONVERSATION_OUTPUT_CONFIG_BETA = "mid-conversation-output-config-2026-07-01";
    /** The beta a {@code file} source (a {@code file_id} of the Files API) needs (build-with-claude/files). */
    static final String FILES_API_BETA = "files-api-2025-04-14";

    private static final Set<String> EFFORTS = Set.of("low", "medium", "high", "xhigh", "max");

    /**
     * Checks an {@code output_config.effort} level: the request's or a system message's.
     *
     * @throws IllegalArgumentException if the level is none of the five
     */
    static void checkEffort(String effort) {
        if (!EFFORTS.contains(effort)) {
            throw new IllegalArgumentException("effort must be low, medium, high, xhigh or max, not " + effort);
        }
    }

    /**
     * Checks one {@code anthropic-beta} name, the client's or a request's.
     *
     * @return the name
     * @throws IllegalArgumentException if it is blank, holds a control character or a comma
     * @throws NullPointerException if it is null
     */
    static String checkBeta(String beta) {
        String t = HttpPost.headerToken(beta, "beta");
        if (t.contains(",")) throw new IllegalArgumentException("a beta name must not contain a comma: " + t);
        return t;
    }

    /**
     * {@return the {@code anthropic-beta} names the request is sent with, after the client's own
     * {@code beta(..)} names: those given to {@link Builder#beta(String...)}, in order, then those the
     * request's fields need, as Anthropic documents them: {@code compact-2026-01-12} for a
     * {@code compact_*} context edit, {@code context-management-2025-06-27} for another context edit,
     * {@code server-side-fallback-2026-07-01} for {@code fallbacks},
     * {@code mid-conversation-output-config-2026-07-01} for a system message's effort,
     * {@code files-api-2025-04-14} for a document or image with a {@code file} source; each once}
     */
    public List<String> betas() {
        List<String> betas = new ArrayList<>(explicitBetas);
        if (extra.get("context_management") instanceof Map<?, ?> cm && cm.get("edits") instanceof List<?> edits) {
            for (Object e : edits) {
                String type = e instanceof Map<?, ?> m && m.get("type") instanceof String t ? t : "";
                String beta = type.startsWith("compact_") ? COMPACTION_BETA : CONTEXT_MANAGEMENT_BETA;
                if (!betas.contains(beta)) betas.add(beta);
            }
        }
        if (extra.get("fallbacks") != null && !betas.contains(FALLBACK_BETA)) betas.add(FALLBACK_BETA);
        if (messages.stream().anyMatch(m -> m.effort() != null) && !betas.contains(MID_CONVERSATION_OUTPUT_CONFIG_BETA))
            betas.add(MID_CONVERSATION_OUTPUT_CONFIG_BETA);
        if (!betas.contains(FILES_API_BETA) && messages.stream().anyMatch(MessageRequest::namesAFile))
            betas.add(FILES_API_BETA);
        return List.copyOf(betas);
    }

    private static boolean namesAFile(MessageParam m) {
        for (ContentBlockParam b : m.content()) {
            Map<String, Object> source = switch (b) {
                case DocumentParam d -> d.source();
                case ImageParam i -> i.source();
                default -> Map.of();
            };
            if ("file".equals(source.get("type"))) return true;
        }
        return false;
    }

    /** {@return the extra JSON fields, in the order added} */
    public Map<String, Object> extra() {
        return extra;
    }

    /**
     * {@return the last user or assistant message, past any system messages after it: the turn the
     * API continues (an assistant one is a prefill); null if every message is a system message}
     */
    @Nullable
    MessageParam lastTurnOrNull() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() != MessageParam.Role.SYSTEM) return messages.get(i);
        }
        return null;
    }

    @Nullable
    String systemTextOrNull() {
        return systemText;
    }

    @Nullable
    List<TextParam> systemBlocksOrNull() {
        return systemBlocks;
    }

    @Nullable
    ToolChoice toolChoiceOrNull() {
        return toolChoice;
    }

    @Nullable
    ThinkingConfig thinkingOrNull() {
        return thinking;
    }

    @Nullable
    Double temperatureOrNull() {
        return temperature;
    }

    @Nullable
    Double topPOrNull() {
        return topP;
    }

    @Nullable
    Integer topKOrNull() {
        return topK;
    }

    @Nullable
    List<String> stopSequencesOrNull() {
        return stopSequences;
    }

    @Nullable
    String userIdOrNull() {
        return userId;
    }

    @Nullable
    Map<String, Object> outputFormatOrNull() {
        return outputFormat;
    }

    @Nullable
    String effortOrNull() {
        return effort;
    }

    /** Shows the model and sizes, never message text. */
    @Override
    public String toString() {
        return "MessageRequest[model=" + model + ", maxTokens=" + maxTokens + ", messages=" + messages.size()
                + ", tools=" + tools.size() + "]";
    }

    /**
     * Builds a {@link MessageRequest}. Each setter checks its argument at once and names it in the
     * exception; {@link #build()} says what is missing. Not thread-safe.
     */
    public static final class Builder {
        /** The fields the builder writes itself; {@link #extra} may not name them. */
        static final Set<String> KNOWN_FIELDS = Set.of(
                "model",
                "max_tokens",
                "messages",
                "system",
                "tools",
                "tool_choice",
                "thinking",
                "temperature",
                "top_p",
                "top_k",
                "stop_sequences",
                "metadata",
                "stream");

        private @Nullable String model;
        private int maxTokens;
        private final List<MessageParam> messages = new ArrayList<>();
        private @Nullable String systemText;
        private @Nullable List<TextParam> systemBlocks;
        private final Map<String, ToolParam> tools = new LinkedHashMap<>();
        private @Nullable ToolChoice toolChoice;
        private @Nullable ThinkingConfig thinking;
        private @Nullable Double temperature;
        private @Nullable Double topP;
        private @Nullable Integer topK;
        private @Nullable List<String> stopSequences;
        private @Nullable String userId;
        private @Nullable Map<String, Object> outputFormat;
        private @Nullable String effort;
        private final List<String> betas = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the model, such as {@code claude-sonnet-5-5}. Required.
         *
         * @throws IllegalArgumentException if {@code model} is null or blank
         */
        public Builder model(String model) {
            if (model == null || model.isBlank())
                throw new IllegalArgumentException("model must not be blank: " + model);
            this.model = model;
            return this;
        }

        /**
         * Sets the most tokens to generate. Required.
         *
         * @throws IllegalArgumentException if {@code maxTokens} is less than 1
         */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be at least 1, not " + maxTokens);
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * Replaces the conversation.
         *
         * @throws NullPointerException if the list or a message is null
         */
        public Builder messages(List<MessageParam> messages) {
            List<MessageParam> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
            this.messages.clear();
            this.messages.addAll(copy);
            return this;
        }

        /** Appends a message. @throws NullPointerException if {@code message} is null */
        public Builder addMessage(MessageParam message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends a user message of one text block. @throws NullPointerException if {@code text} is null */
        public Builder addUserMessage(String text) {
            return addMessage(MessageParam.user(Objects.requireNonNull(text, "text")));
        }

        /** Appends an assistant message of one text block. @throws NullPointerException if {@code text} is null */
        public Builder addAssistantMessage(String text) {
            return addMessage(MessageParam.assistant(Objects.requireNonNull(text, "text")));
        }

        /**
         * Appends a mid-conversation system message of one text block ({@link MessageParam#system(String)}),
         * after at least one user message. @throws NullPointerException if {@code text} is null
         */
        public Builder addSystemMessage(String text) {
            return addMessage(MessageParam.system(Objects.requireNonNull(text, "text")));
        }

        /** Sets the system prompt as a string. @throws NullPointerException if {@code system} is null */
        public Builder system(String system) {
            systemText = Objects.requireNonNull(system, "system");
            systemBlocks = null;
            return this;
        }

        /**
         * Sets the system prompt as text blocks (for cache control or citations).
         *
         * @throws IllegalArgumentException if {@code system} is empty
         * @throws NullPointerException if the list or a block is null
         */
        public Builder system(List<TextParam> system) {
            List<TextParam> copy = List.copyOf(Objects.requireNonNull(system, "system"));
            if (copy.isEmpty()) throw new IllegalArgumentException("system must have at least one block");
            systemBlocks = copy;
            systemText = null;
            return this;
        }

        /** Replaces the tools. @throws IllegalArgumentException if two tools share a name */
        public Builder tools(List<? extends ToolParam> tools) {
            List<ToolParam> copy = List.copyOf(Objects.requireNonNull(tools, "tools"));
            this.tools.clear();
            copy.forEach(this::addTool);
            return this;
        }

        /** Adds a tool. @throws IllegalArgumentException if a tool of that name was added already */
        public Builder addTool(ToolParam tool) {
            Objects.requireNonNull(tool, "tool");
            if (tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("tool names must be unique: " + tool.name() + " was added already");
            }
            return this;
        }

        /** Sets how the model should use the tools. @throws NullPointerException if null */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
            return this;
        }

        /** Sets extended thinking. @throws NullPointerException if null */
        public Builder thinking(ThinkingConfig thinking) {
            this.thinking = Objects.requireNonNull(thinking, "thinking");
            return this;
        }

        /** Sets the temperature. @throws IllegalArgumentException if not within 0..1 */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 1)) {
                throw new IllegalArgumentException("temperature must be within 0..1, not " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Sets nucleus sampling. @throws IllegalArgumentException if not within 0..1 */
        public Builder topP(double topP) {
            if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("topP must be within 0..1, not " + topP);
            this.topP = topP;
            return this;
        }

        /** Sets top-k sampling. @throws IllegalArgumentException if negative */
        public Builder topK(int topK) {
            if (topK < 0) throw new IllegalArgumentException("topK must not be negative: " + topK);
            this.topK = topK;
            return this;
        }

        /**
         * Sets the stop sequences.
         *
         * @throws IllegalArgumentException if a sequence is empty
         * @throws NullPointerException if the list or a sequence is null
         */
        public Builder stopSequences(List<String> stopSequences) {
            List<String> copy = List.copyOf(Objects.requireNonNull(stopSequences, "stopSequences"));
            for (String s : copy) {
                if (s.isEmpty()) throw new IllegalArgumentException("stopSequences must not contain an empty string");
            }
            this.stopSequences = copy;
            return this;
        }

        /**
         * Sets {@code metadata.user_id}: an opaque id of your end user (no name, email or phone).
         *
         * @throws IllegalArgumentException if blank or longer than 256 characters
         */
        public Builder userId(String userId) {
            if (userId == null || userId.isBlank() || userId.length() > 256) {
                throw new IllegalArgumentException("userId must be 1 to 256 non-blank characters: " + userId);
            }
            this.userId = userId;
            return this;
        }

        /**
         * Asks for the answer as JSON matching a schema (structured output): sent as
         * {@code "output_config": {"format": {"type": "json_schema", "schema": S}}}, and the JSON
         * arrives as the text of the answer. Claude Sonnet 4.5, Opus 4.5, Haiku 4.5 and later
         * models take it; the API refuses it with an assistant prefill. Other members of
         * {@code output_config} (such as {@code effort}) may be set with
         * {@link #extra(String, Object) extra("output_config", ..)}: the format is added to them.
         *
         * @param schema the JSON Schema, with {@code "type": "object"}
         * @return this builder
         * @throws NullPointerException if schema is null
         * @throws IllegalArgumentException if the schema is not a JSON object of the value model with
         *     {@code "type": "object"}
         */
        public Builder outputFormat(Map<String, ?> schema) {
            Map<String, Object> copy = JsonValues.copyObject(schema, "outputFormat schema");
            if (!"object".equals(copy.get("type"))) {
                throw new IllegalArgumentException(
                        "the outputFormat schema must have \"type\": \"object\", not " + copy.get("type"));
            }
            this.outputFormat = copy;
            return this;
        }

        /**
         * Sets how many tokens Claude spends ({@code "output_config": {"effort": E}}, beside the
         * format), as the official SDK's {@code OutputConfig.Effort}: {@code low}, {@code medium},
         * {@code high}, {@code xhigh} or {@code max}. Claude Opus 4.5 and 4.6+ take it (which values,
         * per model: docs/models.md); Claude Haiku 4.5 refuses it. Pair it with
         * {@link ThinkingConfig#adaptive()}.
         *
         * @param effort the effort level
         * @return this builder
         * @throws IllegalArgumentException if the level is none of the five
         */
        public Builder effort(String effort) {
            checkEffort(effort);
            this.effort = effort;
            return this;
        }

        /**
         * Reuses a code-execution container ({@code "container": id}), as a response's
         * {@link Message#container()} named it, until it expires.
         *
         * @param containerId the container's id
         * @return this builder
         * @throws IllegalArgumentException if the id is blank
         */
        public Builder container(String containerId) {
            if (containerId == null || containerId.isBlank())
                throw new IllegalArgumentException("containerId must not be blank");
            extra.put("container", containerId);
            return this;
        }

        /**
         * Turns on context management ({@code "context_management":{"edits":[..]}}), for example
         * server-side compaction, {@code Map.of("type", "compact_20260112")} (optionally with
         * {@code trigger} {@code {"type":"input_tokens","value":N}}, {@code instructions},
         * {@code pause_after_compaction}), or {@code clear_tool_uses_20250919} and
         * {@code clear_thinking_20251015} edits. The beta header each needs goes with the request
         * ({@link MessageRequest#betas()}). A response then may carry {@link CompactionBlock}s: send
         * them back unchanged (a {@link CompactionParam}, or through {@code ChatMessage.assistant(..)}).
         *
         * @param edits the edits, each a JSON object with a {@code type}, in order
         * @return this builder
         * @throws IllegalArgumentException if an edit has no string {@code type} or is not a JSON value
         */
        public Builder contextManagement(List<? extends Map<String, ?>> edits) {
            List<Object> list = new ArrayList<>(edits.size());
            for (Map<String, ?> e : edits) {
                if (!(e.get("type") instanceof String))
                    throw new IllegalArgumentException("a context edit needs a string type: " + e);
                list.add(e);
            }
            extra.put("context_management", JsonValues.copy(Map.of("edits", list), "context_management"));
            return this;
        }

        /**
         * Turns on server-side fallback ({@code "fallbacks":[..]}): when the model declines for
         * policy reasons, the API goes on with each of these in order, within the same response
         * (a {@link FallbackBlock} marks where; {@link Message#model()} then names the model that
         * answered). Each entry is a JSON object with {@code model} and optionally
         * {@code max_tokens}, {@code thinking}, {@code output_config} and {@code speed}. The beta
         * header goes with the request ({@link MessageRequest#betas()}).
         *
         * <p>The API also takes the string {@code "default"} instead of a list (Anthropic's own
         * choice of fallback models, on the models that offer it). This method takes a list only;
         * send that form with {@code extra("fallbacks", "default")}, which adds the same beta
         * header (any {@code fallbacks} field does).
         *
         * @param fallbacks the fallback models' entries, in order
         * @return this builder
         * @throws IllegalArgumentException if an entry has no string {@code model} or is not a JSON value
         */
        public Builder fallbacks(List<? extends Map<String, ?>> fallbacks) {
            for (Map<String, ?> f : fallbacks) {
                if (!(f.get("model") instanceof String))
                    throw new IllegalArgumentException("a fallback needs a string model: " + f);
            }
            extra.put("fallbacks", JsonValues.copy(List.copyOf(fallbacks), "fallbacks"));
            return this;
        }

        /**
         * Adds betas this request is sent with, in the {@code anthropic-beta} header (or, on a cloud
         * route that reads them from the body, its {@code anthropic_beta} field), after the client's
         * own ({@link AnthropicClient.Builder#beta(String...)}) and before those the request's fields
         * need ({@link MessageRequest#betas()}); each name once. As anthropic-java's
         * {@code MessageCreateParams.Builder.betas(List<AnthropicBeta>)} ({@code beta.messages().create(..)}):
         * a beta one request needs, such as {@code context-1m-2025-08-07} or a new beta this version does
         * not model, without a client of its own. {@code countTokens} and a resumed stream send them too.
         *
         * @param betas beta names, such as {@code context-1m-2025-08-07}
         * @return this builder
         * @throws IllegalArgumentException if a name is blank, holds a control character or a comma
         * @throws NullPointerException if {@code betas} is null
         */
        public Builder beta(String... betas) {
            return betas(List.of(Objects.requireNonNull(betas, "betas")));
        }

        /**
         * Adds betas this request is sent with, as {@link #beta(String...)}.
         *
         * @param betas beta names, in order
         * @return this builder
         * @throws IllegalArgumentException if a name is blank, holds a control character or a comma
         * @throws NullPointerException if the list or a name is null
         */
        public Builder betas(List<String> betas) {
            for (String b : List.copyOf(Objects.requireNonNull(betas, "betas"))) {
                String t = checkBeta(b);
                if (!this.betas.contains(t)) this.betas.add(t);
            }
            return this;
        }

        /**
         * Adds a top-level JSON field this version does not model, written after the known ones.
         * Setting the same field again replaces its value.
         *
         * @param field the JSON field name, such as {@code service_tier}
         * @param value a JSON value of the value model: Map, List, String, Long/Integer,
         *     BigInteger, BigDecimal/Double, Boolean or null
         * @throws IllegalArgumentException if the field is blank or one this builder sets itself
         *     (use its method), or the value is not a JSON value
         */
        public Builder extra(String field, Object value) {
            if (field == null || field.isBlank())
                throw new IllegalArgumentException("field must not be blank: " + field);
            if (KNOWN_FIELDS.contains(field)) {
                throw new IllegalArgumentException("field " + field + " is modelled: use its builder method"
                        + (field.equals("stream") ? " (streaming is chosen by the call that sends the request)" : ""));
            }
            extra.put(field, JsonValues.copy(value, "extra field " + field));
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalStateException if the model, maxTokens or every message is missing, the first
         *     message is a system message, or an {@link #outputFormat} goes with an extra {@code output_config} that is not an object
         *     or has a {@code format} of its own
         */
        public MessageRequest build() {
            if (model == null)
                throw new IllegalStateException(
                        "model is required: call model(..), for example model(\"claude-sonnet-5-5\")");
            if (maxTokens == 0)
                throw new IllegalStateException(
                        "maxTokens is required: call maxTokens(..), for example maxTokens(1024)");
            if (messages.isEmpty()) {
                throw new IllegalStateException(
                        "at least one message is required: call addUserMessage(..), addMessage(..) or messages(..)");
            }
            if (messages.getFirst().role() == MessageParam.Role.SYSTEM) {
                throw new IllegalStateException("the first message is a system message, which the API refuses: give"
                        + " the instructions with system(..), or put the message after the first user message");
            }
            Object config = extra.get("output_config");
            if (outputFormat != null
                    && config != null
                    && (!(config instanceof Map<?, ?> m) || m.containsKey("format"))) {
                throw new IllegalStateException("output_config.format is set twice, by outputFormat(..) and by"
                        + " extra(\"output_config\", ..): keep one");
            }
            return new MessageRequest(this);
        }
    }
}
