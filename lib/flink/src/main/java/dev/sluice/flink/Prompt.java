package dev.sluice.flink;

import java.util.Objects;

/**
 * One record to send: a prompt and the id that its {@link Completion} carries back.
 *
 * @param id the caller's id for the prompt, echoed in the completion
 * @param text the user message
 */
public record Prompt(String id, String text) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if either is null
     */
    public Prompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
