package dev.sluice.cli;

import dev.sluice.chat.Effort;
import dev.sluice.models.ModelCatalog;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code --effort LEVEL} of {@code stream}, {@code agent}, {@code serve} and {@code object}, checked
 * against every model the command will ask (the model and its fallbacks) before anything starts,
 * the one-line notice of a model that is retired, retires within 30 days or is deprecated (naming a
 * current model to use), the note of a level the model takes as another, and what was sent, all from
 * {@link ModelCatalog}.
 */
final class Efforts {
    private Efforts() {}

    /**
     * {@return the effort {@code --effort} names, or null without the flag}
     *
     * @param value the flag's value, or null
     * @param models every model the command may ask
     * @throws UsageException if the value is not a level, or a model cannot take it (naming the model)
     */
    static @Nullable Effort parse(@Nullable String value, List<String> models) throws UsageException {
        if (value == null) return null;
        Effort effort;
        try {
            effort = Effort.of(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--effort: " + e.getMessage());
        }
        for (String model : models) {
            try {
                ModelCatalog.checkEffort(model, effort);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--effort " + effort.wireName() + ": " + e.getMessage());
            }
        }
        return effort;
    }

    /** {@return the model and its fallbacks' models, in order: every model a command may ask} */
    static List<String> models(String model, List<Fallbacks.Target> fallbacks) {
        List<String> models = new ArrayList<>(List.of(model));
        fallbacks.forEach(t -> models.add(t.model()));
        return models;
    }

    /** Prints one {@code notice:} line for each model that is retired, retires within 30 days of today or is deprecated. */
    static void noticeRetirements(PrintStream err, List<String> models) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (String model : new LinkedHashSet<>(models)) {
            ModelCatalog.retirementNotice(model, today).ifPresent(n -> err.println("notice: " + n));
        }
    }

    /**
     * Prints one {@code note:} line for each model that takes {@code effort} at another level (the
     * nearest it takes is sent: {@code --effort minimal} on Claude Opus 5.5 goes as {@code low}).
     */
    static void noteMoved(PrintStream err, List<String> models, @Nullable Effort effort) {
        if (effort == null || effort == Effort.NONE) return;
        for (String model : new LinkedHashSet<>(models)) {
            ModelCatalog.find(model)
                    .filter(c -> !c.efforts().isEmpty())
                    .flatMap(c -> c.nearestEffort(effort))
                    .filter(sent -> sent != effort)
                    .ifPresent(sent -> err.println("note: model " + model + " takes no effort " + effort.wireName()
                            + ": " + sent.wireName() + " is sent, the nearest it takes"));
        }
    }

    /**
     * {@return what {@code --effort} sends to {@code model}, for the summary: the value and the field
     * ({@code low (output_config.effort, thinking adaptive)}, {@code 16384 (thinking.budget_tokens)})}
     */
    static String sent(String model, Effort effort) {
        return ModelCatalog.find(model)
                .map(c -> c.sentAs(effort))
                .orElse(effort.wireName() + " (as asked: the catalog does not know " + model + ")");
    }
}
