package dev.sluice.models;

import dev.sluice.chat.Effort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The models Sluice knows and what each takes, read from one table ({@code models.tsv} beside this
 * class, every row citing its provider's documentation). Ids are matched by family: a row's model,
 * followed by the end, {@code -}, {@code @} or {@code :} ({@code claude-sonnet-4-5} matches
 * {@code claude-sonnet-4-5-20250929} and Vertex AI's {@code claude-sonnet-4-5@20250929}); the longest
 * row wins; a cloud's prefix ({@code us.anthropic.}, {@code global.}, {@code models/}) is taken off
 * first, and so is a router's ({@code anthropic/claude-opus-4-7}). A model the table does not know gets no guard: its requests are sent as asked.
 *
 * <p>Clients read the table when they map a neutral request (what is never sent to a model, and
 * how an {@link Effort} is sent); the {@code sluice} tool reads it to check {@code --effort} and to
 * warn of a retirement; the test kit refuses from the same rows. Immutable; safe from any thread.
 */
public final class ModelCatalog {
    /** A retirement this near (or past) is announced by {@link #retirementNotice}. */
    public static final int NOTICE_DAYS = 30;

    private static final Pattern CLOUD_PREFIX = Pattern.compile(
            "^(?:.*/)?(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\\.)?(?:anthropic\\.|google\\.|openai\\.)?");

    private static final List<ModelCapabilities> ROWS = load();

    private ModelCatalog() {}

    /** {@return every row, in the table's order (newest families first within a provider)} */
    public static List<ModelCapabilities> all() {
        return ROWS;
    }

    /**
     * {@return the capabilities of the model's family, or empty if the table does not know it}
     *
     * @param model a model id as a provider or cloud names it
     */
    public static Optional<ModelCapabilities> find(String model) {
        String id = normalize(model);
        return ROWS.stream()
                .filter(r -> r.matches(id))
                .max(Comparator.comparingInt(r -> r.model().length()));
    }

    /**
     * Checks that {@code model} can take {@code effort} at all (see
     * {@link ModelCapabilities#checkEffort}); a model the table does not know passes.
     *
     * @param model the model id
     * @param effort the effort asked for
     * @throws IllegalArgumentException naming the model and the parameter
     */
    public static void checkEffort(String model, Effort effort) {
        find(model).ifPresent(c -> c.checkEffort(effort));
    }

    /**
     * Checks, for a model the catalog knows, that its thinking can be shown (it thinks); a model it
     * does not know passes.
     *
     * @param model the model id
     * @throws IllegalArgumentException naming the model, if it does not think
     */
    public static void checkShowThinking(String model) {
        find(model).ifPresent(ModelCapabilities::checkShowThinking);
    }

    /**
     * {@return one line telling that the model is retired or retires within {@value #NOTICE_DAYS}
     * days of {@code today}, naming the replacement its provider names; empty otherwise}
     *
     * @param model the model id
     * @param today the day to count from
     */
    public static Optional<String> retirementNotice(String model, LocalDate today) {
        Optional<ModelCapabilities> found = find(model);
        if (found.isEmpty() || found.get().retires() == null) return Optional.empty();
        ModelCapabilities c = found.get();
        LocalDate retires = c.retires();
        long days = ChronoUnit.DAYS.between(today, retires);
        if (days > NOTICE_DAYS) return Optional.empty();
        String use = c.replacement() != null ? "; use " + c.replacement() + " instead" : "";
        return Optional.of(
                days <= 0
                        ? "model " + model + " was retired on " + retires + " and its requests fail" + use
                        : "model " + model + " retires on " + retires + " (in " + days + " day" + (days == 1 ? "" : "s")
                                + ")" + use);
    }

    static String normalize(String model) {
        return CLOUD_PREFIX.matcher(model.strip().toLowerCase(Locale.ROOT)).replaceFirst("");
    }

    private static List<ModelCapabilities> load() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("models.tsv")) {
            if (in == null) throw new IllegalStateException("models.tsv is missing beside " + ModelCatalog.class);
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("models.tsv could not be read", e);
        }
    }

    static List<ModelCapabilities> parse(BufferedReader reader) throws IOException {
        List<ModelCapabilities> rows = new ArrayList<>();
        boolean header = true;
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (header) {
                header = false;
                continue;
            }
            String[] c = line.split("\t", -1);
            if (c.length != 17)
                throw new IllegalStateException("models.tsv: 17 columns wanted, not " + c.length + ": " + line);
            String[] budget = c[5].equals("-") ? new String[] {"0", "0"} : c[5].split("-", -1);
            ModelCapabilities row = new ModelCapabilities(
                    c[0],
                    ModelCapabilities.Maker.parse(c[1]),
                    ThinkingForm.parse(c[2]),
                    c[3].equals("-")
                            ? List.of()
                            : Arrays.stream(c[3].split(",")).map(Effort::of).toList(),
                    c[4].equals("-") ? null : Effort.of(c[4]),
                    Integer.parseInt(budget[0]),
                    budget[1].isEmpty() ? 0 : Integer.parseInt(budget[1]),
                    ModelCapabilities.Off.parse(c[6]),
                    yes(c[7]),
                    yes(c[8]),
                    yes(c[9]),
                    c[10].equals("native"),
                    yes(c[11]),
                    yes(c[12]),
                    Integer.parseInt(c[13]),
                    c[14].equals("-") ? null : LocalDate.parse(c[14]),
                    orNull(c[15]),
                    c[16]);
            if ((row.off() != null) != offAllowed(row)) {
                throw new IllegalStateException("models.tsv: " + row.model() + "'s off column '" + c[6]
                        + "' disagrees with its thinking form " + c[2] + " and efforts " + c[3]);
            }
            rows.add(row);
        }
        return List.copyOf(rows);
    }

    /** {@return whether the row's thinking form lets thinking be turned off, which its off column must then say how} */
    private static boolean offAllowed(ModelCapabilities row) {
        return switch (row.thinking()) {
            case ADAPTIVE_OR_BUDGET, ADAPTIVE, BUDGET -> true;
            case ADAPTIVE_ALWAYS, BUDGET_ALWAYS, LEVEL, NONE -> false;
            case EFFORT -> row.efforts().contains(Effort.NONE);
        };
    }

    private static boolean yes(String column) {
        return column.equals("yes");
    }

    private static @Nullable String orNull(String column) {
        return column.equals("-") ? null : column;
    }
}
