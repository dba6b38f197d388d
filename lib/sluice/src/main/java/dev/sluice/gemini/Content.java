package dev.sluice.gemini;

import dev.sluice.internal.low.value.LazyList;
import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation: who speaks and the parts said.
 *
 * @param role {@code user} or {@code model} (Gemini's names); empty when the response omitted it
 * @param parts the parts, in order
 */
public record Content(String role, List<Part> parts) {
    /** Gemini's role of the user (also of function responses). */
    public static final String USER = "user";
    /** Gemini's role of the model. */
    public static final String MODEL = "model";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if role, parts or a part is null
     */
    public Content {
        Objects.requireNonNull(role, "role");
        parts = LazyList.copyOf(Objects.requireNonNull(parts, "parts"));
    }

    /**
     * {@return a user turn}
     *
     * @param parts its parts
     */
    public static Content user(Part... parts) {
        return new Content(USER, List.of(parts));
    }

    /**
     * {@return a model turn}
     *
     * @param parts its parts
     */
    public static Content model(Part... parts) {
        return new Content(MODEL, List.of(parts));
    }
}
