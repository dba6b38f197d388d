package dev.sluice.chat;

import java.util.Locale;

/**
 * How hard a model should think before it answers: one portable scale that each client maps to
 * what the model asked takes (Anthropic's adaptive thinking with {@code output_config.effort}, or a
 * thinking budget on older Claude; Gemini 3's {@code thinkingLevel}, or a budget on Gemini 2.5;
 * OpenAI's {@code reasoning.effort} / {@code reasoning_effort}). A model that lacks the exact value
 * gets the nearest one it takes; {@link #NONE} asks for no thinking at all, which a model that
 * always thinks refuses. The mapping per model is in {@code dev.sluice.models.ModelCatalog} and
 * docs/streaming.md.
 */
public enum Effort {
    /** No thinking. */
    NONE,
    /** The least thinking a model does while still thinking. */
    MINIMAL,
    /** Little thinking: fast and cheap. */
    LOW,
    /** Balanced. */
    MEDIUM,
    /** Thorough (most models' default). */
    HIGH,
    /** More than high, for long agentic work. */
    XHIGH,
    /** As much as the model can. */
    MAX;

    /** {@return the lower-case name, as the providers and the tool's {@code --effort} write it} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@return the effort named {@code name}, in any case}
     *
     * @param name one of {@code none}, {@code minimal}, {@code low}, {@code medium}, {@code high},
     *     {@code xhigh}, {@code max}
     * @throws IllegalArgumentException if the name is none of them (the message lists them)
     */
    public static Effort of(String name) {
        for (Effort e : values()) if (e.wireName().equalsIgnoreCase(name.strip())) return e;
        throw new IllegalArgumentException(
                "effort must be one of none, minimal, low, medium, high, xhigh, max, not '" + name + "'");
    }
}
