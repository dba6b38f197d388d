package dev.sluice.openai;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@code {"error": {"message", "type", "param", "code"}}} object inside a Chat Completions
 * stream. A client's stream never yields it: it throws a {@link dev.sluice.ApiException} with
 * {@code inStream()} true, {@code errorType()} the type (or the code when the type is absent), and
 * the message (followed by the code, when there is one besides the type).
 *
 * @param errorType the error's {@code type}, such as {@code server_error}; its {@code code} when
 *     it has no type; {@code unknown} when it has neither
 * @param message the error's message, possibly empty
 * @param code the error's {@code code}, or null
 * @param param the request parameter the error is about, or null
 */
public record ChatCompletionErrorEvent(
        String errorType,
        String message,
        @Nullable String code,
        @Nullable String param) implements ChatCompletionEvent {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if errorType or message is null
     */
    public ChatCompletionErrorEvent {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(message, "message");
    }
}
