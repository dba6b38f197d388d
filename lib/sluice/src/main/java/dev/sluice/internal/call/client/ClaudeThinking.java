package dev.sluice.internal.call.client;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ThinkingForm;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A neutral request's effort and thinking budget in the form a Claude model takes them, for every
 * route to Claude (the Messages API and Bedrock's Converse, whose {@code additionalModelRequestFields}
 * carry the same fields): adaptive thinking with {@code output_config.effort} (the nearest level the
 * model takes) from Claude 4.6 on; a budget before (with {@code output_config.effort} where the model
 * takes one, Opus 4.5); for {@link Effort#NONE}, thinking turned off as the model's row says
 * ({@code disabled}; {@code between_tools} on Claude Sonnet 5.5, which refuses {@code disabled}), with
 * the highest effort that form goes with where the model's default effort is above it; a budget asked
 * of a model that takes only adaptive thinking becomes adaptive thinking. A model the catalog does
 * not know gets the newest form. A request that asks to show the thinking
 * ({@link ChatRequest#showThinking()}) turns thinking on where nothing else does (adaptive, or the
 * model's budget for its default effort) and, on the models whose thinking is omitted by default
 * (Claude 4.7 and later: {@link ThinkingForm#ADAPTIVE}, {@link ThinkingForm#ADAPTIVE_ALWAYS}), asks
 * for {@code display: "summarized"}. Stateless.
 *
 * @param budget the {@code budget_tokens} of {@code type: enabled}, or null
 * @param type {@code adaptive}, {@code disabled} or {@code between_tools} when no budget is sent, or
 *     null for no {@code thinking}
 * @param effort the {@code output_config.effort}, or null
 * @param display the adaptive thinking's {@code display}, or null for the model's default
 */
public record ClaudeThinking(
        @Nullable Integer budget,
        @Nullable String type,
        @Nullable String effort,
        @Nullable String display) {

    /**
     * A plan with the model's default display.
     *
     * @param budget the {@code budget_tokens}, or null
     * @param type the {@code thinking.type} when no budget is sent, or null
     * @param effort the {@code output_config.effort}, or null
     */
    public ClaudeThinking(@Nullable Integer budget, @Nullable String type, @Nullable String effort) {
        this(budget, type, effort, null);
    }

    /**
     * {@return the thinking to send for the request}
     *
     * @param request the neutral request
     * @param caps the model's row of the catalog, or null for a model it does not know
     * @throws IllegalArgumentException if the model cannot take the effort at all (naming both), or
     *     the thinking is to be shown and the model does not think
     */
    public static ClaudeThinking plan(ChatRequest request, @Nullable ModelCapabilities caps) {
        ClaudeThinking asked = asked(request, caps);
        if (!request.showThinking()) return asked;
        if (caps != null) caps.checkShowThinking();
        ThinkingForm form = caps == null ? ThinkingForm.ADAPTIVE : caps.thinking();
        if (asked.budget() == null && asked.type() == null) { // nothing turns thinking on: on, as the model takes it
            asked = switch (form) {
                case BUDGET, BUDGET_ALWAYS -> {
                    ModelCapabilities c = Objects.requireNonNull(caps);
                    Effort byDefault = c.defaultEffort();
                    yield new ClaudeThinking(c.budgetFor(byDefault == null ? Effort.MEDIUM : byDefault), null, null);
                }
                case ADAPTIVE_OR_BUDGET, ADAPTIVE, ADAPTIVE_ALWAYS ->
                    new ClaudeThinking(null, "adaptive", asked.effort());
                default -> asked;
            };
        }
        if ("adaptive".equals(asked.type()) && (form == ThinkingForm.ADAPTIVE || form == ThinkingForm.ADAPTIVE_ALWAYS))
            return new ClaudeThinking(null, "adaptive", asked.effort(), "summarized");
        return asked;
    }

    private static ClaudeThinking asked(ChatRequest request, @Nullable ModelCapabilities caps) {
        Effort effort = request.effort();
        Integer budget = request.thinkingBudget();
        if (effort == null) {
            if (budget != null
                    && caps != null
                    && (caps.thinking() == ThinkingForm.ADAPTIVE || caps.thinking() == ThinkingForm.ADAPTIVE_ALWAYS))
                return new ClaudeThinking(null, "adaptive", null);
            return new ClaudeThinking(budget, null, null);
        }
        if (caps != null) caps.checkEffort(effort);
        ThinkingForm form = caps == null ? ThinkingForm.ADAPTIVE : caps.thinking();
        if (effort == Effort.NONE) {
            if (form == ThinkingForm.NONE) return new ClaudeThinking(null, null, null);
            ModelCapabilities.Off off = caps == null ? null : caps.off();
            if (off == null) return new ClaudeThinking(null, "disabled", null);
            Effort upTo = off.upTo();
            Effort byDefault = Objects.requireNonNull(caps).defaultEffort();
            if (upTo != null && (byDefault == null || !off.allows(byDefault)))
                return new ClaudeThinking(null, off.value(), upTo.wireName()); // the default is above the bound
            return new ClaudeThinking(null, off.value(), null);
        }
        String level = caps == null
                ? (effort == Effort.MINIMAL ? "low" : effort.wireName())
                : caps.nearestEffort(effort).map(Effort::wireName).orElse(null);
        return switch (form) {
            case BUDGET, BUDGET_ALWAYS ->
                new ClaudeThinking(Objects.requireNonNull(caps).budgetFor(effort), null, level);
            case NONE, LEVEL, EFFORT -> new ClaudeThinking(null, null, null);
            default -> new ClaudeThinking(null, "adaptive", level);
        };
    }
}
