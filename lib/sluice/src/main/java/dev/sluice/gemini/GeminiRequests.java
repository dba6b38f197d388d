package dev.sluice.gemini;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Effort;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderFile;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.internal.call.client.ToolImages;
import dev.sluice.internal.low.json.Json;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.models.ThinkingForm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a provider-neutral {@link ChatRequest} into a {@link GenerateContentRequest}:
 * <ul>
 *   <li>the system prompt is the {@code systemInstruction}; USER messages are {@code user} turns,
 *       ASSISTANT messages {@code model} turns (text first, then one {@code functionCall} part per
 *       tool call, its {@code args} the parsed arguments);
 *   <li>a USER message's documents and audio are {@code inlineData} parts, then its images: their
 *       bytes as {@code inlineData} ({@code mimeType}, {@code data}), of the types Gemini reads
 *       ({@link #IMAGE_TYPES}), an image given by an {@code https} (or {@code gs://}) URL as {@code
 *       fileData} ({@code fileUri}, with the {@code mimeType} its file name says): Gemini fetches public
 *       and signed HTTPS URLs since January 2026 (ai.google.dev, file-input-methods); then its text. A
 *       tool's image given by URL is refused (a function response's parts take its bytes);
 *   <li>a tool result is a {@code functionResponse} part in a {@code user} turn. Gemini matches it by
 *       the function's name, so the name is taken from the tool call with the result's id in the
 *       nearest earlier ASSISTANT message. Its {@code response} is {@code {"error": content}} for a
 *       failed tool, the content itself when it is a JSON object, else {@code {"output": content}};
 *       its images go in its {@code parts} as {@code inlineData} on Gemini 3 and later
 *       ({@link #multimodalFunctionResponses}), before that as {@code inlineData} parts after the
 *       turn's function responses, each result's followed by a text naming the call;
 *   <li>an ASSISTANT message with {@link ProviderState} of the client's provider ({@code gemini}, or
 *       {@code vertex} on Vertex AI; from {@link GeminiChunks}) gets its
 *       thought signatures back: each function call's on its {@code functionCall} part (by the
 *       call's index), the text's on the text part (an empty text part when the text is empty);
 *       a signature that came on an empty part after function calls (typically in a later chunk)
 *       goes back on an empty part after the same calls, so no signed part moves;
 *       another provider's state is ignored; on a Gemini 3 model, the first call of an ASSISTANT
 *       message of the current turn (after the last user text) that has no state of this provider
 *       (another target's history, after a failover; a message written by hand) gets
 *       {@value #UNSIGNED_STEP}, the signature Google documents for calls it did not produce, as
 *       Gemini 3 refuses such a step without one;
 *   <li>{@code thinkingBudget}: {@code thinkingConfig} with that budget and {@code includeThoughts};
 *   <li>ids that Sluice made up ({@link GeminiChunks#SYNTHETIC_ID_PREFIX}) are not sent;
 *   <li>tools are {@code functionDeclarations}, their input schema the {@code parameters}, or
 *       {@code parametersJsonSchema} when it uses JSON Schema beyond Gemini's OpenAPI-style subset
 *       ({@link FunctionDeclaration.SchemaField#AUTO});
 *       maxTokens, temperature and stop sequences go into {@code generationConfig} (the
 *       temperature left out where the model ignores sampling settings, as its catalog row says);
 *   <li>the tool choice, with tools only, as {@code toolConfig.functionCallingConfig}: {@code AUTO},
 *       {@code NONE}, {@code ANY}, or {@code ANY} with the tool in {@code allowedFunctionNames};
 *       with streamed arguments asked for, {@code "streamFunctionCallArguments": true} in it (mode
 *       {@code AUTO} without a tool choice);
 *   <li>the response format as {@code generationConfig} {@code responseMimeType}
 *       {@code application/json} and {@code responseJsonSchema} for a model that takes it
 *       ({@link #nativeStructuredOutput}), else as a forced function call (see
 *       {@link StructuredOutputs#plan}).
 * </ul>
 */
final class GeminiRequests {
    /**
     * The signature Google documents for a function call Gemini 3 did not produce (another model's
     * history, a call written by hand): it passes the check of the current turn's first call, and
     * the model knows there is no reasoning to resume.
     */
    static final String UNSIGNED_STEP = "skip_thought_signature_validator";
    /** A Gemini 3 model but its image model (which checks no signatures). */
    private static final Pattern GEMINI_3 = Pattern.compile("gemini-3([.-].*)?");

    /** A Gemini model name with a version: {@code gemini-MAJOR[.MINOR]...}. */
    private static final Pattern VERSIONED = Pattern.compile("gemini-(\\d+)([.-].*)?");

    private GeminiRequests() {}

    /**
     * {@return whether the model takes {@code responseJsonSchema}} Gemini documents JSON Schema
     * output for its current models: a name {@code gemini-MAJOR...} from 2 on ({@code gemini-2.0-flash},
     * {@code gemini-2.5-pro}, {@code gemini-3-pro-preview}...) or an alias ending in {@code -latest}
     * ({@code gemini-flash-latest}); a {@code models/} prefix is ignored. Gemini 1.x, Gemma and
     * names it does not know get the forced function call.
     */
    static boolean nativeStructuredOutput(String model) {
        String name = StructuredOutputs.modelName(model);
        Matcher m = VERSIONED.matcher(name);
        if (m.matches()) return Integer.parseInt(m.group(1)) >= 2;
        return name.startsWith("gemini-") && name.endsWith("-latest");
    }

    /**
     * The request's effort as the model takes it ({@link ModelCatalog}): Gemini 3's
     * {@code thinkingLevel} (the nearest level it takes), Gemini 2.5's {@code thinkingBudget} (0 for
     * none where it can turn thinking off), with thoughts included; else the request's thinking
     * budget. A Gemini id the catalog does not know gets a level ({@code none}: a budget of 0). A
     * request that asks to show the thinking gets {@code includeThoughts} with no effort or budget
     * too (refused for a model the catalog says does not think).
     */
    private static void thinking(ChatRequest request, GenerationConfig.Builder g) {
        Effort effort = request.effort();
        if (request.showThinking())
            ModelCatalog.find(request.model())
                    .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                    .ifPresent(ModelCapabilities::checkShowThinking);
        if (effort == null) {
            if (request.thinkingBudget() != null)
                g.thinkingBudget(request.thinkingBudget()).includeThoughts(true);
            else if (request.showThinking()) g.includeThoughts(true);
            return;
        }
        ModelCapabilities caps = ModelCatalog.find(request.model())
                .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                .orElse(null);
        if (caps != null) caps.checkEffort(effort);
        ThinkingForm form = caps == null ? ThinkingForm.LEVEL : caps.thinking();
        switch (form) {
            case BUDGET, BUDGET_ALWAYS -> {
                int budget = Objects.requireNonNull(caps).budgetFor(effort);
                g.thinkingBudget(budget);
                if (budget > 0) g.includeThoughts(true);
            }
            case NONE -> {}
            default -> {
                if (effort == Effort.NONE) {
                    g.thinkingBudget(0);
                    return;
                }
                Effort level = caps == null
                        ? (effort.compareTo(Effort.HIGH) > 0 ? Effort.HIGH : effort)
                        : caps.nearestEffort(effort).orElse(Effort.HIGH);
                g.thinkingLevel(level.name()).includeThoughts(true);
            }
        }
    }

    /** {@return the request with structured output decided by model} @see #of(ChatRequest, StructuredOutputMode) */
    static GenerateContentRequest of(ChatRequest request) {
        return of(request, StructuredOutputMode.AUTO);
    }

    /**
     * @throws IllegalArgumentException if a tool result answers no earlier tool call, or a tool call's
     *     arguments are not a JSON object
     */
    static GenerateContentRequest of(ChatRequest chat, StructuredOutputMode mode) {
        return of(chat, mode, GeminiChunks.PROVIDER, false);
    }

    /**
     * @param provider the client's provider name: only assistant state of this provider goes back
     * @param streamArguments whether a request with tools asks for streamed function-call arguments
     *     ({@code toolConfig.functionCallingConfig.streamFunctionCallArguments})
     * @throws IllegalArgumentException if a tool result answers no earlier tool call, or a tool call's
     *     arguments are not a JSON object
     */
    static GenerateContentRequest of(
            ChatRequest chat, StructuredOutputMode mode, String provider, boolean streamArguments) {
        ChatRequest request = StructuredOutputs.plan(chat, mode, GeminiRequests::nativeStructuredOutput)
                .request();
        GenerateContentRequest.Builder b = GenerateContentRequest.builder().systemInstruction(request.system());
        List<ChatMessage> messages = request.messages();
        if (messages.getLast().role() == ChatMessage.Role.ASSISTANT) { // Gemini answers 400 to a last model turn
            ModelCatalog.find(request.model())
                    .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                    .ifPresent(c -> c.checkPrefill(request.model()));
        }
        int currentTurn = 0; // the last user message with text: Gemini 3 checks the signatures of the steps after it
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() == ChatMessage.Role.USER
                    && !messages.get(i).text().isEmpty()) currentTurn = i;
        }
        String modelName = StructuredOutputs.modelName(request.model());
        boolean gemini3 = GEMINI_3.matcher(modelName).matches() && !modelName.contains("image");
        List<Part> userTurn = new ArrayList<>(); // consecutive user messages: one turn, each message's parts apart
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            List<Part> parts = new ArrayList<>();
            if (m.role() == ChatMessage.Role.ASSISTANT && !userTurn.isEmpty()) {
                b.addContent(new Content(Content.USER, userTurn));
                userTurn = new ArrayList<>();
            }
            if (m.role() == ChatMessage.Role.ASSISTANT) {
                Map<?, ?> signatures = signatures(m.providerState(), provider);
                boolean foreign = m.providerState() == null
                        || !m.providerState().provider().equals(provider);
                Object textSignature = signatures.get("text");
                String sig = textSignature instanceof String s ? s : null;
                // "textAt": the signature came on an empty part after that many calls: it goes back there, alone
                int emptyAt = sig != null && signatures.get("textAt") instanceof Number n
                        ? (int) Math.min(
                                Math.max(0, n.longValue()), m.toolCalls().size())
                        : -1;
                if (!m.text().isEmpty() || (sig != null && emptyAt < 0))
                    parts.add(new TextPart(m.text(), emptyAt < 0 ? sig : null));
                Map<?, ?> callSignatures = signatures.get("calls") instanceof Map<?, ?> c ? c : Map.of();
                for (int k = 0; k < m.toolCalls().size(); k++) {
                    if (k == emptyAt) parts.add(new TextPart("", sig));
                    ToolCall call = m.toolCalls().get(k);
                    String callSignature =
                            callSignatures.get(Integer.toString(call.index())) instanceof String cs ? cs : null;
                    // a step this target did not produce (another target's, or written by hand), in the turn Gemini 3
                    // checks
                    if (callSignature == null && k == 0 && foreign && gemini3 && i > currentTurn)
                        callSignature = UNSIGNED_STEP;
                    parts.add(functionCall(call, callSignature));
                }
                if (emptyAt >= 0 && emptyAt == m.toolCalls().size()) parts.add(new TextPart("", sig));
                b.addContent(new Content(Content.MODEL, parts));
            } else {
                boolean nested = multimodalFunctionResponses(request.model());
                for (ToolResult result : m.toolResults())
                    parts.add(functionResponse(result, name(messages, i, result), nested));
                if (!nested) { // before Gemini 3 a function response is JSON only: its images follow it
                    for (ToolResult result : m.toolResults()) {
                        if (result.images().isEmpty()) continue;
                        for (Image image : result.images()) parts.add(inlineData(image));
                        parts.add(Part.text(ToolImages.note(result, name(messages, i, result))));
                    }
                }
                for (Document d : m.documents()) parts.add(inlineData(d));
                for (ProviderFile f : m.files()) parts.add(fileData(f, provider));
                for (Image image : m.images())
                    parts.add(image.url() != null ? fileData(image.url()) : inlineData(image));
                if (!m.text().isEmpty()) parts.add(Part.text(m.text()));
                userTurn.addAll(parts);
            }
        }
        if (!userTurn.isEmpty()) b.addContent(new Content(Content.USER, userTurn));
        for (Tool tool : request.tools()) {
            b.addFunction(new FunctionDeclaration(tool.name(), tool.description(), tool.inputSchema()));
        }
        GenerationConfig.Builder g = GenerationConfig.builder();
        Integer maxTokens = request.maxTokens();
        if (maxTokens != null) {
            ModelCatalog.find(request.model())
                    .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                    .ifPresent(c -> c.checkMaxOutputTokens(maxTokens));
            g.maxOutputTokens(maxTokens);
        }
        Double temperature = request.temperature();
        if (temperature != null
                && ModelCatalog.find(request.model())
                        .filter(c -> c.maker() == ModelCapabilities.Maker.GOOGLE)
                        .map(ModelCapabilities::sampling)
                        .orElse(true)) { // left out where the model ignores it (Gemini 3.6 Flash, 3.5 Flash-Lite)
            g.temperature(temperature);
        }
        thinking(request, g);
        request.stopSequences().forEach(g::addStopSequence);
        if (request.responseFormat() != null)
            g.responseJsonSchema(request.responseFormat().schema());
        if (!request.tools().isEmpty() && (request.toolChoice() != null || streamArguments)) {
            ToolConfig config = request.toolChoice() == null
                    ? ToolConfig.auto()
                    : switch (request.toolChoice()) {
                        case ToolChoice.Auto a -> ToolConfig.auto();
                        case ToolChoice.None n -> ToolConfig.none();
                        case ToolChoice.Required r -> ToolConfig.any();
                        case ToolChoice.Named(String name) -> ToolConfig.function(name);
                    };
            b.toolConfig(streamArguments ? config.withStreamedArguments() : config);
        }
        return b.generationConfig(g.build()).build();
    }

    private static Map<?, ?> signatures(@Nullable ProviderState state, String provider) {
        if (state == null || !state.provider().equals(provider)) return Map.of();
        PartialJson.Result parsed = PartialJson.parse(state.data());
        if (!parsed.isValid() || !(parsed.value() instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the Gemini provider state of an assistant message is not the one Sluice"
                    + " wrote: send back the ChatMessage.assistant(response) as it came");
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Part functionCall(ToolCall call, @Nullable String thoughtSignature) {
        // parsed strictly: never a best-effort value of a partial call's text
        PartialJson.Result parsed = call.arguments().isBlank()
                ? new PartialJson.Result(Map.of(), null)
                : PartialJson.parse(call.arguments());
        Object args = parsed.value();
        if (!(args instanceof Map<?, ?>) || !parsed.isValid() || !call.argumentsValid()) {
            throw new IllegalArgumentException("the arguments of tool call " + call.id() + " (" + call.name()
                    + ") are not a JSON object; Gemini needs an object as functionCall.args");
        }
        return new FunctionCallPart(sentId(call.id()), call.name(), (Map<String, Object>) args, thoughtSignature);
    }

    /**
     * {@return whether the model takes images inside a {@code functionResponse} ({@code parts} of
     * {@code inlineData}): Gemini 3 and later, and names without a version (the {@code -latest}
     * aliases), per ai.google.dev/gemini-api/docs/function-calling#multimodal ("Multimodal function
     * responses"; Vertex AI: multimodal/function-calling#mm-fr); Gemini 2.5 answers such a request
     * 400 "Multimodal function responses are not supported for this model"}
     */
    static boolean multimodalFunctionResponses(String model) {
        Matcher m = VERSIONED.matcher(StructuredOutputs.modelName(model));
        return !m.matches() || Integer.parseInt(m.group(1)) >= 3;
    }

    /**
     * {@return the result as a {@code functionResponse} part; with {@code nested}, its images in the
     * part's {@code parts} as {@code inlineData}}
     *
     * @throws IllegalArgumentException for an image Gemini cannot take ({@link #inlineData})
     */
    private static Part functionResponse(ToolResult result, String name, boolean nested) {
        Map<String, Object> response;
        String content = result.content().isEmpty() && !result.images().isEmpty() && !nested
                ? ToolImages.FOLLOW
                : result.content();
        if (result.isError()) {
            response = Map.of("error", content);
        } else {
            Object parsed = parseObject(content);
            response = parsed != null ? asMap(parsed) : Map.of("output", content);
        }
        String id = sentId(result.toolCallId());
        if (!nested || result.images().isEmpty()) return new FunctionResponsePart(id, name, response);
        List<Object> media = new ArrayList<>();
        for (Image image : result.images()) media.add(Map.of("inlineData", blob(image)));
        Map<String, Object> fr = new LinkedHashMap<>();
        if (id != null) fr.put("id", id);
        fr.put("name", name);
        fr.put("response", response);
        fr.put("parts", media);
        return new UnknownPart(Json.write(Map.of("functionResponse", fr)));
    }

    private static @Nullable Object parseObject(String text) {
        String t = text.strip();
        if (!t.startsWith("{")) return null;
        PartialJson.Result r = PartialJson.parse(t);
        return r.error() == null && r.value() instanceof Map<?, ?> ? r.value() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static @Nullable String sentId(String id) {
        return id.isEmpty() || id.startsWith(GeminiChunks.SYNTHETIC_ID_PREFIX) ? null : id;
    }

    private static String name(List<ChatMessage> messages, int before, ToolResult result) {
        for (int i = before - 1; i >= 0; i--) {
            for (ToolCall call : messages.get(i).toolCalls()) {
                if (call.id().equals(result.toolCallId()) && !call.name().isEmpty()) return call.name();
            }
        }
        throw new IllegalArgumentException("tool result " + result.toolCallId() + " answers no tool call of an earlier"
                + " ASSISTANT message; Gemini matches a result to its call by the function's name, so the call must be"
                + " in the conversation");
    }

    /** The image types Gemini reads (ai.google.dev/gemini-api/docs/image-understanding, "Supported image formats"). */
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif");

    /** The audio types Gemini reads (ai.google.dev/gemini-api/docs/audio, "Supported audio formats"). */
    static final Set<String> AUDIO_TYPES =
            Set.of("audio/wav", "audio/mp3", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac");

    /**
     * {@return a document or audio clip as {@code inlineData}} @throws IllegalArgumentException for a
     * type Gemini does not read (as documents it reads PDF and plain text; audio, {@link #AUDIO_TYPES})
     */
    private static Part inlineData(Document d) {
        String mimeType = d.mediaType();
        if (d.isAudio()) {
            String format = d.audioFormat().orElse("");
            mimeType = format.equals("wav") || format.equals("mp3") ? "audio/" + format : mimeType;
            if (!AUDIO_TYPES.contains(mimeType))
                throw new IllegalArgumentException(
                        "Gemini reads audio of the types " + new TreeSet<>(AUDIO_TYPES) + ", not " + d.mediaType());
        } else if (!d.isPdf() && !d.mediaType().equals("text/plain"))
            throw new IllegalArgumentException(
                    "Gemini reads documents of the types application/pdf and text/plain, not " + d.mediaType());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mimeType", mimeType);
        data.put("data", d.data());
        return new UnknownPart(Json.write(Map.of("inlineData", data)));
    }

    /**
     * {@return an image Gemini fetches, as a {@code fileData} part: {@code fileUri}, and the {@code
     * mimeType} the URL's file name says where it names one of {@link #IMAGE_TYPES}} @throws
     * IllegalArgumentException for a URL other than {@code https} or {@code gs}, which Gemini cannot fetch
     */
    private static Part fileData(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("gs://"))
            throw new IllegalArgumentException("Gemini fetches images from https (and gs://) URLs only, not "
                    + scheme(url) + ": send the image's bytes, base64-encoded, or an https URL");
        Map<String, Object> data = new LinkedHashMap<>();
        String path = lower.replaceFirst("[?#].*$", "");
        String extension = path.substring(path.lastIndexOf('.') + 1);
        String type = switch (extension) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            default -> null;
        };
        if (type != null) data.put("mimeType", type);
        data.put("fileUri", url);
        return new UnknownPart(Json.write(Map.of("fileData", data)));
    }

    /**
     * {@return a file of Gemini's Files API as a {@code fileData} part: its URI and media type}
     * @throws IllegalArgumentException for another provider's file
     */
    private static Part fileData(ProviderFile f, String provider) {
        f.checkProvider(provider);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mimeType", f.mediaType());
        data.put("fileUri", f.id());
        return new UnknownPart(Json.write(Map.of("fileData", data)));
    }

    /** {@return the URL's scheme, for a message that must not show the whole URL (a signed one holds a secret)} */
    private static String scheme(String url) {
        int colon = url.indexOf(':');
        return colon > 0 && colon < 12 ? url.substring(0, colon + 1) + " URLs" : "this URL";
    }

    /** {@return an {@code inlineData} part} @throws IllegalArgumentException for a URL or a type Gemini does not read */
    private static Part inlineData(Image image) {
        return new UnknownPart(Json.write(Map.of("inlineData", blob(image))));
    }

    /** {@return an image's {@code mimeType} and {@code data}} @throws IllegalArgumentException for a URL or a type Gemini does not read */
    private static Map<String, Object> blob(Image image) {
        if (image.url() != null)
            throw new IllegalArgumentException("Gemini takes an image as its bytes (inlineData), not by URL: send the"
                    + " image's bytes, base64-encoded");
        if (!IMAGE_TYPES.contains(image.mediaType()))
            throw new IllegalArgumentException(
                    "Gemini reads images of the types " + new TreeSet<>(IMAGE_TYPES) + ", not " + image.mediaType());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mimeType", Objects.requireNonNull(image.mediaType()));
        data.put("data", Objects.requireNonNull(image.data()));
        return data;
    }
}
