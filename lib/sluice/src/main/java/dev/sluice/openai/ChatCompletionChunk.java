package dev.sluice.openai;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code chat.completion.chunk} of a streamed Chat Completion. Every chunk of a response
 * repeats its id, creation time and model. With {@code stream_options.include_usage} (which
 * {@link OpenAiClient} always sets) the last chunk has empty {@link #choices()} and carries
 * {@link #usage()}; on the others usage is null.
 *
 * @param id the completion's id, such as {@code chatcmpl-...}; empty if the chunk had none
 * @param object the object type, {@code chat.completion.chunk}; empty if the chunk had none
 * @param created when the completion was created, in Unix seconds; 0 if the chunk had none
 * @param model the model that answers; empty if the chunk had none
 * @param systemFingerprint the backend configuration's fingerprint, or null
 * @param serviceTier the service tier that served the request, or null
 * @param choices the choices this chunk updates, possibly empty
 * @param usage the token counts of the whole request, on the usage chunk; otherwise null
 */
public record ChatCompletionChunk(
        String id,
        String object,
        long created,
        String model,
        @Nullable String systemFingerprint,
        @Nullable String serviceTier,
        List<ChunkChoice> choices,
        @Nullable CompletionUsage usage)
        implements ChatCompletionEvent {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if id, object, model or choices is null
     */
    public ChatCompletionChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(model, "model");
        choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
    }

    /**
     * One choice's update in a chunk.
     *
     * @param index the choice's index, from 0 ({@code n} choices are streamed interleaved)
     * @param delta what this chunk adds to the choice's message
     * @param finishReason why the choice ended ({@code stop}, {@code length}, {@code tool_calls},
     *     {@code content_filter}, {@code function_call}, or another string), on the chunk that ends
     *     it; otherwise null
     * @param logprobs the log probabilities, in Sluice's JSON value model, or null when not asked for
     */
    public record ChunkChoice(
            int index,
            Delta delta,
            @Nullable String finishReason,
            @Nullable Object logprobs) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if index is negative
         * @throws NullPointerException if delta is null
         */
        public ChunkChoice {
            if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
            Objects.requireNonNull(delta, "delta");
        }
    }

    /**
     * What one chunk adds to a choice's message. Absent fields are null (the first chunk usually
     * carries the role and an empty content).
     *
     * <p>OpenAI's own models stream no reasoning in Chat Completions; OpenAI-compatible servers do,
     * each in its own field, all kept here as they arrived: {@code reasoning_content} (DeepSeek, and
     * vLLM before it renamed the field), {@code reasoning} (vLLM now, Ollama's {@code /v1}, LM Studio,
     * OpenRouter) and {@code reasoning_details} (OpenRouter: typed entries such as
     * {@code reasoning.text} with its {@code signature}, {@code reasoning.summary} and
     * {@code reasoning.encrypted} with its {@code data}, and any type added later).
     *
     * @param role the author's role, {@code assistant}, on the first chunk; otherwise null
     * @param content the next piece of text, or null
     * @param refusal the next piece of a refusal message, or null
     * @param toolCalls pieces of tool calls, possibly empty
     * @param reasoningContent the next piece of {@code reasoning_content}, or null
     * @param reasoning the next piece of {@code reasoning}, or null
     * @param reasoningDetails the {@code reasoning_details} entries of this chunk, each a JSON
     *     object in Sluice's JSON value model ({@code Map}, {@code List}, {@code String},
     *     numbers, booleans, null), as they arrived; possibly empty
     */
    public record Delta(
            @Nullable String role,
            @Nullable String content,
            @Nullable String refusal,
            List<ToolCallChunk> toolCalls,
            @Nullable String reasoningContent,
            @Nullable String reasoning,
            List<Object> reasoningDetails) {
        /** A delta with nothing in it. */
        public static final Delta EMPTY = new Delta(null, null, null, List.of());

        /**
         * Checks the components.
         *
         * @throws NullPointerException if toolCalls, reasoningDetails or one of its entries is null
         */
        public Delta {
            toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
            reasoningDetails = List.copyOf(Objects.requireNonNull(reasoningDetails, "reasoningDetails"));
        }

        /**
         * A delta without reasoning, as OpenAI's own models stream.
         *
         * @param role the author's role, or null
         * @param content the next piece of text, or null
         * @param refusal the next piece of a refusal message, or null
         * @param toolCalls pieces of tool calls, possibly empty
         * @throws NullPointerException if toolCalls is null
         */
        public Delta(
                @Nullable String role,
                @Nullable String content,
                @Nullable String refusal,
                List<ToolCallChunk> toolCalls) {
            this(role, content, refusal, toolCalls, null, null, List.of());
        }
    }

    /**
     * A piece of one tool call. The pieces of a call share its index; the first carries its id,
     * type and name, and the arguments' JSON text arrives in pieces that may split anywhere.
     *
     * <p>A call of a custom tool ({@code "type": "custom"}) sends its name and its free-text input
     * in a {@code custom} member ({@code custom.name}, {@code custom.input}) instead of
     * {@code function}: they come here as {@code name} and {@code arguments}, and every piece that
     * carries a {@code custom} member says {@link #CUSTOM} as its type even when the server did not
     * repeat it, so a piece of free text is never taken for a piece of JSON.
     *
     * @param index which tool call of the choice this piece belongs to, from 0
     * @param id the call's id on its first piece, otherwise null
     * @param type the call's type ({@code function} or {@code custom}) on its first piece, and
     *     {@code custom} on every piece of a custom call; otherwise null
     * @param name the function's (or custom tool's) name on its first piece, otherwise null
     * @param arguments the next piece of the arguments' JSON text, or of a custom call's input text;
     *     possibly empty
     */
    public record ToolCallChunk(
            int index,
            @Nullable String id,
            @Nullable String type,
            @Nullable String name,
            String arguments) {
        /** The type of a custom tool's call, whose input is free text rather than JSON. */
        public static final String CUSTOM = "custom";

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if index is negative
         * @throws NullPointerException if arguments is null
         */
        public ToolCallChunk {
            if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
            Objects.requireNonNull(arguments, "arguments");
        }
    }
}
