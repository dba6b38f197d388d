package dev.sluice.openai;

import dev.sluice.internal.low.value.LazyList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Chat Completion built from its stream by {@link ChatCompletionAccumulator}: what the API would
 * have returned without streaming (its {@code chat.completion} object).
 *
 * @param id the completion's id; empty if none arrived
 * @param created when it was created, in Unix seconds; 0 if unknown
 * @param model the model that answered; empty if none arrived
 * @param systemFingerprint the backend configuration's fingerprint, or null
 * @param serviceTier the service tier that served the request, or null
 * @param choices the choices in index order
 * @param usage the token counts, or null when the usage chunk has not arrived
 */
public record ChatCompletion(
        String id,
        long created,
        String model,
        @Nullable String systemFingerprint,
        @Nullable String serviceTier,
        List<Choice> choices,
        @Nullable CompletionUsage usage) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if id, model or choices is null
     */
    public ChatCompletion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        choices = LazyList.copyOf(Objects.requireNonNull(choices, "choices")); // a snapshot's, as it is
    }

    /**
     * One choice of a completion.
     *
     * @param index the choice's index, from 0
     * @param message the message generated
     * @param finishReason why it ended ({@code stop}, {@code length}, {@code tool_calls},
     *     {@code content_filter}, ...), or null if not (yet) known
     * @param logprobs the log probabilities' content and refusal entries of all chunks concatenated,
     *     in Sluice's JSON value model ({@code {"content":[...],"refusal":[...]}}), or null when none arrived
     */
    public record Choice(
            int index,
            Message message,
            @Nullable String finishReason,
            @Nullable Object logprobs) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if index is negative
         * @throws NullPointerException if message is null
         */
        public Choice {
            if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The message of a choice.
     *
     * @param role the author's role, {@code assistant} unless the stream said otherwise
     * @param content the text, or null when no content arrived (a message of tool calls only)
     * @param refusal the refusal message, or null when the model did not refuse
     * @param toolCalls the tool calls in index order, possibly empty
     * @param reasoningContent an OpenAI-compatible server's {@code reasoning_content} (DeepSeek's,
     *     older vLLM's), joined; null when none arrived
     * @param reasoning an OpenAI-compatible server's {@code reasoning} (vLLM's, Ollama's,
     *     OpenRouter's), joined; null when none arrived
     * @param reasoningDetails OpenRouter's {@code reasoning_details}, the streamed pieces of each
     *     entry merged (see {@link ChatCompletionAccumulator}), in Sluice's JSON value model;
     *     possibly empty
     */
    public record Message(
            String role,
            @Nullable String content,
            @Nullable String refusal,
            List<FunctionToolCall> toolCalls,
            @Nullable String reasoningContent,
            @Nullable String reasoning,
            List<Object> reasoningDetails) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if role, toolCalls or reasoningDetails is null
         */
        public Message {
            Objects.requireNonNull(role, "role");
            toolCalls = LazyList.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
            reasoningDetails = List.copyOf(Objects.requireNonNull(reasoningDetails, "reasoningDetails"));
        }

        /**
         * A message without reasoning, as OpenAI's own models answer.
         *
         * @param role the author's role
         * @param content the text, or null
         * @param refusal the refusal message, or null
         * @param toolCalls the tool calls in index order, possibly empty
         * @throws NullPointerException if role or toolCalls is null
         */
        public Message(
                String role, @Nullable String content, @Nullable String refusal, List<FunctionToolCall> toolCalls) {
            this(role, content, refusal, toolCalls, null, null, List.of());
        }
    }

    /**
     * A tool call of a message. {@code arguments} is the JSON text exactly as the model wrote it;
     * {@code parsedArguments} its value in Sluice's JSON value model. While streaming, the parsed
     * value is the best effort of what has arrived, an object (empty until the arguments' object
     * has begun) that only grows, as {@link dev.sluice.chat.PartialJson} defines growing, and
     * {@code argumentsError} is null; in a
     * completion from {@link ChatCompletionAccumulator#result()}, {@code argumentsError} says why
     * the text is not a valid JSON object. Then {@code parsedArguments} is: for a text that is only
     * cut off ({@link dev.sluice.chat.PartialJson#isTruncated()}), the best-effort value of what was
     * written; for a malformed text (or one nested deeper than
     * {@link dev.sluice.chat.PartialJson#MAX_DEPTH}), null — no value is guessed from a broken
     * text; for valid JSON of another kind (an array, say), that value. Empty arguments mean an
     * empty object.
     *
     * <p>A call of a custom tool ({@code type} {@code custom}) has free text as its input, not
     * JSON: {@code name} is {@code custom.name}, {@code arguments} is {@code custom.input} exactly
     * as it arrived, {@code parsedArguments} and {@code argumentsError} are null.
     *
     * @param index the call's index in its choice, from 0
     * @param id the call's id; empty if it has not arrived
     * @param type the call's type, {@code function} unless the stream said otherwise ({@code custom})
     * @param name the function's (or custom tool's) name; empty if it has not arrived
     * @param arguments the arguments' JSON text, or a custom call's input text
     * @param parsedArguments the arguments' value, usually a {@code Map<String, Object>}; null if
     *     nothing usable, if the final text is malformed, and for a custom call
     * @param argumentsError why the arguments are not a valid JSON object, or null
     */
    public record FunctionToolCall(
            int index,
            String id,
            String type,
            String name,
            String arguments,
            @Nullable Object parsedArguments,
            @Nullable String argumentsError) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if index is negative or argumentsError is blank
         * @throws NullPointerException if id, type, name or arguments is null
         */
        public FunctionToolCall {
            if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            if (argumentsError != null && argumentsError.isBlank()) {
                throw new IllegalArgumentException("argumentsError must not be blank (null when valid)");
            }
        }
    }

    /**
     * {@return this completion as one compact JSON object in the API's own {@code chat.completion}
     * shape} {@code id}, {@code object}, {@code created}, {@code model}, {@code system_fingerprint}
     * and {@code service_tier} when known, {@code choices} (each with its {@code index},
     * {@code message} — {@code role}, {@code content}, {@code refusal}, {@code tool_calls} when
     * there are any, an OpenAI-compatible server's {@code reasoning_content}, {@code reasoning} and
     * {@code reasoning_details} when they arrived — {@code logprobs} and {@code finish_reason}) and {@code usage} when it arrived
     * (its {@code prompt_tokens_details.cached_tokens} and
     * {@code completion_tokens_details.reasoning_tokens} when not 0). A function call is
     * {@code {"id","type":"function","function":{"name","arguments"}}}, a custom tool's call
     * {@code {"id","type":"custom","custom":{"name","input"}}}; arguments that are not a valid JSON
     * object also get {@code function.arguments_error}, saying why.
     */
    public String toJson() {
        return CompletionJson.write(this);
    }

    /** {@return the first choice's text, or empty when it has none (or there is no choice)} */
    public String text() {
        if (choices.isEmpty() || choices.getFirst().message().content() == null) return "";
        return choices.getFirst().message().content();
    }
}
