package dev.sluice.gemini;

import dev.sluice.ProtocolException;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonOut;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Maps the chunks of one Gemini stream to provider-neutral {@link MessageChunk}s. Only candidate 0
 * is mapped (the neutral view has one answer; a request from {@link dev.sluice.chat.ChatRequest}
 * asks for one candidate).
 *
 * <ul>
 *   <li>text parts are the text delta, thought parts the thinking delta;
 *   <li>each function call sent whole is one complete {@link ToolCallDelta}, its
 *       arguments the call's {@code args} as JSON text, numbered in arrival order from 0; its id is
 *       Gemini's when the call has one, else the synthetic {@code sluice-call-<responseId>-<n>}
 *       (see {@link #SYNTHETIC_ID_PREFIX});
 *   <li>a call whose arguments stream ({@link PartialFunctionCallPart}s, Vertex AI's
 *       {@code streamFunctionCallArguments}) is a delta starting the call with <code>"{"</code> at its
 *       named piece, then one delta of argument text per piece ({@link StreamedArgs}), closed by the
 *       piece without {@code willContinue}: the joined text is what the same call sent whole gives;
 *   <li>the finish reason by {@link #KINDS}, with the candidate's {@code finishMessage} as its
 *       message; {@code STOP} after a function call becomes
 *       {@link FinishReason.Kind#TOOL_CALLS} (raw {@code STOP} kept), so that "the model wants tools
 *       called" reads the same for every provider;
 *   <li>usage: input = {@code promptTokenCount - cachedContentTokenCount + toolUsePromptTokenCount},
 *       output = {@code candidatesTokenCount + thoughtsTokenCount} (thinking is output, as with
 *       Anthropic), cache read = {@code cachedContentTokenCount};
 *   <li>thought signatures: once a function call or a text part came with a
 *       {@code thoughtSignature}, that chunk carries a {@link ProviderState} (its provider the
 *       client's, {@value #PROVIDER} or {@value #VERTEX_PROVIDER})
 *       with every signature so far, {@code {"calls":{"<call index>":"sig",..},"text":"sig"}} (the
 *       last signed text part's; with {@code "textAt": n} when that part was empty and came after
 *       {@code n} function calls, typically in a later chunk: it is then a part of its own), which {@link GeminiRequests} puts back on the same parts
 *       when the response is repeated in a tool loop's next request, as Gemini requires;
 *   <li>the id is {@code responseId}; the metadata's model {@code modelVersion}, else the model asked for.
 * </ul>
 *
 * <p>Threading: one instance per stream, used by the thread that decodes it.
 */
final class GeminiChunks {
    /** The prefix of the ids Sluice makes up for calls that came without one; never sent back to Gemini. */
    static final String SYNTHETIC_ID_PREFIX = "sluice-call-";

    /** Gemini's finish reasons and their neutral kinds; any other is OTHER, its raw string kept. */
    static final Map<String, FinishReason.Kind> KINDS = Map.ofEntries(
            Map.entry("STOP", FinishReason.Kind.STOP),
            Map.entry("MAX_TOKENS", FinishReason.Kind.LENGTH),
            Map.entry("SAFETY", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("RECITATION", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("BLOCKLIST", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("PROHIBITED_CONTENT", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("SPII", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("IMAGE_SAFETY", FinishReason.Kind.CONTENT_FILTER),
            Map.entry("MALFORMED_FUNCTION_CALL", FinishReason.Kind.OTHER));

    private final String requestedModel;
    private final LongSupplier requestSentNanos;
    private int calls;
    private final Map<String, Object> callSignatures = new LinkedHashMap<>();
    private @Nullable String textSignature;
    private int textAt = -1;
    private final String provider;
    private @Nullable StreamedArgs streaming; // the call whose arguments are streaming, or null
    private int streamingIndex;

    /** The {@link ProviderState#provider()} of the state this mapper writes for Gemini's own API. */
    static final String PROVIDER = "gemini";
    /** The {@link ProviderState#provider()} of the state this mapper writes for Gemini on Vertex AI. */
    static final String VERTEX_PROVIDER = "vertex";

    /**
     * A mapper for Gemini's own API ({@value #PROVIDER}).
     *
     * @param requestedModel the model named in the request, for chunks without a modelVersion
     * @param requestSentNanos when the (latest) request was sent, on the events' monotonic clock
     */
    GeminiChunks(String requestedModel, LongSupplier requestSentNanos) {
        this(requestedModel, requestSentNanos, PROVIDER);
    }

    /**
     * @param requestedModel the model named in the request, for chunks without a modelVersion
     * @param requestSentNanos when the (latest) request was sent, on the events' monotonic clock
     * @param provider the client's provider name, {@value #PROVIDER} or {@value #VERTEX_PROVIDER}: the
     *     {@link ProviderState#provider()} of the state written
     */
    GeminiChunks(String requestedModel, LongSupplier requestSentNanos, String provider) {
        this.requestedModel = requestedModel;
        this.requestSentNanos = requestSentNanos;
        this.provider = provider;
    }

    /**
     * {@return the kind of a part that the provider-neutral view has no place for (inline or file
     * data, executable code, a kind added later), named by its first member other than a thought
     * flag or signature, or null} Its observers are told, so that nothing is dropped silently; the
     * typed stream delivers these parts as {@link UnknownPart}s.
     */
    static @Nullable String leftOut(GeminiEvent event) {
        Candidate candidate = event instanceof GeminiEvent.Chunk chunk
                ? chunk.response().firstCandidate().orElse(null)
                : null;
        if (candidate == null) return null;
        for (Part p : candidate.content().parts()) {
            if (!(p instanceof UnknownPart u)) continue;
            if (Json.readSecretBearing(u.json()).orElse(null) instanceof Map<?, ?> part) {
                for (Object key : part.keySet()) {
                    if (!"thought".equals(key) && !"thoughtSignature".equals(key)) return String.valueOf(key);
                }
            }
            return "part";
        }
        return null;
    }

    /** {@return the neutral chunk of a received event's response} */
    MessageChunk map(GeminiEvent event) {
        if (!(event instanceof GeminiEvent.Chunk chunk))
            throw new IllegalStateException("an in-band error is thrown before mapping");
        return map(chunk.response(), chunk.receivedAt(), chunk.receivedNanos());
    }

    /** {@return the neutral finish reason of Gemini's string, before the tool-call rule} */
    static FinishReason finishReason(String raw) {
        return FinishReason.of(raw, KINDS);
    }

    MessageChunk map(GenerateContentResponse response, Instant receivedAt, long receivedNanos) {
        String model = response.modelVersion().isEmpty() ? requestedModel : response.modelVersion();
        long since = Math.max(0, receivedNanos - requestSentNanos.getAsLong());
        MessageChunk.Builder b = MessageChunk.builder(new ChunkMetadata(model, receivedAt, Duration.ofNanos(since)))
                .id(response.responseId());
        Candidate candidate = response.firstCandidate().orElse(null);
        if (candidate != null) {
            StringBuilder text = new StringBuilder();
            StringBuilder thinking = new StringBuilder();
            boolean signed = false;
            for (Part p : candidate.content().parts()) {
                switch (p) {
                    case TextPart t -> {
                        text.append(t.text());
                        if (t.thoughtSignature() != null) {
                            textSignature = t.thoughtSignature();
                            // an empty signed part after function calls is its own part, sent back there
                            textAt = t.text().isEmpty() && calls > 0 ? calls : -1;
                            signed = true;
                        }
                    }
                    case ThoughtPart t -> thinking.append(t.text());
                    case PartialFunctionCallPart c -> signed |= streamed(b, c, response.responseId());
                    case FunctionCallPart c -> {
                        signed |= endStreamed(b);
                        int index = calls++;
                        if (c.thoughtSignature() != null) {
                            callSignatures.put(Integer.toString(index), c.thoughtSignature());
                            signed = true;
                        }
                        String id = c.id() != null ? c.id() : syntheticId(response.responseId(), index);
                        b.toolCall(ToolCallDelta.start(index, id, c.name(), Json.write(c.args())));
                    }
                    default -> {}
                }
            }
            b.text(text.toString()).thinking(thinking.toString());
            if (signed) b.providerState(providerState());
            if (candidate.finishReason() != null) {
                FinishReason reason = finishReason(candidate.finishReason());
                if (reason.kind() == FinishReason.Kind.STOP && calls > 0) {
                    reason = new FinishReason(FinishReason.Kind.TOOL_CALLS, reason.raw());
                }
                b.finishReason(reason.withMessage(candidate.finishMessage()));
            }
        }
        UsageMetadata u = response.usageMetadata();
        if (u != null) b.usage(usage(u));
        return b.build();
    }

    /**
     * Maps a piece of a call whose arguments stream: its first piece (with the name) starts the
     * call's delta with <code>"{"</code>, each partial argument adds its text, a piece without
     * {@code willContinue} closes it.
     *
     * @return whether the piece brought a signature
     */
    private boolean streamed(MessageChunk.Builder b, PartialFunctionCallPart c, String responseId) {
        StringBuilder text = new StringBuilder();
        boolean signed = false;
        if (c.name() != null) {
            signed = endStreamed(b); // a new call: an unfinished one ends
            streamingIndex = calls++;
            streaming = new StreamedArgs();
            String id = c.id() != null ? c.id() : syntheticId(responseId, streamingIndex);
            b.toolCall(ToolCallDelta.start(streamingIndex, id, c.name(), streaming.start() + pieces(c)));
        } else if (streaming == null) {
            if (c.partialArgs().isEmpty()) return false; // the end of no call: nothing to keep
            throw new ProtocolException("Gemini streamed function-call arguments before the call's name", null);
        } else {
            text.append(pieces(c));
        }
        if (c.thoughtSignature() != null) {
            callSignatures.put(Integer.toString(streamingIndex), c.thoughtSignature());
            signed = true;
        }
        int index = streamingIndex;
        if (!c.willContinue()) {
            text.append(streaming.end());
            streaming = null;
        }
        if (!text.isEmpty()) b.toolCall(ToolCallDelta.arguments(index, text.toString()));
        return signed;
    }

    private String pieces(PartialFunctionCallPart c) {
        StringBuilder text = new StringBuilder();
        StreamedArgs args = Objects.requireNonNull(streaming, "a partial call follows its start");
        for (PartialArg a : c.partialArgs()) text.append(args.apply(a));
        return text.toString();
    }

    /** Closes a streamed call that another call follows without its end; returns false (no signature). */
    private boolean endStreamed(MessageChunk.Builder b) {
        if (streaming != null) {
            String rest = streaming.end();
            if (!rest.isEmpty()) b.toolCall(ToolCallDelta.arguments(streamingIndex, rest));
            streaming = null;
        }
        return false;
    }

    private ProviderState providerState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("calls", new LinkedHashMap<>(callSignatures));
        if (textSignature != null) {
            state.put("text", textSignature);
            if (textAt >= 0) state.put("textAt", textAt);
        }
        return new ProviderState(provider, JsonOut.write(state));
    }

    static Usage usage(UsageMetadata u) {
        long input = Math.max(0, u.promptTokenCount() - u.cachedContentTokenCount()) + u.toolUsePromptTokenCount();
        return new Usage(input, u.candidatesTokenCount() + u.thoughtsTokenCount(), u.cachedContentTokenCount(), 0);
    }

    static String syntheticId(String responseId, int index) {
        return SYNTHETIC_ID_PREFIX + (responseId.isEmpty() ? "" : responseId + "-") + index;
    }
}
