package dev.sluice.bedrock;

import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.json.JsonOut;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Maps the events of one ConverseStream response to provider-neutral {@link MessageChunk}s.
 *
 * <ul>
 *   <li>text deltas are text, reasoning-text deltas thinking;
 *   <li>a tool-use block's start is a {@link ToolCallDelta#start} (id, name, no input yet), each
 *       {@code toolUse.input} fragment a {@link ToolCallDelta#arguments} of the same call; calls are
 *       numbered 0, 1, ... in the order they start, not by block index;
 *   <li>reasoning: once a reasoning signature or redacted reasoning arrived, that chunk and the
 *       finishing one carry a {@link ProviderState} ({@value #PROVIDER}): the message's reasoning
 *       blocks in block order, as Converse takes them back, {@code [{"reasoningText":{"text":..,
 *       "signature":..}}, {"redactedContent":".."}]}, signature and redacted content verbatim;
 *       {@link BedrockRequests} puts them first in the assistant message of the next request;
 *   <li>the stop reason by {@link #KINDS} (any other is OTHER, its raw string kept);
 *   <li>{@code metadata}'s usage: input {@code inputTokens}, output {@code outputTokens}, cache
 *       read and write {@code cacheReadInputTokens} and {@code cacheWriteInputTokens};
 *   <li>{@code messageStart}, {@code contentBlockStop}, citation and unknown deltas and unknown
 *       events give no chunk.
 * </ul>
 *
 * <p>Threading: one instance per stream, used by the thread that decodes it.
 */
final class BedrockChunks {
    /** The {@link ProviderState#provider()} of the state this mapper writes. */
    static final String PROVIDER = "bedrock";

    /** Bedrock's stop reasons and their neutral kinds. */
    static final Map<String, FinishReason.Kind> KINDS = Map.of(
            "end_turn", FinishReason.Kind.STOP,
            "stop_sequence", FinishReason.Kind.STOP,
            "tool_use", FinishReason.Kind.TOOL_CALLS,
            "max_tokens", FinishReason.Kind.LENGTH,
            "model_context_window_exceeded", FinishReason.Kind.LENGTH,
            "guardrail_intervened", FinishReason.Kind.CONTENT_FILTER,
            "content_filtered", FinishReason.Kind.CONTENT_FILTER);

    private final String model;
    private final LongSupplier requestSentNanos;
    private final Map<Integer, Integer> callsByBlock = new HashMap<>();
    /** Reasoning blocks by block index: text and signature, or redacted content. */
    private final Map<Integer, Reasoning> reasoning = new TreeMap<>();

    private boolean stateDue;

    private static final class Reasoning {
        final StringBuilder text = new StringBuilder();

        @Nullable
        String signature;

        final List<String> redacted = new ArrayList<>();
    }

    /**
     * @param model the model asked for (Bedrock's stream does not name one)
     * @param requestSentNanos when the (latest) request was sent, on the events' monotonic clock
     */
    BedrockChunks(String model, LongSupplier requestSentNanos) {
        this.model = model;
        this.requestSentNanos = requestSentNanos;
    }

    /**
     * {@return the type of what an event brings that the provider-neutral view has no place for (an
     * event or a delta of a type this client does not know), or null} Its observers are told, so
     * that nothing is dropped silently; the typed {@link ConverseStream} delivers these events.
     */
    static @Nullable String leftOut(BedrockEvent e) {
        return switch (e.event()) {
            case ConverseEvent.UnknownEvent u -> u.type();
            case ConverseEvent.ContentBlockDelta d when d.delta() instanceof ConverseDelta.UnknownDelta u -> u.type();
            default -> null;
        };
    }

    /** {@return the neutral chunk of an event, if it gives one} */
    Optional<MessageChunk> map(BedrockEvent e) {
        return map(e.event(), e.receivedAt(), e.receivedNanos());
    }

    Optional<MessageChunk> map(ConverseEvent event, Instant receivedAt, long receivedNanos) {
        long since = Math.max(0, receivedNanos - requestSentNanos.getAsLong());
        MessageChunk.Builder b = MessageChunk.builder(new ChunkMetadata(model, receivedAt, Duration.ofNanos(since)));
        switch (event) {
            case ConverseEvent.ContentBlockStart s
            when s.toolUse() != null -> {
                int call = callsByBlock.size();
                callsByBlock.put(s.index(), call);
                b.toolCall(ToolCallDelta.start(
                        call, s.toolUse().toolUseId(), s.toolUse().name(), ""));
            }
            case ConverseEvent.ContentBlockDelta d -> {
                switch (d.delta()) {
                    case ConverseDelta.TextDelta t when !t.text().isEmpty() -> b.text(t.text());
                    case ConverseDelta.ToolUseDelta t
                    when callsByBlock.containsKey(d.index()) && !t.input().isEmpty() ->
                        b.toolCall(ToolCallDelta.arguments(callsByBlock.get(d.index()), t.input()));
                    case ConverseDelta.ReasoningTextDelta t -> {
                        block(d.index()).text.append(t.text());
                        if (t.text().isEmpty()) return Optional.empty();
                        b.thinking(t.text());
                    }
                    case ConverseDelta.ReasoningSignatureDelta s -> {
                        block(d.index()).signature = s.signature();
                        stateDue = true;
                        b.providerState(providerState());
                    }
                    case ConverseDelta.RedactedReasoningDelta r -> {
                        block(d.index()).redacted.add(r.data());
                        stateDue = true;
                        b.providerState(providerState());
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            case ConverseEvent.MessageStop s -> {
                b.finishReason(
                        s.stopReason().isBlank()
                                ? new FinishReason(FinishReason.Kind.OTHER, "unknown")
                                : FinishReason.of(s.stopReason(), KINDS));
                if (stateDue) b.providerState(providerState());
            }
            case ConverseEvent.Metadata m -> b.usage(usage(m.usage()));
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(b.build());
    }

    private Reasoning block(int index) {
        return reasoning.computeIfAbsent(index, i -> new Reasoning());
    }

    private ProviderState providerState() {
        List<Object> blocks = new ArrayList<>();
        for (Reasoning r : reasoning.values()) {
            if (r.signature != null || !r.text.isEmpty()) {
                Map<String, Object> text = new LinkedHashMap<>();
                text.put("text", r.text.toString());
                if (r.signature != null) text.put("signature", r.signature);
                blocks.add(Map.of("reasoningText", text));
            }
            for (String data : r.redacted) blocks.add(Map.of("redactedContent", data));
        }
        return new ProviderState(PROVIDER, JsonOut.write(blocks));
    }

    static Usage usage(ConverseEvent.ConverseUsage u) {
        return new Usage(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens(), u.cacheWriteInputTokens());
    }
}
