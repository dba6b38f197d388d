package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A tool that your code runs: the model answers with a {@link ToolUseBlock} whose input follows
 * {@code inputSchema}, and you send a {@link ToolResultParam} back.
 *
 * <pre>{@code
 * CustomTool weather = CustomTool.of("get_weather", "Current weather for a city",
 *         Map.of("type", "object",
 *                "properties", Map.of("city", Map.of("type", "string")),
 *                "required", List.of("city")));
 * }</pre>
 *
 * @param name the tool's name: 1 to 64 letters, digits, underscores or hyphens
 * @param description what the tool does and when to use it, or null
 * @param inputSchema the JSON Schema of the input, a JSON object of the value model with
 *     {@code "type": "object"}
 * @param cacheControl the {@code cache_control} object, or null
 * @param eagerInputStreaming {@code eager_input_streaming}: true to have the tool's input streamed
 *     as the model writes it, without buffering or validation (fine-grained tool streaming); the
 *     input may then be invalid or cut off, which the {@link ToolUseBlock} reports in
 *     {@link ToolUseBlock#inputError()} (never thrown); null to leave it unset
 * @param strict {@code strict}: true to have the tool's input always match {@code inputSchema}
 *     (strict tool use, part of structured outputs: the models whose {@code structured} column in
 *     docs/models.md is {@code native} take it); null to leave it unset
 * @param deferLoading {@code defer_loading}: true to keep the tool's definition out of the
 *     model's context until a tool search tool (a {@link ServerTool} of type
 *     {@code tool_search_tool_regex_20251119} or {@code tool_search_tool_bm25_20251119}) finds it;
 *     null to leave it unset
 * @param inputExamples {@code input_examples}: example inputs that show the model how the tool is
 *     called well (each a JSON object that should match {@code inputSchema}), or null to leave it unset
 * @param allowedCallers {@code allowed_callers}: who may call the tool, {@code direct} (the model,
 *     in a {@code tool_use} block) and or a code execution tool by its type
 *     ({@code code_execution_20250825}, {@code code_execution_20260120},
 *     {@code code_execution_20260521}: programmatic tool calling, the call made from the model's
 *     code); null to leave it unset (the API's default is {@code direct})
 *     <p>All as the official SDK's {@code com.anthropic.models.messages.Tool} (anthropic-java 3.14:
 *     {@code strict()}, {@code deferLoading()}, {@code inputExamples()}, {@code allowedCallers()}) and
 *     Anthropic's tool reference (https://platform.claude.com/docs/en/agents-and-tools/tool-use/tool-reference).
 */
public record CustomTool(
        String name,
        @Nullable String description,
        Map<String, Object> inputSchema,
        @Nullable Map<String, Object> cacheControl,
        @Nullable Boolean eagerInputStreaming,
        @Nullable Boolean strict,
        @Nullable Boolean deferLoading,
        @Nullable List<Map<String, Object>> inputExamples,
        @Nullable List<String> allowedCallers)
        implements ToolParam {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** {@code direct}, or a code execution tool's type (the SDK's open enum {@code Tool.AllowedCaller}). */
    private static final Pattern CALLER = Pattern.compile("direct|code_execution_\\d{8}");

    /**
     * @throws NullPointerException if {@code name} or {@code inputSchema} is null
     * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, {@code _} or
     *     {@code -}, or the schema is not a JSON object with {@code "type": "object"}
     */
    public CustomTool {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '_' or '-': '" + name + "'");
        }
        inputSchema = JsonValues.copyObject(inputSchema, "inputSchema");
        if (!"object".equals(inputSchema.get("type"))) {
            throw new IllegalArgumentException(
                    "inputSchema of tool " + name + " must have \"type\": \"object\", not " + inputSchema.get("type"));
        }
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
        if (inputExamples != null) {
            List<Map<String, Object>> examples = new ArrayList<>();
            for (Map<String, Object> e : inputExamples)
                examples.add(JsonValues.copyObject(e, "an input example of tool " + name));
            inputExamples = List.copyOf(examples);
        }
        if (allowedCallers != null) {
            allowedCallers = List.copyOf(allowedCallers);
            if (allowedCallers.isEmpty())
                throw new IllegalArgumentException("allowedCallers of tool " + name + " must not be empty");
            for (String caller : allowedCallers) {
                if (!CALLER.matcher(caller).matches()) {
                    throw new IllegalArgumentException("an allowed caller of tool " + name + " is direct or a code"
                            + " execution tool's type (code_execution_20260521, ...), not '" + caller + "'");
                }
            }
        }
    }

    /**
     * A tool without {@code input_examples} or {@code allowed_callers}.
     *
     * @throws NullPointerException if {@code name} or {@code inputSchema} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public CustomTool(
            String name,
            @Nullable String description,
            Map<String, Object> inputSchema,
            @Nullable Map<String, Object> cacheControl,
            @Nullable Boolean eagerInputStreaming,
            @Nullable Boolean strict,
            @Nullable Boolean deferLoading) {
        this(name, description, inputSchema, cacheControl, eagerInputStreaming, strict, deferLoading, null, null);
    }

    /**
     * A tool without {@code strict} or {@code defer_loading}.
     *
     * @throws NullPointerException if {@code name} or {@code inputSchema} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public CustomTool(
            String name,
            @Nullable String description,
            Map<String, Object> inputSchema,
            @Nullable Map<String, Object> cacheControl,
            @Nullable Boolean eagerInputStreaming) {
        this(name, description, inputSchema, cacheControl, eagerInputStreaming, null, null);
    }

    /**
     * A tool without {@code eager_input_streaming}.
     *
     * @throws NullPointerException if {@code name} or {@code inputSchema} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public CustomTool(
            String name,
            @Nullable String description,
            Map<String, Object> inputSchema,
            @Nullable Map<String, Object> cacheControl) {
        this(name, description, inputSchema, cacheControl, null);
    }

    /** {@return this tool with fine-grained input streaming ({@code eager_input_streaming}) on or off} */
    public CustomTool withEagerInputStreaming(boolean eager) {
        return new CustomTool(
                name,
                description,
                inputSchema,
                cacheControl,
                eager,
                strict,
                deferLoading,
                inputExamples,
                allowedCallers);
    }

    /**
     * {@return this tool with strict tool use ({@code strict}) on or off} With it on, the model's
     * input always matches {@code inputSchema}; the API holds the schema to the rules of structured
     * outputs.
     */
    public CustomTool withStrict(boolean strict) {
        return new CustomTool(
                name,
                description,
                inputSchema,
                cacheControl,
                eagerInputStreaming,
                strict,
                deferLoading,
                inputExamples,
                allowedCallers);
    }

    /**
     * {@return this tool with {@code defer_loading} on or off} A deferred tool stays out of the
     * model's context until a tool search tool in the same request finds it; keep the few tools used
     * most not deferred.
     */
    public CustomTool withDeferLoading(boolean deferLoading) {
        return new CustomTool(
                name,
                description,
                inputSchema,
                cacheControl,
                eagerInputStreaming,
                strict,
                deferLoading,
                inputExamples,
                allowedCallers);
    }

    /**
     * {@return this tool with example inputs ({@code input_examples})} Examples show the model the
     * conventions a schema cannot say (which optional fields go together, formats, nesting); the API
     * checks each against {@code inputSchema} and answers 400 to one that does not match.
     *
     * @param examples the example inputs, each a JSON object of the value model
     * @throws IllegalArgumentException if an example holds something that is not a JSON value
     */
    public CustomTool withInputExamples(List<? extends Map<String, ?>> examples) {
        List<Map<String, Object>> copies = new ArrayList<>();
        for (Map<String, ?> e : examples) copies.add(JsonValues.copyObject(e, "an input example of tool " + name));
        return new CustomTool(
                name,
                description,
                inputSchema,
                cacheControl,
                eagerInputStreaming,
                strict,
                deferLoading,
                copies,
                allowedCallers);
    }

    /**
     * {@return this tool callable by {@code callers} ({@code allowed_callers})} {@code direct} lets
     * the model call it in a {@code tool_use} block; a code execution tool's type (the one in the same
     * request, such as {@code code_execution_20260521}) lets the model's code call it (programmatic
     * tool calling), and the tool_use block's caller field then names that tool.
     *
     * @param callers {@code direct} and or code execution tool types
     * @throws IllegalArgumentException if there are none, or one is neither
     */
    public CustomTool withAllowedCallers(String... callers) {
        return new CustomTool(
                name,
                description,
                inputSchema,
                cacheControl,
                eagerInputStreaming,
                strict,
                deferLoading,
                inputExamples,
                List.of(callers));
    }

    /** {@return a tool without cache control} */
    public static CustomTool of(String name, @Nullable String description, Map<String, ?> inputSchema) {
        return new CustomTool(name, description, JsonValues.copyObject(inputSchema, "inputSchema"), null);
    }

    /** {@return this tool with the given {@code cache_control} object} */
    public CustomTool withCacheControl(Map<String, ?> cacheControl) {
        return new CustomTool(
                name,
                description,
                inputSchema,
                JsonValues.copyObject(cacheControl, "cacheControl"),
                eagerInputStreaming,
                strict,
                deferLoading,
                inputExamples,
                allowedCallers);
    }
}
