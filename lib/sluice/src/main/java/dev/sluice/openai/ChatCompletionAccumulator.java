package dev.sluice.openai;

import dev.sluice.chat.PartialJson;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.value.Deferred;
import dev.sluice.internal.low.value.LazyList;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import dev.sluice.openai.ChatCompletion.Choice;
import dev.sluice.openai.ChatCompletion.FunctionToolCall;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Builds the full-fidelity {@link ChatCompletion} from the events of a stream:
 *
 * <ul>
 *   <li>id, creation time, model, fingerprint and service tier: the first non-empty ones seen;
 *   <li>choices by index; a choice's content and refusal are the concatenation of their deltas
 *       (null while none arrived), its role the first one sent, its finish reason the latest;
 *   <li>tool calls by (choice, index): the first id, type and name of each call kept, its
 *       arguments appended to an incremental {@link PartialJson}, so {@link #snapshot()} shows the
 *       best-effort value while they stream; {@link #result()} parses them to the end and says in
 *       {@link FunctionToolCall#argumentsError()} when they are not a valid JSON object (cut off:
 *       the best-effort value of what was written; malformed: no value is guessed,
 *       {@code parsedArguments} is null; {@code arguments} keeps the text either way);
 *       a custom tool's call ({@code type} {@code custom}) keeps its free-text input in
 *       {@code arguments}, never parsed;
 *   <li>an OpenAI-compatible server's reasoning: {@code reasoning_content} and {@code reasoning}
 *       each the concatenation of its deltas (null while none arrived), {@code reasoning_details}
 *       entries merged as OpenRouter streams them (an entry with the {@code type} and
 *       {@code index} of the one before continues it: {@code text}, {@code summary} and
 *       {@code data} appended, other fields such as {@code signature} taken as they come; other
 *       entries, of unknown types too, kept whole, in order);
 *   <li>usage: from the usage chunk (the latest, if several); unknown events change nothing.
 * </ul>
 *
 * <pre>{@code
 * ChatCompletionAccumulator acc = new ChatCompletionAccumulator();
 * for (ChatCompletionEvent e : events) acc.accept(e);
 * ChatCompletion completion = acc.result();
 * }</pre>
 *
 * <p>Threading: one thread calls {@link #accept}; any thread may call {@link #snapshot()},
 * {@link #isComplete()} and {@link #result()} at the same time and gets a consistent completion (taken between two
 * events). A lock guards all state.
 *
 * <p>Cost: a {@link #snapshot()} costs O(choices and tool calls), not O(what arrived): text and
 * arguments are held as immutable views of append-only storage, and a choice is built only when
 * the snapshot's {@code choices().get(i)} (or iteration, {@code equals}, {@code toString}) first
 * reads it, then kept; reading it costs its strings' length once.
 */
public final class ChatCompletionAccumulator implements Accumulator<ChatCompletionEvent, ChatCompletion> {
    // Guarded by lock: everything below.
    private final ReentrantLock lock = new ReentrantLock();
    private String id = "";
    private long created;
    private String model = "";
    private @Nullable String fingerprint;
    private @Nullable String tier;
    private final TreeMap<Integer, ChoiceState> choices = new TreeMap<>();
    private @Nullable CompletionUsage usage;
    private boolean complete; // [DONE] accepted
    private @Nullable ChatCompletion finished;

    /** Creates an accumulator that has seen no event. */
    public ChatCompletionAccumulator() {}

    /**
     * Applies one event.
     *
     * @param event the event
     * @throws NullPointerException if event is null
     * @throws IllegalStateException if {@code [DONE]} was accepted already
     */
    @Override
    public void accept(ChatCompletionEvent event) {
        Objects.requireNonNull(event, "event");
        lock.lock();
        try {
            if (complete) throw new IllegalStateException("[DONE] was accepted: no more events are accepted");
            if (event instanceof DoneEvent) complete = true;
            if (!(event instanceof ChatCompletionChunk chunk)) return;
            if (id.isEmpty()) id = chunk.id();
            if (created == 0) created = chunk.created();
            if (model.isEmpty()) model = chunk.model();
            if (fingerprint == null) fingerprint = chunk.systemFingerprint();
            if (tier == null) tier = chunk.serviceTier();
            for (ChunkChoice c : chunk.choices())
                choices.computeIfAbsent(c.index(), ChoiceState::new).apply(c);
            if (chunk.usage() != null) usage = chunk.usage();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the completion as far as it has arrived: tool-call arguments as their best-effort
     * value, without an arguments error; after {@link #result()}, the final completion} Safe to call
     * from any thread, at any time.
     */
    @Override
    public ChatCompletion snapshot() {
        lock.lock();
        try {
            return finished != null ? finished : build(false);
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether {@code data: [DONE]} has been accepted} */
    @Override
    public boolean isComplete() {
        lock.lock();
        try {
            return complete;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the complete completion: tool-call arguments parsed to the end, and a call whose
     * arguments are not a valid JSON object saying why in {@link FunctionToolCall#argumentsError()}}
     * The same completion on every call.
     *
     * @throws IllegalStateException if {@code [DONE]} has not been accepted; {@link #snapshot()} has
     *     the partial completion
     */
    @Override
    public ChatCompletion result() {
        lock.lock();
        try {
            if (!complete) {
                throw new IllegalStateException(
                        "the completion is not complete: data: [DONE] has not arrived; use snapshot() for the partial completion");
            }
            if (finished == null) finished = build(true);
            return finished;
        } finally {
            lock.unlock();
        }
    }

    private ChatCompletion build(boolean end) {
        Object[] list = new Object[choices.size()];
        int i = 0;
        for (ChoiceState c : choices.values()) list[i++] = end ? c.build(true) : c.deferred();
        return new ChatCompletion(id, created, model, fingerprint, tier, LazyList.wrap(list), usage);
    }

    /** One choice's state; guarded by the accumulator's lock. */
    private static final class ChoiceState {
        final int index;

        @Nullable
        String role;

        @Nullable
        StringParts content;

        @Nullable
        StringParts refusal;

        @Nullable
        String finishReason;

        @Nullable
        List<Object> logprobContent;

        @Nullable
        List<Object> logprobRefusal;

        final TreeMap<Integer, CallState> calls = new TreeMap<>();
        final CompatibleReasoning reasoning = new CompatibleReasoning();

        ChoiceState(int index) {
            this.index = index;
        }

        void apply(ChunkChoice c) {
            ChatCompletionChunk.Delta d = c.delta();
            if (role == null && d.role() != null) role = d.role();
            if (d.content() != null) (content == null ? content = new StringParts() : content).append(d.content());
            if (d.refusal() != null) (refusal == null ? refusal = new StringParts() : refusal).append(d.refusal());
            for (ToolCallChunk t : d.toolCalls())
                calls.computeIfAbsent(t.index(), CallState::new).apply(t);
            reasoning.apply(d);
            if (c.finishReason() != null) finishReason = c.finishReason();
            if (c.logprobs() instanceof Map<?, ?> lp) {
                if (lp.get("content") instanceof List<?> l)
                    (logprobContent == null ? logprobContent = new ArrayList<>() : logprobContent).addAll(l);
                if (lp.get("refusal") instanceof List<?> l)
                    (logprobRefusal == null ? logprobRefusal = new ArrayList<>() : logprobRefusal).addAll(l);
            }
        }

        /** {@return the choice as it is now, built on first read from immutable captures} */
        Deferred<Choice> deferred() {
            String r = role == null ? "assistant" : role;
            TextView text = content == null ? null : content.view();
            TextView refused = refusal == null ? null : refusal.view();
            Object[] toolCalls = new Object[calls.size()];
            int i = 0;
            for (CallState call : calls.values()) toolCalls[i++] = call.deferred();
            String finish = finishReason;
            Object lp = logprobs();
            TextView reasoningContent = reasoning.reasoningContentView(), reasoningText = reasoning.reasoningView();
            List<Object> details = reasoning.details();
            return new Deferred<>(() -> new Choice(
                    index,
                    new ChatCompletion.Message(
                            r,
                            text == null ? null : text.toString(),
                            refused == null ? null : refused.toString(),
                            LazyList.wrap(toolCalls),
                            reasoningContent == null ? null : reasoningContent.toString(),
                            reasoningText == null ? null : reasoningText.toString(),
                            details),
                    finish,
                    lp));
        }

        Choice build(boolean end) {
            List<FunctionToolCall> toolCalls = new ArrayList<>(calls.size());
            for (CallState call : calls.values()) toolCalls.add(call.build(end));
            ChatCompletion.Message message = new ChatCompletion.Message(
                    role == null ? "assistant" : role,
                    content == null ? null : content.toString(),
                    refusal == null ? null : refusal.toString(),
                    toolCalls,
                    reasoning.reasoningContent(),
                    reasoning.reasoning(),
                    reasoning.details());
            return new Choice(index, message, finishReason, logprobs());
        }

        private @Nullable Object logprobs() {
            if (logprobContent == null && logprobRefusal == null) return null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("content", logprobContent == null ? null : List.copyOf(logprobContent));
            m.put("refusal", logprobRefusal == null ? null : List.copyOf(logprobRefusal));
            return Collections.unmodifiableMap(m);
        }
    }

    /** One tool call's state; guarded by the accumulator's lock. */
    private static final class CallState {
        final int index;
        String id = "";
        String type = "function";
        boolean typeSeen;
        String name = "";
        final PartialJson arguments = new PartialJson();
        boolean blank = true; // the arguments' text isBlank(), kept as it grows
        PartialJson.@Nullable Result result; // set by the first build(true)

        CallState(int index) {
            this.index = index;
        }

        void apply(ToolCallChunk t) {
            if (id.isEmpty() && t.id() != null) id = t.id();
            if (!typeSeen && t.type() != null) {
                type = t.type();
                typeSeen = true;
            }
            if (name.isEmpty() && t.name() != null) name = t.name();
            if (!t.arguments().isEmpty()) {
                arguments.append(t.arguments());
                blank = blank && t.arguments().isBlank();
            }
        }

        /**
         * {@return the arguments' best-effort value while they stream: an object, empty until the
         * arguments' object has begun} So it only grows, as the empty arguments' empty object does.
         */
        private Object streamingValue() {
            return arguments.snapshot() instanceof Map<?, ?> m ? m : Map.of();
        }

        /** {@return the call as it is now, built on first read from immutable captures} */
        Deferred<FunctionToolCall> deferred() {
            CharSequence text = arguments.textView();
            String i = id, ty = type, n = name;
            Object parsed = ty.equals(ToolCallChunk.CUSTOM) ? null : blank ? Map.of() : streamingValue();
            return new Deferred<>(() -> new FunctionToolCall(index, i, ty, n, text.toString(), parsed, null));
        }

        FunctionToolCall build(boolean end) {
            String text = arguments.text();
            if (type.equals(ToolCallChunk.CUSTOM)) return new FunctionToolCall(index, id, type, name, text, null, null);
            if (text.isBlank()) return new FunctionToolCall(index, id, type, name, text, Map.of(), null);
            if (!end) return new FunctionToolCall(index, id, type, name, text, streamingValue(), null);
            if (result == null) result = arguments.finish();
            if (!result.isValid()) { // a cut-off text shows what was written; a malformed one: no guess
                return new FunctionToolCall(
                        index,
                        id,
                        type,
                        name,
                        text,
                        arguments.isTruncated() ? result.value() : null,
                        "tool call arguments are not valid JSON: " + result.error());
            }
            String error = result.value() instanceof Map<?, ?>
                    ? null
                    : "tool call arguments are not a JSON object: " + Json.truncate(text, 200);
            return new FunctionToolCall(index, id, type, name, text, result.value(), error);
        }
    }
}
