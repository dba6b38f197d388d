package dev.sluice.openai;

import java.util.Objects;

/**
 * An event of a Chat Completions stream that is not a chunk, kept as it came.
 *
 * @param type the SSE event name ({@code message} when the event had none)
 * @param data the event's data, as received
 */
public record UnknownChatCompletionEvent(String type, String data) implements ChatCompletionEvent {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     */
    public UnknownChatCompletionEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
