package dev.sluice.openai;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Effort;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.models.ThinkingForm;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The neutral request's effort and sampling as an OpenAI model takes them, from the
 * {@link ModelCatalog}: the nearest reasoning effort the model accepts ({@code minimal} on GPT-5.6
 * is {@code low}; {@code none} on a model that always reasons is refused before any request), no
 * temperature for a model that takes only the default, and whether Chat Completions can carry the
 * request's function tools with its effort (GPT-5.4 and later cannot: the {@code openai} provider
 * then sends the request through the Responses API). A model the catalog does not know gets the
 * effort as asked and its temperature. Stateless.
 */
final class ReasoningEfforts {
    private ReasoningEfforts() {}

    private static Optional<ModelCapabilities> caps(String model) {
        return ModelCatalog.find(model).filter(c -> c.maker() == ModelCapabilities.Maker.OPENAI);
    }

    /**
     * {@return the reasoning effort to send, or null to send none}
     *
     * @throws IllegalArgumentException if the model cannot take the effort at all
     */
    static @Nullable String effort(ChatRequest r) {
        Effort e = r.effort();
        if (e == null) return null;
        ModelCapabilities c = caps(r.model()).orElse(null);
        if (c == null) return e.wireName();
        c.checkEffort(e);
        if (c.thinking() == ThinkingForm.NONE) return null;
        return c.nearestEffort(e).map(Effort::wireName).orElse(null);
    }

    /**
     * {@return whether the request asks to show the thinking ({@code reasoning.summary}), checked}
     *
     * @throws IllegalArgumentException if it does and the catalog says the model does not reason
     */
    static boolean showThinking(ChatRequest r) {
        if (!r.showThinking()) return false;
        caps(r.model()).ifPresent(ModelCapabilities::checkShowThinking);
        return true;
    }

    /**
     * {@return the request's output limit, or null for none}
     *
     * @throws IllegalArgumentException if it is above the model's output limit (naming both)
     */
    static @Nullable Integer maxTokens(ChatRequest r) {
        Integer max = r.maxTokens();
        if (max != null) caps(r.model()).ifPresent(c -> c.checkMaxOutputTokens(max));
        return max;
    }

    /** {@return whether the request's temperature may be sent to its model} */
    static boolean sampling(ChatRequest r) {
        return caps(r.model()).map(ModelCapabilities::sampling).orElse(true);
    }

    /**
     * {@return whether Chat Completions would refuse the request: function tools with an effort other
     * than none, on a model that takes them only on the Responses API (the effort asked, or the
     * model's own when none is asked and it cannot turn reasoning off)}
     */
    static boolean toolsNeedResponses(ChatRequest r) {
        if (r.tools().isEmpty()) return false;
        ModelCapabilities c = caps(r.model()).orElse(null);
        if (c == null || c.chatToolsWithEffort() || c.thinking() != ThinkingForm.EFFORT) return false;
        String sent = effort(r);
        if (sent != null) return !sent.equals("none");
        return !(c.defaultEffort() == Effort.NONE);
    }
}
