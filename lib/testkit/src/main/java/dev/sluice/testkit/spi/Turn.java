package dev.sluice.testkit.spi;

import java.util.Objects;

/**
 * One message of the conversation a {@link Voice} answers: who wrote it and its text.
 *
 * @param user whether the user wrote it, else the model
 * @param text its text blocks joined
 */
public record Turn(boolean user, String text) {
    /**
     * Checks the text.
     *
     * @throws NullPointerException if text is null
     */
    public Turn {
        Objects.requireNonNull(text, "text");
    }
}
