package dev.sluice.gemini;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Gemini {@code GenerateContentRequest}: the body of {@code models/{model}:streamGenerateContent}.
 * The model is not part of the body; it goes into the URL ({@link GeminiClient#streamGenerateContent}).
 *
 * <pre>{@code
 * GenerateContentRequest request = GenerateContentRequest.builder()
 *         .systemInstruction("Answer briefly.")
 *         .addContent(Content.user(Part.text("Why is the sky blue?")))
 *         .generationConfig(GenerationConfig.builder().maxOutputTokens(512).build())
 *         .build();
 * }</pre>
 *
 * @param contents the conversation, oldest first; not empty
 * @param systemInstruction the system instruction's text; empty for none
 * @param functionDeclarations the functions the model may call, sent as one
 *     {@code tools[{functionDeclarations}]} entry; possibly empty
 * @param generationConfig the generation settings; {@link GenerationConfig#isEmpty() empty} ones are left out
 * @param toolConfig how the model uses the functions ({@code toolConfig}), or null for Gemini's default
 * @param safetySettings how readily each harm category is blocked ({@code safetySettings}), at most
 *     one setting a category; empty for the API's defaults
 * @param cachedContent the name of a context cache to answer from ({@code cachedContent}): on the
 *     Gemini API {@code cachedContents/ID}, on Vertex AI
 *     {@code projects/P/locations/L/cachedContents/ID}; a bare id or the short form is completed for
 *     the client's API, as the official SDK does. Null for none. The cache holds the system
 *     instruction, tools and tool config; a request that names one may set none of them (the API
 *     refuses that with 400 {@code CachedContent can not be used with GenerateContent request setting
 *     system_instruction, tools or tool_config}; https://ai.google.dev/gemini-api/docs/caching)
 * @param builtInTools the tools Gemini runs itself ({@link BuiltInTool}: Google Search, code
 *     execution, URL context), each its own {@code tools} entry after the functions'; possibly empty
 * @param extra top-level JSON fields this version does not model (Vertex AI's {@code labels}, a
 *     field newer than this version), written after the known ones in their order; none of the
 *     fields above. The escape the other APIs' requests have ({@code MessageRequest.Builder.extra},
 *     {@code ResponseRequest.Builder.extra}); google-genai 2.0 has none, its request types being generated
 */
public record GenerateContentRequest(
        List<Content> contents,
        String systemInstruction,
        List<FunctionDeclaration> functionDeclarations,
        GenerationConfig generationConfig,
        @Nullable ToolConfig toolConfig,
        List<SafetySetting> safetySettings,
        @Nullable String cachedContent,
        List<BuiltInTool> builtInTools,
        Map<String, Object> extra) {

    /** The top-level fields the components write: an extra field may be none of them. */
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "contents",
            "systemInstruction",
            "tools",
            "toolConfig",
            "safetySettings",
            "cachedContent",
            "generationConfig");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if contents is empty, two functions share a name, two safety
     *     settings share a category, a built-in tool is there twice, the cached content's name is
     *     blank, a cached content goes with a system instruction, functions, built-in tools or a
     *     tool config, or an extra field is blank, one the components write, or not a JSON value
     */
    public GenerateContentRequest {
        contents = List.copyOf(Objects.requireNonNull(contents, "contents"));
        if (contents.isEmpty()) throw new IllegalArgumentException("contents must not be empty");
        Objects.requireNonNull(systemInstruction, "systemInstruction");
        functionDeclarations = List.copyOf(Objects.requireNonNull(functionDeclarations, "functionDeclarations"));
        List<FunctionDeclaration> functions = functionDeclarations;
        requireEachNew(
                functions,
                FunctionDeclaration::name,
                f -> "function names must be unique: "
                        + functions.stream().map(FunctionDeclaration::name).toList());
        Objects.requireNonNull(generationConfig, "generationConfig");
        safetySettings = List.copyOf(Objects.requireNonNull(safetySettings, "safetySettings"));
        List<SafetySetting> settings = safetySettings;
        requireEachNew(
                settings,
                SafetySetting::category,
                s -> "safetySettings must have at most one setting a category: "
                        + settings.stream().map(SafetySetting::category).toList());
        builtInTools = List.copyOf(Objects.requireNonNull(builtInTools, "builtInTools"));
        List<BuiltInTool> tools = builtInTools;
        requireEachNew(tools, t -> t, t -> "each built-in tool may be added once: " + tools);
        if (cachedContent != null) {
            checkCachedContent(cachedContent);
            if (!systemInstruction.isEmpty()
                    || !functionDeclarations.isEmpty()
                    || !builtInTools.isEmpty()
                    || toolConfig != null) {
                throw new IllegalArgumentException("a request with cachedContent " + cachedContent
                        + " may not set a system instruction, tools or a tool config: Gemini refuses them"
                        + " (put them in the cache when you create it)");
            }
        }
        for (String field : Objects.requireNonNull(extra, "extra").keySet()) checkExtra(field);
        extra = JsonValues.copyObject(extra, "extra");
    }

    /**
     * A request without extra fields.
     *
     * @param contents the conversation, oldest first
     * @param systemInstruction the system instruction's text; empty for none
     * @param functionDeclarations the functions the model may call
     * @param generationConfig the generation settings
     * @param toolConfig how the model uses the functions, or null for Gemini's default
     * @param safetySettings how readily each harm category is blocked
     * @param cachedContent the name of a context cache to answer from, or null
     * @param builtInTools the tools Gemini runs itself
     * @throws NullPointerException if a component that may not be null is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public GenerateContentRequest(
            List<Content> contents,
            String systemInstruction,
            List<FunctionDeclaration> functionDeclarations,
            GenerationConfig generationConfig,
            @Nullable ToolConfig toolConfig,
            List<SafetySetting> safetySettings,
            @Nullable String cachedContent,
            List<BuiltInTool> builtInTools) {
        this(
                contents,
                systemInstruction,
                functionDeclarations,
                generationConfig,
                toolConfig,
                safetySettings,
                cachedContent,
                builtInTools,
                Map.of());
    }

    /*
     * The checks the canonical constructor makes and the builder makes as each part is added (so that its setter
     * throws, not build()): each written once, here.
     */

    /**
     * Throws if an item's key is already among those before it.
     *
     * @param message the message, given the repeated item
     */
    private static <T> void requireEachNew(List<T> items, Function<T, ?> key, Function<T, String> message) {
        for (int i = 1; i < items.size(); i++) requireNew(items.subList(0, i), items.get(i), key, message);
    }

    /**
     * Throws if {@code added}'s key is already among {@code before}'s.
     *
     * @param message the message, given {@code added}
     */
    private static <T> void requireNew(List<T> before, T added, Function<T, ?> key, Function<T, String> message) {
        Object k = key.apply(added);
        for (T t : before) if (key.apply(t).equals(k)) throw new IllegalArgumentException(message.apply(added));
    }

    private static void checkCachedContent(@Nullable String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("cachedContent must not be blank");
    }

    private static void checkExtra(String field) {
        if (field == null || field.isBlank()) throw new IllegalArgumentException("field must not be blank: " + field);
        if (KNOWN_FIELDS.contains(field))
            throw new IllegalArgumentException("field " + field + " is modelled: use its builder method");
    }

    /**
     * A request without built-in tools.
     *
     * @param contents the conversation, oldest first
     * @param systemInstruction the system instruction's text; empty for none
     * @param functionDeclarations the functions the model may call
     * @param generationConfig the generation settings
     * @param toolConfig how the model uses the functions, or null for Gemini's default
     * @param safetySettings how readily each harm category is blocked
     * @param cachedContent the name of a context cache to answer from, or null
     * @throws NullPointerException if a component that may not be null is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public GenerateContentRequest(
            List<Content> contents,
            String systemInstruction,
            List<FunctionDeclaration> functionDeclarations,
            GenerationConfig generationConfig,
            @Nullable ToolConfig toolConfig,
            List<SafetySetting> safetySettings,
            @Nullable String cachedContent) {
        this(
                contents,
                systemInstruction,
                functionDeclarations,
                generationConfig,
                toolConfig,
                safetySettings,
                cachedContent,
                List.of());
    }

    /**
     * A request without safety settings or cached content.
     *
     * @param contents the conversation, oldest first
     * @param systemInstruction the system instruction's text; empty for none
     * @param functionDeclarations the functions the model may call
     * @param generationConfig the generation settings
     * @param toolConfig how the model uses the functions, or null for Gemini's default
     * @throws NullPointerException if a component but the tool config is null
     * @throws IllegalArgumentException if contents is empty or two functions share a name
     */
    public GenerateContentRequest(
            List<Content> contents,
            String systemInstruction,
            List<FunctionDeclaration> functionDeclarations,
            GenerationConfig generationConfig,
            @Nullable ToolConfig toolConfig) {
        this(contents, systemInstruction, functionDeclarations, generationConfig, toolConfig, List.of(), null);
    }

    /** {@return this request naming the cache {@code name}} For the client's completion of the name. */
    GenerateContentRequest withCachedContent(String name) {
        return new GenerateContentRequest(
                contents,
                systemInstruction,
                functionDeclarations,
                generationConfig,
                toolConfig,
                safetySettings,
                name,
                builtInTools,
                extra);
    }

    /**
     * A request without a tool config.
     *
     * @param contents the conversation, oldest first
     * @param systemInstruction the system instruction's text; empty for none
     * @param functionDeclarations the functions the model may call
     * @param generationConfig the generation settings
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if contents is empty or two functions share a name
     */
    public GenerateContentRequest(
            List<Content> contents,
            String systemInstruction,
            List<FunctionDeclaration> functionDeclarations,
            GenerationConfig generationConfig) {
        this(contents, systemInstruction, functionDeclarations, generationConfig, null);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the request as Gemini's JSON body} */
    public String toJson() {
        return GeminiJson.request(this);
    }

    /** Builds a {@link GenerateContentRequest}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final List<Content> contents = new ArrayList<>();
        private String systemInstruction = "";
        private final List<FunctionDeclaration> functions = new ArrayList<>();
        private GenerationConfig generationConfig = GenerationConfig.builder().build();
        private @Nullable ToolConfig toolConfig;
        private final List<SafetySetting> safetySettings = new ArrayList<>();
        private @Nullable String cachedContent;
        private final List<BuiltInTool> builtInTools = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds the next turn of the conversation.
         *
         * @param content the turn
         * @return this builder
         * @throws NullPointerException if content is null
         */
        public Builder addContent(Content content) {
            contents.add(Objects.requireNonNull(content, "content"));
            return this;
        }

        /**
         * Sets the system instruction.
         *
         * @param text its text, empty for none
         * @return this builder
         * @throws NullPointerException if text is null
         */
        public Builder systemInstruction(String text) {
            this.systemInstruction = Objects.requireNonNull(text, "systemInstruction");
            return this;
        }

        /**
         * Adds a function the model may call.
         *
         * @param function the declaration, its name not used by another
         * @return this builder
         * @throws IllegalArgumentException if a function of that name was already added
         */
        public Builder addFunction(FunctionDeclaration function) {
            requireNew(
                    functions,
                    Objects.requireNonNull(function, "function"),
                    FunctionDeclaration::name,
                    f -> "a function named " + f.name() + " was already added");
            functions.add(function);
            return this;
        }

        /**
         * Offers a tool Gemini runs itself ({@code tools: [{"googleSearch": {}}]} and the like), beside
         * the functions.
         *
         * @param tool the tool
         * @return this builder
         * @throws IllegalArgumentException if it was already added
         */
        public Builder addBuiltInTool(BuiltInTool tool) {
            requireNew(builtInTools, Objects.requireNonNull(tool, "tool"), t -> t, t -> t + " was already added");
            builtInTools.add(tool);
            return this;
        }

        /**
         * Sets the generation settings.
         *
         * @param generationConfig the settings
         * @return this builder
         * @throws NullPointerException if generationConfig is null
         */
        public Builder generationConfig(GenerationConfig generationConfig) {
            this.generationConfig = Objects.requireNonNull(generationConfig, "generationConfig");
            return this;
        }

        /**
         * Sets how the model uses the functions.
         *
         * @param toolConfig the tool config
         * @return this builder
         * @throws NullPointerException if toolConfig is null
         */
        public Builder toolConfig(ToolConfig toolConfig) {
            this.toolConfig = Objects.requireNonNull(toolConfig, "toolConfig");
            return this;
        }

        /**
         * Adds a safety setting ({@code safetySettings}).
         *
         * @param setting the setting, for a category no other setting has
         * @return this builder
         * @throws IllegalArgumentException if a setting of that category was already added
         */
        public Builder addSafetySetting(SafetySetting setting) {
            requireNew(
                    safetySettings,
                    Objects.requireNonNull(setting, "setting"),
                    SafetySetting::category,
                    s -> "a safety setting of " + s.category() + " was already added");
            safetySettings.add(setting);
            return this;
        }

        /**
         * Answers from a context cache ({@code cachedContent}), which holds the system instruction,
         * tools and tool config: set none of them here.
         *
         * @param name the cache's name ({@code cachedContents/ID}, the Vertex AI resource name, or the id)
         * @return this builder
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder cachedContent(String name) {
            checkCachedContent(name);
            this.cachedContent = name;
            return this;
        }

        /**
         * Adds a top-level JSON field this version does not model, written after the known ones
         * (Vertex AI's {@code "labels": {"team": "search"}}, say). Setting the same field again
         * replaces its value. What it carries is sent as set: the model table does not check it.
         *
         * @param field the JSON field name
         * @param value a JSON value of the value model: Map, List, String, Long/Integer, BigInteger,
         *     BigDecimal/Double, Boolean or null
         * @return this builder
         * @throws IllegalArgumentException if the field is blank or one this builder sets itself
         *     (use its method), or the value is not a JSON value
         */
        public Builder extra(String field, @Nullable Object value) {
            checkExtra(field);
            extra.put(field, JsonValues.copy(value, "extra field " + field));
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalStateException if no content was added
         * @throws IllegalArgumentException if a cached content goes with a system instruction,
         *     functions or a tool config
         */
        public GenerateContentRequest build() {
            if (contents.isEmpty())
                throw new IllegalStateException("at least one content is required: call addContent(..)");
            return new GenerateContentRequest(
                    contents,
                    systemInstruction,
                    functions,
                    generationConfig,
                    toolConfig,
                    safetySettings,
                    cachedContent,
                    builtInTools,
                    extra);
        }
    }
}
