package dev.sluice.anthropic;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code thinking} of a request: {@link #adaptive()} (Claude 4.6 and later decide how much to
 * think, steered by {@link MessageRequest.Builder#effort(String) output_config.effort}; the only form
 * Claude Opus 4.7 and later take), {@link #enabled(int)} with a token budget (Claude before 4.6;
 * deprecated on 4.6; refused from Opus 4.7 on), {@link #disabled()} (refused by the models that
 * always think, such as Claude Opus 5.5 and Fable 5, and by Claude Sonnet 5.5; Claude Haiku 5.5 and
 * Opus 5 take it only at effort {@code high} or lower), or {@link #betweenTools()} (Claude Sonnet
 * 5.5 only, in place of {@code disabled}). As the official SDK's
 * {@code com.anthropic.models.messages.ThinkingConfigParam} (anthropic-java 3.14: its
 * {@code ThinkingConfigAdaptive} with {@code display}, {@code ThinkingConfigEnabled},
 * {@code ThinkingConfigDisabled}, {@code ThinkingConfigBetweenTools}). Which model takes which:
 * docs/models.md.
 *
 * @param type {@code adaptive}, {@code enabled}, {@code disabled} or {@code between_tools}
 * @param budgetTokens the most tokens it may think with (at least 1024) when enabled; 0 otherwise
 * @param display adaptive only: {@code summarized} (the thinking's summary streams),
 *     {@code updates} (short progress updates stream in place of the summary) or {@code omitted}
 *     (empty thinking blocks, signatures kept), or null for the model's default (omitted on Claude
 *     Opus 4.7 and later)
 */
public record ThinkingConfig(
        String type, int budgetTokens, @Nullable String display) {
    /** The smallest budget the API accepts. */
    public static final int MIN_BUDGET_TOKENS = 1024;

    private static final Set<String> TYPES = Set.of("adaptive", "enabled", "disabled", "between_tools");
    private static final Set<String> DISPLAYS = Set.of("summarized", "updates", "omitted");

    /**
     * @throws NullPointerException if the type is null
     * @throws IllegalArgumentException if the type is none of the four, enabled with a budget under
     *     1024, a budget without enabled, or a display other than summarized / updates / omitted, or
     *     not adaptive
     */
    public ThinkingConfig {
        Objects.requireNonNull(type, "type");
        if (!TYPES.contains(type))
            throw new IllegalArgumentException(
                    "type must be adaptive, enabled, disabled or between_tools, not " + type);
        if (type.equals("enabled") && budgetTokens < MIN_BUDGET_TOKENS) {
            throw new IllegalArgumentException(
                    "budgetTokens must be at least " + MIN_BUDGET_TOKENS + ", not " + budgetTokens);
        }
        if (!type.equals("enabled") && budgetTokens != 0) {
            throw new IllegalArgumentException(type + " thinking takes no budget, not " + budgetTokens);
        }
        if (display != null && (!type.equals("adaptive") || !DISPLAYS.contains(display))) {
            throw new IllegalArgumentException(
                    "display is summarized, updates or omitted, with adaptive thinking only, not " + display + " with "
                            + type);
        }
    }

    /** {@return whether the model thinks with a fixed budget ({@code type: enabled})} */
    public boolean enabled() {
        return type.equals("enabled");
    }

    /** {@return thinking enabled with the given budget (at least 1024; usually less than maxTokens)} */
    public static ThinkingConfig enabled(int budgetTokens) {
        return new ThinkingConfig("enabled", budgetTokens, null);
    }

    /** {@return thinking disabled} */
    public static ThinkingConfig disabled() {
        return new ThinkingConfig("disabled", 0, null);
    }

    /**
     * {@return no up-front thinking, only the short progress notes the model writes between tool calls
     * ({@code {"type": "between_tools"}})} Claude Sonnet 5.5's lowest thinking setting, which it takes
     * in place of {@link #disabled()} (that answers 400 there), and only at effort {@code low},
     * {@code medium} or {@code high} (https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5);
     * the notes come back as thinking blocks, to be sent back unchanged with the rest of the turn.
     * Without tools the answer is text alone. Other models refuse it.
     */
    public static ThinkingConfig betweenTools() {
        return new ThinkingConfig("between_tools", 0, null);
    }

    /** {@return adaptive thinking, its display the model's default} */
    public static ThinkingConfig adaptive() {
        return new ThinkingConfig("adaptive", 0, null);
    }

    /**
     * {@return adaptive thinking shown as {@code display}}
     *
     * @param display {@code summarized}, {@code updates} or {@code omitted}
     */
    public static ThinkingConfig adaptive(String display) {
        return new ThinkingConfig("adaptive", 0, Objects.requireNonNull(display, "display"));
    }
}
