package dev.sluice.openai;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.StructuredOutputs;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

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

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long requestStartNanos;
    // --- confined to the stream's reading thread
    private final Map<Integer, Integer> toolIndexByOutput = new HashMap<>();
    private final Set<Integer> argumentsSent = new HashSet<>();
    private final StringBuilder refusal = new StringBuilder();
    private String model = "";

    ResponsesChat(Clock clock, LongSupplier nanoTime, long requestStartNanos) {
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.requestStartNanos = requestStartNanos;
    }

    /**
     * {@return the request as Responses API input} The system prompt as {@code instructions}; user
     * and assistant text as messages; an assistant's tool calls as {@code function_call} items and
     * tool results as {@code function_call_output} items (a failed result's output prefixed with
     * {@code "Error: "}); tools as function tools; the tool choice, with tools only;
     * {@code maxTokens} as {@code max_output_tokens}; temperature; {@code store: false}. The
     * response format as {@code text.format} {@code json_schema} (every model of the Responses API
     * takes it), or as a forced function call when the mode or the tool choice asks for one (see
     * {@link StructuredOutputs#plan}).
     *
     * @throws IllegalArgumentException if the request has stop sequences (the Responses API has none)
     */
    static ResponseRequest request(ChatRequest request, StructuredOutputMode mode) {
        StructuredOutputs.Plan plan = StructuredOutputs.plan(request, mode, model -> true);
        ChatRequest r = plan.request();
        if (!r.stopSequences().isEmpty()) {
            throw new IllegalArgumentException("the OpenAI Responses API has no stop sequences; remove them from the request");
        }
        ResponseRequest.Builder b = ResponseRequest.builder().model(r.model()).store(false);
        if (!r.system().isEmpty()) b.instructions(r.system());
        for (ChatMessage m : r.messages()) {
            if (m.role() == ChatMessage.Role.USER) {
                if (!m.text().isEmpty()) b.addUserMessage(m.text());
                for (ToolResult t : m.toolResults()) {
                    b.addFunctionCallOutput(t.toolCallId(), t.isError() ? "Error: " + t.content() : t.content());
                }
            } else {
                if (!m.text().isEmpty()) b.addAssistantMessage(m.text());
                for (ToolCall c : m.toolCalls()) b.addFunctionCall(c.id(), c.name(), c.arguments());
            }
        }
        for (Tool t : r.tools()) b.addTool(RequestJson.functionTool(t, plan.formatTool()));
        if (r.toolChoice() != null && !r.tools().isEmpty()) b.toolChoice(RequestJson.toolChoice(r.toolChoice()));
        if (r.responseFormat() != null) b.textFormat(RequestJson.jsonSchema(r.responseFormat()));
        if (r.maxTokens() != null) b.maxOutputTokens(r.maxTokens());
        if (r.temperature() != null) b.temperature(r.temperature());
        return b.build();
    }

    Optional<MessageChunk> map(ResponseStreamEvent event) {
        return switch (event) {
            case ResponseStreamEvent.Lifecycle l when l.type().equals("response.created") -> {
                if (!l.response().model().isEmpty()) model = l.response().model();
                yield Optional.of(chunk().id(l.response().id()).build());
            }
            case ResponseStreamEvent.Lifecycle l when l.isTerminal() -> Optional.of(end(l.response()));
            case ResponseStreamEvent.OutputTextDelta d when !d.delta().isEmpty() -> Optional.of(chunk().text(d.delta()).build());
            case ResponseStreamEvent.RefusalDelta d -> {
                refusal.append(d.delta());
                yield Optional.empty();
            }
            case ResponseStreamEvent.RefusalDone d -> {
                refusal.setLength(0);
                refusal.append(d.refusal());
                yield Optional.empty();
            }
            case ResponseStreamEvent.ReasoningSummaryTextDelta d when !d.delta().isEmpty() ->
                    Optional.of(chunk().thinking(d.delta()).build());
            case ResponseStreamEvent.OutputItemAdded a when a.item() instanceof ResponseOutputItem.FunctionCall f -> {
                int index = toolIndexByOutput.size();
                toolIndexByOutput.put(a.outputIndex(), index);
                String id = f.callId().isBlank() ? (f.id().isBlank() ? "call_" + index : f.id()) : f.callId();
                String name = f.name().isBlank() ? "unknown" : f.name();
                if (!f.arguments().isEmpty()) argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.start(index, id, name, f.arguments())).build());
            }
            case ResponseStreamEvent.FunctionCallArgumentsDelta d when !d.delta().isEmpty()
                    && toolIndexByOutput.containsKey(d.outputIndex()) -> {
                int index = toolIndexByOutput.get(d.outputIndex());
                argumentsSent.add(index);
                yield Optional.of(chunk().toolCall(ToolCallDelta.arguments(index, d.delta())).build());
            }
            case ResponseStreamEvent.FunctionCallArgumentsDone d -> whole(d.outputIndex(), d.arguments());
            case ResponseStreamEvent.OutputItemDone d when d.item() instanceof ResponseOutputItem.FunctionCall f ->
                    whole(d.outputIndex(), f.arguments());
            default -> Optional.empty();
        };
    }

    /** The arguments of a call whose server sent no deltas, once. */
    private Optional<MessageChunk> whole(int outputIndex, String arguments) {
        Integer index = toolIndexByOutput.get(outputIndex);
        if (index == null || arguments.isEmpty() || !argumentsSent.add(index)) return Optional.empty();
        return Optional.of(chunk().toolCall(ToolCallDelta.arguments(index, arguments)).build());
    }

    private MessageChunk end(Response r) {
        MessageChunk.Builder b = chunk();
        FinishReason reason;
        if (r.status().equals("incomplete")) {
            String raw = r.incompleteReason() == null || r.incompleteReason().isBlank() ? "incomplete" : r.incompleteReason();
            reason = FinishReason.of(raw, INCOMPLETE);
        } else {
            String raw = r.status().isBlank() ? "completed" : r.status();
            FinishReason.Kind kind = !refusal.isEmpty() ? FinishReason.Kind.REFUSAL
                    : !toolIndexByOutput.isEmpty() ? FinishReason.Kind.TOOL_CALLS
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
}
