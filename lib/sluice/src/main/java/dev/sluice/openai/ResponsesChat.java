package dev.sluice.openai;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.Document;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.Image;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderFile;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCapabilities.Maker;
import dev.sluice.models.ModelCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The provider-neutral view of the Responses API: a {@link ChatRequest} as a
 * {@link ResponseRequest} ({@link #request}), and the events of one stream, in order, as
 * {@link MessageChunk}s ({@link #map}: zero or one chunk per event).
 *
 * <ul>
 *   <li>{@code response.created}: a chunk carrying the response's id and model;
 *   <li>output text deltas as text; refusal deltas (or a {@code response.refusal.done} without
 *       them) not as text but joined as the {@linkplain FinishReason#message() message} of the
 *       finish reason, which is then {@link FinishReason.Kind#REFUSAL}; reasoning summary deltas as
 *       thinking;
 *   <li>a function call: its {@code output_item.added} opens a tool call (the next index from 0,
 *       its {@code call_id} as the id), its argument deltas continue it; when a server sends the
 *       arguments only whole (in {@code .done} or the item's {@code output_item.done}), they are
 *       delivered then, once;
 *   <li>a custom tool call (free-text input) the same way, its input as a JSON string: the
 *       {@code output_item.added} opens the string, each {@code custom_tool_call_input.delta} is a
 *       piece of it (escaped), and its {@code .done} (or the item's {@code output_item.done}, or
 *       the end) closes it, so the call's parsed arguments are the input text itself;
 *   <li>opaque state: the terminal chunk carries a {@link ProviderState} (the mapper's provider
 *       name: {@value #PROVIDER}, or the Azure client's) with the response's reasoning items that
 *       have {@code encrypted_content} and its {@code compaction} items, whole and in output order,
 *       and the call ids of its custom tool calls: {@code {"items":[...],"custom":[...]}}, which
 *       {@link #request} puts back, verbatim, before the assistant message's text and calls;
 *   <li>shell calls, apply-patch calls, MCP approval requests and remote MCP calls have no neutral
 *       place: they are on the typed stream ({@link Responses#stream(ResponseRequest)}), not here;
 *   <li>the terminal event: the finish reason ({@code completed}: STOP, or TOOL_CALLS when the
 *       model called a function, or REFUSAL; {@code incomplete}: its reason,
 *       {@code max_output_tokens} → LENGTH, {@code content_filter} → CONTENT_FILTER, another →
 *       OTHER) and the usage ({@code input_tokens} less the cached ones as input,
 *       {@code cached_tokens} as cache reads, {@code output_tokens} as output);
 *   <li>no chunk: everything else ({@code response.failed} is thrown by the neutral protocol).
 * </ul>
 *
 * <p>Threading: a mapper is confined to the thread reading its stream.
 */
final class ResponsesChat {
    private static final Map<String, FinishReason.Kind> INCOMPLETE = Map.of(
            "max_output_tokens", FinishReason.Kind.LENGTH,
            "content_filter", FinishReason.Kind.CONTENT_FILTER);

    /** The {@link ProviderState#provider()} of the state this mapper writes on OpenAI's API. */
    static final String PROVIDER = "openai-responses";

    private final String provider;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long requestStartNanos;
    // --- confined to the stream's reading thread
    private final Map<Integer, Integer> toolIndexByOutput = new HashMap<>();
    private final Set<Integer> argumentsSent = new HashSet<>();
    private final StringBuilder refusal = new StringBuilder();
    private final Map<Integer, Boolean> customOpen = new HashMap<>(); // output index -> string still open
    private final List<String> customIds = new ArrayList<>();
    private final List<Object> stateItems = new ArrayList<>();
    private String model = "";

    /**
     * @param provider the provider name of the state it writes: {@value #PROVIDER}, or the Azure
     *     client's ({@code azure-openai})
     */
    ResponsesChat(String provider, Clock clock, LongSupplier nanoTime, long requestStartNanos) {
        this.provider = provider;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.requestStartNanos = requestStartNanos;
    }

    /**
     * {@return whether the Responses API takes {@code text.format} {@code json_schema} for the model}
     * Every model but those the {@link dev.sluice.models.ModelCatalog} lists without structured
     * outputs; a model it does not know is taken to.
     */
    static boolean nativeStructuredOutput(String model) {
        return ModelCatalog.find(model)
                .filter(c -> c.maker() == Maker.OPENAI)
                .map(ModelCapabilities::nativeStructuredOutput)
                .orElse(true);
    }

    /**
     * {@return the request as Responses API input} The system prompt as {@code instructions}; user
     * and assistant text as messages; an assistant's tool calls as {@code function_call} items and
     * tool results as {@code function_call_output} items (a failed result's output prefixed with
     * {@code "Error: "}; a result with images as an array of an {@code input_image} part each, then
     * its text as {@code input_text}); tools as function tools; the tool choice, with tools only;
     * {@code maxTokens} as {@code max_output_tokens}; temperature; {@code store: false}. The
     * response format as {@code text.format} {@code json_schema} (to every model but those the
     * {@link dev.sluice.models.ModelCatalog} lists without structured outputs: GPT-4 Turbo, GPT-4,
     * GPT-3.5 Turbo, which get a forced function call), or as a forced function call when the mode or
     * the tool choice asks for one (see
     * {@link StructuredOutputs#plan}). A thinking budget asks for reasoning: {@code reasoning} with
     * an effort by the budget (up to 2048 tokens {@code low}, up to 16384 {@code medium}, more
     * {@code high}) and {@code summary: auto}, and {@code include: ["reasoning.encrypted_content"]}
     * (the request is not stored, so the reasoning comes back encrypted, to be sent back). An
     * assistant message whose {@link ProviderState} is {@code provider}'s gets its items back
     * verbatim before its text and calls, and its custom tool calls (and their results) as
     * {@code custom_tool_call} ({@code custom_tool_call_output}) items; another provider's state
     * is left out.
     *
     * @param provider the provider name whose state is sent back
     * @throws IllegalArgumentException if the request has stop sequences (the Responses API has none)
     */
    static ResponseRequest request(ChatRequest request, StructuredOutputMode mode, String provider) {
        StructuredOutputs.Plan plan = StructuredOutputs.plan(request, mode, ResponsesChat::nativeStructuredOutput);
        ChatRequest r = plan.request();
        if (!r.stopSequences().isEmpty()) {
            throw new IllegalArgumentException(
                    "the OpenAI Responses API has no stop sequences; remove them from the request");
        }
        ResponseRequest.Builder b = ResponseRequest.builder().model(r.model()).store(false);
        PromptCache cache = r.promptCache();
        if (cache != null && cache.key() != null) b.promptCacheKey(cache.key());
        if (!r.system().isEmpty()) b.instructions(r.system());
        Set<String> custom = new HashSet<>();
        for (ChatMessage m : r.messages()) {
            if (m.role() == ChatMessage.Role.USER) {
                if (!m.images().isEmpty()
                        || !m.documents().isEmpty()
                        || !m.files().isEmpty()) b.addInputItem(imageMessage(m, provider));
                else if (!m.text().isEmpty()) b.addUserMessage(m.text());
                for (ToolResult t : m.toolResults()) {
                    String output = t.isError() ? "Error: " + t.content() : t.content();
                    if (custom.contains(t.toolCallId()) || !t.images().isEmpty()) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put(
                                "type",
                                custom.contains(t.toolCallId()) ? "custom_tool_call_output" : "function_call_output");
                        item.put("call_id", t.toolCallId());
                        item.put("output", t.images().isEmpty() ? output : parts(t.images(), output));
                        b.addInputItem(item);
                    } else {
                        b.addFunctionCallOutput(t.toolCallId(), output);
                    }
                }
            } else {
                Map<?, ?> state = state(m.providerState(), provider);
                for (Object item : list(state.get("items"))) if (item instanceof Map<?, ?> i) b.addInputItem(cast(i));
                for (Object id : list(state.get("custom"))) if (id instanceof String s) custom.add(s);
                if (!m.text().isEmpty()) b.addAssistantMessage(m.text());
                for (ToolCall c : m.toolCalls()) {
                    if (custom.contains(c.id())) b.addInputItem(customCall(c));
                    else b.addFunctionCall(c.id(), c.name(), c.arguments());
                }
            }
        }
        for (Tool t : r.tools()) b.addTool(OpenAiRequests.functionTool(t, plan.formatTool()));
        if (r.toolChoice() != null && !r.tools().isEmpty()) b.toolChoice(OpenAiRequests.toolChoice(r.toolChoice()));
        if (r.responseFormat() != null) b.textFormat(OpenAiRequests.jsonSchema(r.responseFormat()));
        Integer maxTokens = ReasoningEfforts.maxTokens(r);
        if (maxTokens != null) b.maxOutputTokens(maxTokens);
        if (r.temperature() != null && ReasoningEfforts.sampling(r)) b.temperature(r.temperature());
        String effort = ReasoningEfforts.effort(r);
        if (effort != null) {
            b.reasoning(effort, "auto").include("reasoning.encrypted_content");
        } else if (r.thinkingBudget() != null && r.effort() == null) {
            int budget = r.thinkingBudget();
            b.reasoning(budget <= 2048 ? "low" : budget <= 16384 ? "medium" : "high", "auto")
                    .include("reasoning.encrypted_content");
        } else if (ReasoningEfforts.showThinking(r)) {
            b.reasoningSummary("auto").include("reasoning.encrypted_content");
        }
        return b.build();
    }

    /** {@return the state this provider wrote, as read; empty for none, another provider's, or another API's shape} */
    private static Map<?, ?> state(@Nullable ProviderState state, String provider) {
        if (state == null || !state.provider().equals(provider)) return Map.of();
        PartialJson.Result parsed = PartialJson.parse(state.data());
        return parsed.isValid() && parsed.value() instanceof Map<?, ?> m && m.get("items") instanceof List<?>
                ? m
                : Map.of();
    }

    private static List<?> list(@Nullable Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m; // the value model's objects have String keys
    }

    /** A custom tool call sent back: its input is the JSON string its neutral arguments hold. */
    private static Map<String, Object> customCall(ToolCall c) {
        PartialJson.Result parsed = PartialJson.parse(c.arguments());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "custom_tool_call");
        item.put("call_id", c.id());
        item.put("name", c.name());
        item.put("input", parsed.isValid() && parsed.value() instanceof String input ? input : c.arguments());
        return item;
    }

    Optional<MessageChunk> map(ResponseStreamEvent event) {
        return switch (event) {
            case ResponseStreamEvent.Lifecycle l
            when l.type().equals("response.created") -> {
                if (!l.response().model().isEmpty()) model = l.response().model();
                yield Optional.of(chunk().id(l.response().id()).build());
            }
            case ResponseStreamEvent.Lifecycle l when l.isTerminal() -> Optional.of(end(l.response()));
            case ResponseStreamEvent.OutputTextDelta d
            when !d.delta().isEmpty() -> Optional.of(chunk().text(d.delta()).build());
            case ResponseStreamEvent.RefusalDelta d -> {
                refusal.append(d.delta());
                yield Optional.empty();
            }
            case ResponseStreamEvent.RefusalDone d -> {
                refusal.setLength(0);
                refusal.append(d.refusal());
                yield Optional.empty();
            }
            case ResponseStreamEvent.ReasoningSummaryTextDelta d
            when !d.delta().isEmpty() -> Optional.of(chunk().thinking(d.delta()).build());
            case ResponseStreamEvent.OutputItemAdded a
            when a.item() instanceof ResponseOutputItem.FunctionCall f -> {
                int index = toolIndexByOutput.size();
                toolIndexByOutput.put(a.outputIndex(), index);
                String id = f.callId().isBlank() ? (f.id().isBlank() ? "call_" + index : f.id()) : f.callId();
                String name = f.name().isBlank() ? "unknown" : f.name();
                if (!f.arguments().isEmpty()) argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.start(index, id, name, f.arguments()))
                        .build());
            }
            case ResponseStreamEvent.FunctionCallArgumentsDelta d
            when !d.delta().isEmpty() && toolIndexByOutput.containsKey(d.outputIndex()) -> {
                int index = Objects.requireNonNull(
                        toolIndexByOutput.get(d.outputIndex()), "an open custom call has an index");
                argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.arguments(index, d.delta()))
                        .build());
            }
            case ResponseStreamEvent.FunctionCallArgumentsDone d -> whole(d.outputIndex(), d.arguments());
            case ResponseStreamEvent.OutputItemDone d
            when d.item() instanceof ResponseOutputItem.FunctionCall f -> whole(d.outputIndex(), f.arguments());
            case ResponseStreamEvent.OutputItemAdded a
            when a.item() instanceof ResponseOutputItem.CustomToolCall c -> {
                int index = toolIndexByOutput.size();
                toolIndexByOutput.put(a.outputIndex(), index);
                String id = c.callId().isBlank() ? (c.id().isBlank() ? "call_" + index : c.id()) : c.callId();
                customIds.add(id);
                customOpen.put(a.outputIndex(), Boolean.TRUE);
                if (!c.input().isEmpty()) argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.start(
                                index, id, c.name().isBlank() ? "unknown" : c.name(), "\"" + escaped(c.input())))
                        .build());
            }
            case ResponseStreamEvent.CustomToolCallInputDelta d
            when !d.delta().isEmpty() && Boolean.TRUE.equals(customOpen.get(d.outputIndex())) -> {
                int index = Objects.requireNonNull(
                        toolIndexByOutput.get(d.outputIndex()), "an open custom call has an index");
                argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.arguments(index, escaped(d.delta())))
                        .build());
            }
            case ResponseStreamEvent.CustomToolCallInputDone d -> closeCustom(d.outputIndex(), d.input());
            case ResponseStreamEvent.OutputItemDone d
            when d.item() instanceof ResponseOutputItem.CustomToolCall c -> closeCustom(d.outputIndex(), c.input());
            case ResponseStreamEvent.OutputItemDone d
            when d.item() instanceof ResponseOutputItem.Reasoning r && r.encryptedContent() != null -> {
                stateItems.add(ResponsesJson.itemJson(r));
                yield Optional.empty();
            }
            case ResponseStreamEvent.OutputItemDone d
            when d.item() instanceof ResponseOutputItem.Compaction c -> {
                stateItems.add(ResponsesJson.itemJson(c));
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** Closes a custom call's input string, with the whole input when no piece of it came before. */
    private Optional<MessageChunk> closeCustom(int outputIndex, String input) {
        if (!Boolean.TRUE.equals(customOpen.get(outputIndex))) return Optional.empty();
        customOpen.put(outputIndex, Boolean.FALSE);
        int index = Objects.requireNonNull(toolIndexByOutput.get(outputIndex), "an open custom call has an index");
        String rest = argumentsSent.add(index) ? escaped(input) : "";
        return Optional.of(
                chunk().toolCall(ToolCallDelta.arguments(index, rest + "\"")).build());
    }

    /** {@return the text as the inside of a JSON string} */
    private static String escaped(String text) {
        JsonOut out = new JsonOut();
        out.writeString(text);
        String quoted = out.toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    /** The arguments of a call whose server sent no deltas, once. */
    private Optional<MessageChunk> whole(int outputIndex, String arguments) {
        Integer index = toolIndexByOutput.get(outputIndex);
        if (index == null || arguments.isEmpty() || !argumentsSent.add(index)) return Optional.empty();
        return Optional.of(
                chunk().toolCall(ToolCallDelta.arguments(index, arguments)).build());
    }

    private MessageChunk end(Response r) {
        MessageChunk.Builder b = chunk();
        for (Map.Entry<Integer, Boolean> c : customOpen.entrySet()) {
            if (c.getValue())
                b.toolCall(ToolCallDelta.arguments(
                        Objects.requireNonNull(toolIndexByOutput.get(c.getKey()), "index"),
                        "\"")); // cut off: close its string
        }
        List<Object> items = new ArrayList<>();
        if (!r.output().isEmpty()) {
            for (ResponseOutputItem item : r.output()) {
                if ((item instanceof ResponseOutputItem.Reasoning x && x.encryptedContent() != null)
                        || item instanceof ResponseOutputItem.Compaction) {
                    items.add(ResponsesJson.itemJson(item));
                }
            }
        } else {
            items.addAll(stateItems);
        }
        if (!items.isEmpty() || !customIds.isEmpty()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("items", items);
            state.put("custom", customIds);
            b.providerState(new ProviderState(provider, Json.write(state)));
        }
        FinishReason reason;
        if (r.status().equals("incomplete")) {
            String raw = r.incompleteReason() == null || r.incompleteReason().isBlank()
                    ? "incomplete"
                    : r.incompleteReason();
            reason = FinishReason.of(raw, INCOMPLETE);
        } else {
            String raw = r.status().isBlank() ? "completed" : r.status();
            FinishReason.Kind kind = !refusal.isEmpty()
                    ? FinishReason.Kind.REFUSAL
                    : !toolIndexByOutput.isEmpty()
                            ? FinishReason.Kind.TOOL_CALLS
                            : raw.equals("completed") ? FinishReason.Kind.STOP : FinishReason.Kind.OTHER;
            reason = new FinishReason(kind, raw);
        }
        b.finishReason(reason.withMessage(refusal.toString()));
        if (r.usage() != null) b.usage(usage(r.usage()));
        return b.build();
    }

    static Usage usage(ResponseUsage u) {
        long cached = Math.min(u.cachedTokens(), u.inputTokens());
        return new Usage(u.inputTokens() - cached, u.outputTokens(), cached, 0);
    }

    private MessageChunk.Builder chunk() {
        Duration since = Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - requestStartNanos));
        return MessageChunk.builder(new ChunkMetadata(model, clock.instant(), since));
    }

    /**
     * {@return a user message item attaching documents and audio and showing images: an {@code
     * input_file} part each ({@code filename}, {@code file_data} a {@code data:} URL), an {@code
     * input_audio} part each ({@code data}, {@code format}: openai-python's ResponseInputAudioParam), an
     * {@code input_file} (or {@code input_image}) part with its {@code file_id} for each provider file,
     * an {@code input_image} part each (the URL, or the bytes as a {@code data:} URL), then its text}
     *
     * @throws IllegalArgumentException for a document other than a PDF or audio other than WAV and
     *     MP3, the types the API reads
     */
    private static Map<String, Object> imageMessage(ChatMessage m, String provider) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("role", "user");
        List<Object> content = new ArrayList<>();
        for (Document d : m.documents()) {
            if (d.isAudio()) {
                ChatCompletionMessage.AudioPart audio = OpenAiRequests.audio(d);
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("type", "input_audio");
                part.put("input_audio", Map.of("data", audio.data(), "format", audio.format()));
                content.add(part);
                continue;
            }
            if (!d.isPdf())
                throw new IllegalArgumentException(
                        "the OpenAI Responses API reads files of the type application/pdf, not " + d.mediaType());
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "input_file");
            part.put("filename", d.filenameOrDefault());
            part.put("file_data", d.asDataUrl());
            content.add(part);
        }
        for (ProviderFile f : m.files()) {
            f.checkProvider(provider);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", f.isImage() ? "input_image" : "input_file");
            part.put("file_id", f.id());
            if (f.isImage()) part.put("detail", "auto");
            content.add(part);
        }
        content.addAll(parts(m.images(), m.text()));
        item.put("content", content);
        return item;
    }

    /**
     * {@return content parts: an {@code input_image} each, then the text as {@code input_text} unless
     * empty} A user message's {@code content}, and a tool output's {@code output} (a
     * {@code function_call_output} takes a string or such an array: the API reference's
     * "function tool call output", openai-java's ResponseFunctionCallOutputItem)
     */
    private static List<Object> parts(List<Image> images, String text) {
        List<Object> content = new ArrayList<>();
        for (Image image : images) {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "input_image");
            part.put("image_url", image.asUrl());
            part.put("detail", "auto");
            content.add(part);
        }
        if (!text.isEmpty()) {
            Map<String, Object> part = new LinkedHashMap<>(); // in the API's order, as every run writes it
            part.put("type", "input_text");
            part.put("text", text);
            content.add(part);
        }
        return content;
    }
}
