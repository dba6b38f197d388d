package dev.sluice;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A typed object stream ({@code dev.sluice.objects.ObjectStream}) ended without a valid object:
 * the answer was cut off by the token limit, the model refused, the answer is not JSON, or the
 * JSON does not match the schema. {@link #kind()} says which; for a mismatch, {@link #path()} (a
 * JSON Pointer, such as {@code /steps/2/minutes}) and {@link #rule()} (the schema keyword broken,
 * such as {@code type}) say where and what, and the message says both, e.g.
 * {@code /steps/2/minutes: expected integer, got "ten"}.
 *
 * <p>What arrived is kept: {@link #partial()} is the last partial object the stream showed (a
 * {@code dev.sluice.objects.Partial}), {@link #text()} the JSON text as it came, and
 * {@link #requestId()} the provider's request id. A failure of the stream itself (a timeout, an API
 * error, a lost connection) is not an {@code ObjectException}: it is thrown as it is.
 *
 * <p>The message holds no more of the model's text than the offending value, cut short.
 */
public final class ObjectException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** Why no valid object came. */
    public enum Kind {
        /** The answer stopped at the output token limit before the object was complete. */
        TRUNCATED,
        /** The model declined to produce the object, or the provider's filter stopped it. */
        REFUSED,
        /** The answer is not one JSON value: malformed, cut short without a token limit, or no JSON at all. */
        INVALID_JSON,
        /** The JSON does not match the schema, or cannot become the requested type. */
        SCHEMA_MISMATCH;

        /** {@return the kind's name in lower case, as protocols write it: {@code schema_mismatch} ...} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final @Nullable String path;
    private final @Nullable String rule;
    private final String text;

    /**
     * @param kind why no valid object came
     * @param message what happened, naming the path and the rule for a mismatch
     * @param path the JSON Pointer of the offending value ({@code ""} for the whole object), or null
     * @param rule the schema keyword the value breaks, or null
     * @param text the JSON text as it arrived, possibly empty
     * @throws NullPointerException if kind, message or text is null
     */
    public ObjectException(Kind kind, String message, @Nullable String path, @Nullable String rule, String text) {
        super(message, null);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = path;
        this.rule = rule;
        this.text = Objects.requireNonNull(text, "text");
    }

    /** {@return why no valid object came} */
    public Kind kind() {
        return kind;
    }

    /** {@return where the JSON breaks the schema, as a JSON Pointer ({@code ""}: the whole object); for a mismatch} */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /**
     * {@return the rule the JSON breaks: a JSON Schema keyword ({@code type}, {@code required},
     * {@code enum}, {@code additionalProperties}, {@code format} ...), or {@code range} (a number
     * too large for its Java type) or {@code constructor} (the record's constructor refused the
     * values); for a mismatch}
     */
    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }

    /** {@return the JSON text as it arrived (of the last attempt, after a fallback chain's restart); possibly empty} */
    public String text() {
        return text;
    }
}
