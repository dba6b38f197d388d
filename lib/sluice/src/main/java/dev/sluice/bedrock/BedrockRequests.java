package dev.sluice.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClaudeThinking;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps a neutral {@link ChatRequest} to the JSON body of {@code ConverseStream}.
 *
 * <ul>
 *   <li>{@code system}: {@code [{"text": system}]} when the system prompt is not blank;
 *   <li>{@code messages}: each message with its role; a user message's tool results first
 *       ({@code {"toolResult":{"toolUseId","content":[{"json":..}|{"text":..}],"status":"error"?}}},
 *       {@code json} when the result is a JSON object; the images the tool returned as {@code image}
 *       blocks before it), then its images, then its text; an assistant message's
 *       reasoning blocks first (its {@value BedrockChunks#PROVIDER} {@link ProviderState}, verbatim:
 *       signatures and redacted content byte for byte), then its text, then its tool calls
 *       ({@code {"toolUse":{"toolUseId","name","input"}}}, the arguments as a JSON object;
 *       empty arguments are {@code {}});
 *   <li>{@code inferenceConfig}: {@code maxTokens}, {@code temperature}, {@code stopSequences}, those set;
 *   <li>{@code toolConfig}: {@code {"tools":[{"toolSpec":{"name","description","inputSchema":{"json":S}}}],
 *       "toolChoice":{"auto":{}}|{"any":{}}|{"tool":{"name"}}}}; Converse has no choice that forbids
 *       tools, so {@code none} leaves the tools out unless the history holds tool calls (Bedrock
 *       then needs them declared), and then sends no choice;
 *   <li>for Claude, the effort and thinking budget in {@code additionalModelRequestFields} as the
 *       model takes them ({@link ClaudeThinking}: {@code "thinking":{"type":"adaptive"}} with
 *       {@code "output_config":{"effort":E}} from Claude 4.6 on, {@code "thinking":{"type":"enabled",
 *       "budget_tokens":N}} before); no temperature to a Claude that refuses sampling parameters;
 *       another model's thinking budget as that same {@code thinking} field; a forced tool choice or
 *       a last assistant message (a prefill) asked of a Claude that refuses it is refused before
 *       anything is sent;
 *   <li>a response format: natively as {@code "outputConfig":{"textFormat":{"type":"json_schema",
 *       "structure":{"jsonSchema":{"schema":"<the schema as JSON text>","name":N}}}}} (the JSON then
 *       arrives as text) to models with Bedrock structured outputs ({@link #NATIVE_SCHEMA}: Claude
 *       4.5 and later), else as a forced tool call ({@link StructuredOutputs}); the client's
 *       {@link StructuredOutputMode} overrides the choice;
 *   <li>the client's {@code guardrailConfig}, {@code serviceTier}, {@code performanceConfig},
 *       {@code requestMetadata} and {@code extra} fields, when its builder set them, last.
 * </ul>
 * Stateless.
 */
final class BedrockRequests {
    /** The block a cache mark sends: the prompt up to it is cached (Converse's CachePointBlock). */
    private static final Map<String, Object> CACHE_POINT = Map.of("cachePoint", Map.of("type", "default"));

    /** The models whose Converse takes {@code outputConfig.textFormat}: Claude 4.5 and later, by their ids' spelling. */
    static final Pattern NATIVE_SCHEMA = Pattern.compile(".*claude-(opus|sonnet|haiku)-(4-[5-9]|[5-9])(\\D.*|$)");

    private BedrockRequests() {}

    /**
     * {@return the request's JSON body}
     *
     * @throws IllegalArgumentException if a tool call's arguments are not a JSON object, the
     *     response format goes as a tool while the tool choice is {@code none}, or the request asks a
     *     Claude model for what its row of the model table says it refuses (an effort it cannot take, a
     *     forced tool choice, an assistant prefill), naming the model
     */
    static String of(ChatRequest request, StructuredOutputMode mode) {
        return of(request, mode, Map.of());
    }

    /**
     * {@return the request's JSON body, with the client's own top-level fields ({@code guardrailConfig},
     * {@code serviceTier}, ..., its {@code extra} ones) after the request's}
     *
     * @throws IllegalArgumentException as {@link #of(ChatRequest, StructuredOutputMode)}
     */
    static String of(ChatRequest request, StructuredOutputMode mode, Map<String, Object> clientFields) {
        StructuredOutputs.Plan plan = StructuredOutputs.plan(
                request,
                mode,
                model -> claude(model)
                        .map(ModelCapabilities::nativeStructuredOutput)
                        .orElseGet(() -> NATIVE_SCHEMA
                                .matcher(StructuredOutputs.modelName(model))
                                .matches()));
        ChatRequest r = plan.request();
        ModelCapabilities caps = claude(r.model()).orElse(null);
        if (caps != null && r.maxTokens() != null) caps.checkMaxOutputTokens(r.maxTokens());
        ChatMessage last = r.messages().getLast();
        if (caps != null && last.role() == ChatMessage.Role.ASSISTANT && last.providerState() == null)
            caps.checkPrefill(r.model());
        if (caps != null
                && !r.tools().isEmpty()
                && (r.toolChoice() instanceof ToolChoice.Required || r.toolChoice() instanceof ToolChoice.Named)) {
            caps.checkForcedToolChoice(
                    r.model(), r.toolChoice() instanceof ToolChoice.Required ? "toolChoice any" : "toolChoice tool");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        List<Object> messages = new ArrayList<>();
        boolean toolBlocks = false;
        for (ChatMessage m : r.messages()) {
            List<Object> content = new ArrayList<>();
            if (m.role() == ChatMessage.Role.USER) {
                for (ToolResult t : m.toolResults()) content.add(Map.of("toolResult", toolResult(t)));
                List<String> names = new ArrayList<>();
                if (!m.files().isEmpty())
                    throw new IllegalArgumentException("Bedrock Converse takes no file ids ("
                            + m.files().getFirst().id() + "): send the file's bytes (Document, Image)");
                long documents =
                        m.documents().stream().filter(d -> !d.isAudio()).count();
                for (Document d : m.documents())
                    content.add(d.isAudio() ? Map.of("audio", audio(d)) : Map.of("document", document(d, names)));
                for (Image image : m.images()) content.add(Map.of("image", image(image)));
                if (!m.text().isEmpty()) content.add(Map.of("text", m.text()));
                else if (documents > 0) // Converse refuses a document without a text block beside it
                content.add(Map.of("text", documents == 1 ? "See the document." : "See the documents."));
            } else {
                content.addAll(reasoning(m.providerState()));
                if (!m.text().isEmpty()) content.add(Map.of("text", m.text()));
                for (ToolCall c : m.toolCalls()) content.add(Map.of("toolUse", toolUse(c)));
            }
            toolBlocks |= !m.toolResults().isEmpty() || !m.toolCalls().isEmpty();
            if (content.isEmpty()) continue; // a message of provider state another provider wrote: nothing for Bedrock
            if (m.cacheMark()) content.add(CACHE_POINT);
            String role = m.role() == ChatMessage.Role.USER ? "user" : "assistant";
            if (!messages.isEmpty()
                    && messages.getLast() instanceof Map<?, ?> previous
                    && role.equals(previous.get("role"))
                    && previous.get("content")
                            instanceof List<?> before) { // Converse alternates: one turn, blocks apart
                List<Object> joined = new ArrayList<>(before);
                joined.addAll(content);
                messages.set(messages.size() - 1, obj("role", role, "content", joined));
            } else {
                messages.add(obj("role", role, "content", content));
            }
        }
        body.put("messages", messages);
        if (!r.system().isBlank()) {
            PromptCache cache = r.promptCache();
            body.put(
                    "system",
                    cache != null && cache.system()
                            ? List.of(Map.of("text", r.system()), CACHE_POINT)
                            : List.of(Map.of("text", r.system())));
        }
        Map<String, Object> inference = new LinkedHashMap<>();
        if (r.maxTokens() != null) inference.put("maxTokens", r.maxTokens());
        if (r.temperature() != null && (caps == null || caps.sampling())) inference.put("temperature", r.temperature());
        if (!r.stopSequences().isEmpty()) inference.put("stopSequences", r.stopSequences());
        if (!inference.isEmpty()) body.put("inferenceConfig", inference);
        boolean none = r.toolChoice() instanceof ToolChoice.None;
        if (!r.tools().isEmpty() && (!none || toolBlocks)) {
            Map<String, Object> config = new LinkedHashMap<>();
            List<Object> tools = new ArrayList<>();
            for (Tool t : r.tools()) tools.add(Map.of("toolSpec", toolSpec(t)));
            config.put("tools", tools);
            Object choice = switch (r.toolChoice()) {
                case null -> null;
                case ToolChoice.Auto a -> Map.of("auto", Map.of());
                case ToolChoice.Required q -> Map.of("any", Map.of());
                case ToolChoice.Named(String name) -> Map.of("tool", Map.of("name", name));
                case ToolChoice.None n -> null;
            };
            if (choice != null) config.put("toolChoice", choice);
            body.put("toolConfig", config);
        }
        ResponseFormat format = r.responseFormat();
        if (format != null) {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("schema", Json.write(format.schema()));
            schema.put("name", format.name());
            body.put(
                    "outputConfig",
                    Map.of("textFormat", obj("type", "json_schema", "structure", Map.of("jsonSchema", schema))));
        }
        boolean claude = caps != null || StructuredOutputs.modelName(r.model()).contains("claude-");
        Map<String, Object> additional = new LinkedHashMap<>();
        if (claude) {
            ClaudeThinking thinking = ClaudeThinking.plan(r, caps);
            if (thinking.budget() != null) {
                additional.put("thinking", obj("type", "enabled", "budget_tokens", thinking.budget()));
            } else if (thinking.type() != null) {
                additional.put(
                        "thinking",
                        thinking.display() == null
                                ? Map.of("type", thinking.type())
                                : obj("type", thinking.type(), "display", thinking.display()));
            }
            if (thinking.effort() != null) additional.put("output_config", Map.of("effort", thinking.effort()));
        } else if (r.thinkingBudget() != null) {
            additional.put("thinking", obj("type", "enabled", "budget_tokens", r.thinkingBudget()));
        }
        if (!additional.isEmpty()) body.put("additionalModelRequestFields", additional);
        body.putAll(clientFields);
        return JsonOut.write(body);
    }

    /** {@return the catalog's row of a Claude model, by its Bedrock id} */
    private static Optional<ModelCapabilities> claude(String model) {
        return ModelCatalog.find(model).filter(c -> c.maker() == ModelCapabilities.Maker.ANTHROPIC);
    }

    /** {@return an object of these names and values, in this order} */
    private static Map<String, Object> obj(Object... namesAndValues) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) o.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return o;
    }

    private static Map<String, Object> toolSpec(Tool t) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", t.name());
        if (t.description() != null && !t.description().isEmpty()) spec.put("description", t.description());
        spec.put("inputSchema", Map.of("json", t.inputSchema()));
        return spec;
    }

    private static Map<String, Object> toolUse(ToolCall c) {
        Object input;
        String args = c.arguments().isBlank() ? "{}" : c.arguments();
        try {
            input = Json.readValue(args);
        } catch (JsonProcessingException e) {
            input = null;
        }
        if (!(input instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the arguments of tool call " + c.id() + " (" + c.name()
                    + ") are not a JSON object, which Converse requires as a toolUse input: "
                    + Json.truncate(args, 100));
        }
        Map<String, Object> use = new LinkedHashMap<>();
        use.put("toolUseId", c.id());
        use.put("name", c.name());
        use.put("input", input);
        return use;
    }

    private static Map<String, Object> toolResult(ToolResult t) {
        Object json = null;
        try {
            json = Json.readValue(t.content());
        } catch (JsonProcessingException notJson) {
            // sent as text
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("toolUseId", t.toolCallId());
        // a tool's images go in its result (ToolResultContentBlock: json, text, image, document, video), before its
        // text
        List<Object> content = new ArrayList<>();
        for (Image image : t.images()) content.add(Map.of("image", image(image)));
        if (json instanceof Map<?, ?>) content.add(Map.of("json", json));
        else if (!t.content().isEmpty() || content.isEmpty()) content.add(Map.of("text", t.content()));
        result.put("content", content);
        if (t.isError()) result.put("status", "error");
        return result;
    }

    /** {@return the reasoning blocks of Bedrock's provider state, each as a {@code reasoningContent} block; none for another provider's} */
    private static List<Object> reasoning(@Nullable ProviderState state) {
        if (state == null || !state.provider().equals(BedrockChunks.PROVIDER)) return List.of();
        Object blocks;
        try {
            blocks = Json.readValue(state.data());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the Bedrock provider state of an assistant message is not the JSON this"
                            + " client wrote; send the message back as the response gave it",
                    e);
        }
        List<Object> content = new ArrayList<>();
        if (blocks instanceof List<?> list) {
            for (Object b : list) if (b instanceof Map<?, ?>) content.add(Map.of("reasoningContent", b));
        }
        return content;
    }

    /**
     * {@return a document block: its format, a name Converse takes (the filename's letters, digits,
     * spaces, hyphens, parentheses and brackets, unique within the message) and its bytes}
     *
     * @param names the names given before in the message, to which this one is added
     * @throws IllegalArgumentException for a type Converse does not read
     */
    private static Map<String, Object> document(Document d, List<String> names) {
        String format = switch (d.mediaType()) {
            case "application/pdf" -> "pdf";
            case "text/plain" -> "txt";
            case "text/csv" -> "csv";
            case "text/html" -> "html";
            case "text/markdown" -> "md";
            case "application/msword" -> "doc";
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
            case "application/vnd.ms-excel" -> "xls";
            case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
            default ->
                throw new IllegalArgumentException("Bedrock Converse reads documents of the types pdf, csv, doc, docx,"
                        + " xls, xlsx, html, txt and md, not " + d.mediaType());
        };
        String filename = d.filename();
        String base = filename == null ? "" : filename.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
        base = base.replaceAll("[^A-Za-z0-9\\-()\\[\\] ]", " ").trim().replaceAll(" {2,}", " ");
        if (base.isEmpty()) base = "document";
        String name = base;
        for (int k = 2; names.contains(name); k++) name = base + " " + k;
        names.add(name);
        return obj("format", format, "name", name, "source", Map.of("bytes", d.data()));
    }

    /** The audio formats of Converse's AudioBlock (its API reference). */
    private static final Set<String> AUDIO_FORMATS = Set.of(
            "mp3", "opus", "wav", "aac", "flac", "mp4", "ogg", "mkv", "mka", "x-aac", "m4a", "mpeg", "mpga", "pcm",
            "webm");

    /**
     * {@return a Converse {@code audio} block: {@code format} and {@code source.bytes} (its API
     * reference, AudioBlock)} @throws IllegalArgumentException for a format Converse does not read
     */
    private static Map<String, Object> audio(Document d) {
        String format = d.audioFormat().orElse("");
        if (!AUDIO_FORMATS.contains(format))
            throw new IllegalArgumentException("Bedrock Converse reads audio of the formats "
                    + new TreeSet<>(AUDIO_FORMATS) + ", not " + d.mediaType());
        return obj("format", format, "source", Map.of("bytes", d.data()));
    }

    /**
     * {@return a Converse {@code image} block: {@code format} and {@code source.bytes} (base64 in the
     * JSON API)} Converse takes png, jpeg, gif and webp, as bytes or from S3 (its API reference,
     * ImageBlock).
     *
     * @throws IllegalArgumentException for a URL or another type
     */
    private static Map<String, Object> image(Image image) {
        if (image.url() != null)
            throw new IllegalArgumentException("Bedrock Converse takes an image as its bytes, not by URL: send the"
                    + " image's bytes, base64-encoded");
        String format = switch (String.valueOf(image.mediaType())) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default ->
                throw new IllegalArgumentException(
                        "Bedrock Converse reads png, jpeg, gif and webp images, not " + image.mediaType());
        };
        return obj("format", format, "source", Map.of("bytes", Objects.requireNonNull(image.data())));
    }
}
