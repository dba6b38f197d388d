package dev.sluice.openai;

import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Maps the events of one Chat Completions stream, in order, to provider-neutral
 * {@link MessageChunk}s: zero or one chunk per event.
 *
 * <ul>
 *   <li>a {@code chat.completion.chunk}: one chunk, carrying the completion's id (every OpenAI
 *       chunk repeats it) and the model in its metadata, for the chunk's choice 0 (a provider-neutral
 *       response has one message; {@link OpenAiClient} never asks for more than one choice):
 *       {@code content} pieces as text (never {@code refusal} pieces), each tool-call piece as a
 *       {@link ToolCallDelta} with the same index (id and function name on its first piece), and
 *       the finish reason ({@link #FINISH_REASONS}); a custom tool's call, whose input is free
 *       text, becomes a call whose arguments are that text as a JSON string (opened by its first
 *       piece, escaped piece by piece, closed by the choice's finish reason), so its parsed
 *       arguments are the input text itself; a chunk without choice 0 and without usage
 *       gives no chunk, except the very first when it has an id (so the id arrives early); a
 *       chunk without an id that adds nothing gives none either: Azure's content filter chunks,
 *       the first (empty {@code choices}, the prompt's {@code prompt_filter_results}) and, with
 *       the asynchronous filter, those within the answer ({@code content_filter_offsets}, an
 *       empty update);
 *   <li>the usage chunk: the usage, {@code prompt_tokens} less {@code cached_tokens} as input
 *       tokens, {@code cached_tokens} as cache reads, {@code completion_tokens} as output;
 *   <li>a choice that streamed refusal text and then finished with {@code stop} finishes with
 *       {@link FinishReason.Kind#REFUSAL} (raw {@code stop}): the model declined; the refusal's
 *       text, joined, is the finish reason's {@linkplain FinishReason#message() message} (with any
 *       other finish reason too), so that it never mixes with the answer's text;
 *   <li>an OpenAI-compatible server's reasoning as {@linkplain MessageChunk#thinking() thinking}:
 *       a delta's {@code reasoning_content} (DeepSeek, older vLLM), else its {@code reasoning}
 *       (vLLM, Ollama, LM Studio, OpenRouter; a server that sends both sends the same text), else
 *       the {@code text} of its {@code reasoning.text} and the {@code summary} of its
 *       {@code reasoning.summary} {@code reasoning_details} entries (OpenRouter); the chunk with the
 *       finish reason of a message that had any reasoning carries it all as a {@link ProviderState}
 *       of this mapper's provider ({@link CompatibleReasoning}: the fields as they arrived, the
 *       {@code reasoning_details} entries merged, opaque {@code signature} and {@code data}
 *       unchanged), for the request mapper to send back;
 *   <li>no chunk: {@code [DONE]}, error objects (the stream's owner throws them) and unknown events.
 * </ul>
 *
 * <p>Threading: confined to the thread that reads the stream; not thread-safe.
 */
final class OpenAiChunks {
    /** OpenAI's finish reasons: stop, length, tool_calls (and the legacy function_call), content_filter; anything else is OTHER. */
    static final Map<String, FinishReason.Kind> FINISH_REASONS = Map.of(
            "stop", FinishReason.Kind.STOP,
            "length", FinishReason.Kind.LENGTH,
            "tool_calls", FinishReason.Kind.TOOL_CALLS,
            "function_call", FinishReason.Kind.TOOL_CALLS,
            "content_filter", FinishReason.Kind.CONTENT_FILTER);

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long requestStartNanos;
    private final String provider;
    // --- confined to the stream's reading thread
    private boolean first = true;
    private final StringBuilder refusal = new StringBuilder();
    /** Custom calls by index (not a BitSet: an index comes from the server), true while the input string is open. */
    private final TreeMap<Integer, Boolean> customCalls = new TreeMap<>();

    private final CompatibleReasoning reasoning = new CompatibleReasoning();

    /**
     * @param clock the clock of the chunks' timestamps
     * @param nanoTime the clock measuring the time since the request
     * @param requestStartNanos when the request was sent, on {@code nanoTime}
     * @param provider the client's provider name ({@code openai}, {@code azure-openai}), of the
     *     {@link ProviderState} it writes
     */
    OpenAiChunks(Clock clock, LongSupplier nanoTime, long requestStartNanos, String provider) {
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.requestStartNanos = requestStartNanos;
        this.provider = provider;
    }

    /** {@return whether a choice's update adds nothing: no text, refusal, tool call piece or finish reason} */
    private static boolean carriesNothing(ChunkChoice c) {
        ChatCompletionChunk.Delta d = c.delta();
        return c.finishReason() == null
                && (d.content() == null || d.content().isEmpty())
                && (d.refusal() == null || d.refusal().isEmpty())
                && d.toolCalls().isEmpty()
                && CompatibleReasoning.thinking(d).isEmpty()
                && d.reasoningDetails().isEmpty();
    }

    /** {@return the provider-neutral finish reason of an OpenAI {@code finish_reason}} */
    static FinishReason finishReason(String raw) {
        return FinishReason.of(raw, FINISH_REASONS);
    }

    /** {@return the provider-neutral usage of OpenAI's} */
    static Usage usage(CompletionUsage u) {
        long cached = Math.min(u.cachedTokens(), u.promptTokens());
        return new Usage(u.promptTokens() - cached, u.completionTokens(), cached, 0);
    }

    /**
     * A piece of a custom tool's free-text input, as a piece of a JSON string: the first piece of
     * the call opens the string, each piece is escaped, and the choice's finish reason closes it.
     */
    private void customPiece(MessageChunk.Builder b, ToolCallChunk t) {
        StringBuilder piece = new StringBuilder();
        if (customCalls.putIfAbsent(t.index(), Boolean.TRUE) == null) piece.append('"'); // opened once only
        if (!t.arguments().isEmpty()) {
            JsonOut out = new JsonOut();
            out.writeString(t.arguments());
            String quoted = out.toString();
            piece.append(quoted, 1, quoted.length() - 1);
        }
        b.toolCall(new ToolCallDelta(t.index(), t.id(), t.name(), piece.toString()));
    }

    Optional<MessageChunk> map(ChatCompletionEvent event) {
        if (!(event instanceof ChatCompletionChunk chunk)) return Optional.empty();
        ChunkChoice choice = null;
        for (ChunkChoice c : chunk.choices()) {
            if (c.index() == 0) {
                choice = c;
                break;
            }
        }
        boolean filterOnly =
                chunk.id().isEmpty() && chunk.usage() == null && (choice == null || carriesNothing(choice));
        if (filterOnly || (choice == null && chunk.usage() == null && !first)) {
            return Optional.empty(); // Azure's content filter chunks have no id: the prompt's before the answer, the
            // asynchronous filter's within it
        }
        first = false;
        Duration since = Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - requestStartNanos));
        MessageChunk.Builder b = MessageChunk.builder(new ChunkMetadata(chunk.model(), clock.instant(), since))
                .id(chunk.id());
        if (choice != null) {
            ChatCompletionChunk.Delta d = choice.delta();
            if (d.content() != null) b.text(d.content());
            if (d.refusal() != null) refusal.append(d.refusal());
            b.thinking(CompatibleReasoning.thinking(d));
            reasoning.apply(d);
            for (ToolCallChunk t : d.toolCalls()) {
                if (ToolCallChunk.CUSTOM.equals(t.type())) {
                    customPiece(b, t);
                    continue;
                }
                if (t.id() == null && t.name() == null && t.arguments().isEmpty()) continue;
                b.toolCall(new ToolCallDelta(t.index(), t.id(), t.name(), t.arguments()));
            }
            if (choice.finishReason() != null) {
                for (Map.Entry<Integer, Boolean> c : customCalls.entrySet()) {
                    if (!c.getValue()) continue;
                    b.toolCall(ToolCallDelta.arguments(c.getKey(), "\"")); // the input is complete: close its string
                    c.setValue(Boolean.FALSE);
                }
                FinishReason reason = finishReason(choice.finishReason());
                if (!refusal.isEmpty() && reason.kind() == FinishReason.Kind.STOP) {
                    reason = new FinishReason(FinishReason.Kind.REFUSAL, reason.raw());
                }
                b.finishReason(reason.withMessage(refusal.toString()));
                if (!reasoning.isEmpty()) b.providerState(reasoning.state(provider));
            }
        }
        if (chunk.usage() != null) b.usage(usage(chunk.usage()));
        return Optional.of(b.build());
    }
}
