package dev.sluice.models;

import dev.sluice.chat.Effort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

    /**
     * A model that retires within this many days (or is retired, or deprecated with a replacement
     * named) is not current: not a default, not an example, and not a replacement to recommend.
     */
    public static final int CURRENT_DAYS = 60;

    /** The table's columns, found by their header names (a column the code does not read is allowed). */
    private static final List<String> COLUMNS = List.of(
            "model",
            "maker",
            "thinking",
            "efforts",
            "default",
            "budget",
            "off",
            "sampling",
            "forced_tool",
            "prefill",
            "structured",
            "chat_tools",
            "per_message_effort",
            "max_output",
            "retires",
            "replacement",
            "source",
            "read",
            "inputs");

    private static final Pattern CLOUD_PREFIX = Pattern.compile(
            "^(?:.*/)?(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\\.)?(?:anthropic\\.|google\\.|openai\\.)?");

    private static final List<ModelCapabilities> ROWS = load();

    /** The most model names whose row {@link #find} keeps: a gateway's callers name what they like. */
    private static final int MAX_FOUND = 1024;

    /** {@link #find}'s answers by the name asked for: a gateway asks for each request's model. */
    private static final ConcurrentHashMap<String, Optional<ModelCapabilities>> FOUND = new ConcurrentHashMap<>();

    private ModelCatalog() {}

    /** {@return how many names {@link #find} keeps answers for} For tests. */
    static int namesKept() {
        return FOUND.size();
    }

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
        Optional<ModelCapabilities> known = FOUND.get(model);
        if (known != null) return known;
        String id = normalize(model);
        Optional<ModelCapabilities> found = ROWS.stream()
                .filter(r -> r.matches(id))
                .max(Comparator.comparingInt(r -> r.model().length()));
        if (FOUND.size() < MAX_FOUND) FOUND.put(model, found); // names a caller sends: kept up to a bound
        return found;
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
     * Checks, for a model the catalog knows, that it reads {@code input} (see {@link
     * ModelCapabilities#checkInput}); a model it does not know passes.
     *
     * @param model the model id
     * @param input what the request carries
     * @param what the file or part, named in the message
     * @throws IllegalArgumentException naming the model, the input and what it reads
     */
    public static void checkInput(String model, ModelCapabilities.Input input, String what) {
        find(model).ifPresent(c -> c.checkInput(model, input, what));
    }

    /**
     * {@return whether {@code model} is current on {@code today}: not retiring within {@value
     * #CURRENT_DAYS} days (nor retired), and not deprecated with a replacement named; a model the
     * table does not know is taken as current}
     *
     * @param model the model id
     * @param today the day to count from
     */
    public static boolean isCurrent(String model, LocalDate today) {
        return find(model).map(c -> isCurrent(c, today)).orElse(true);
    }

    private static boolean isCurrent(ModelCapabilities c, LocalDate today) {
        LocalDate retires = c.retires();
        return c.replacement() == null && (retires == null || ChronoUnit.DAYS.between(today, retires) > CURRENT_DAYS);
    }

    /**
     * {@return the model to use in place of {@code model}: its provider's named replacement, and that
     * one's, and so on to the first that is current on {@code today} (see {@link #isCurrent}); the last
     * named where none is; empty where the model is current or no replacement is named}
     *
     * @param model the model id
     * @param today the day to count from
     */
    public static Optional<String> currentReplacement(String model, LocalDate today) {
        Optional<ModelCapabilities> row = find(model);
        if (row.isEmpty() || isCurrent(row.get(), today)) return Optional.empty();
        String use = null;
        Set<String> seen = new HashSet<>(Set.of(row.get().model()));
        ModelCapabilities c = row.get();
        for (String named = c.replacement(); named != null; named = c.replacement()) {
            use = named;
            Optional<ModelCapabilities> next = find(named);
            if (next.isEmpty()
                    || isCurrent(next.get(), today)
                    || !seen.add(next.get().model())) break;
            c = next.get();
        }
        return Optional.ofNullable(use);
    }

    /**
     * {@return one line telling that the model is retired, retires within {@value #NOTICE_DAYS} days
     * of {@code today}, or is deprecated with a replacement named, and which model to use instead:
     * the replacement its provider names, followed on to a current one ({@link #currentReplacement});
     * empty otherwise}
     *
     * @param model the model id
     * @param today the day to count from
     */
    public static Optional<String> retirementNotice(String model, LocalDate today) {
        Optional<ModelCapabilities> found = find(model);
        if (found.isEmpty()) return Optional.empty();
        ModelCapabilities c = found.get();
        LocalDate retires = c.retires();
        long days = retires == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(today, retires);
        if (days > NOTICE_DAYS && (retires != null || c.replacement() == null)) return Optional.empty();
        String use = currentReplacement(model, today)
                .map(r -> "; use " + r + " instead"
                        + (r.equals(c.replacement())
                                ? ""
                                : " (" + c.replacement() + ", named in its place, retires too)"))
                .orElse("");
        if (retires == null) return Optional.of("model " + model + " is deprecated" + use);
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
        Map<String, Integer> at = null; // the header's column names, each at its index
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] c = line.split("\t", -1);
            if (at == null) {
                at = new HashMap<>();
                for (int i = 0; i < c.length; i++) at.put(c[i], i);
                for (String name : COLUMNS)
                    if (!at.containsKey(name))
                        throw new IllegalStateException("models.tsv: no column '" + name + "' in the header");
                continue;
            }
            if (c.length != at.size())
                throw new IllegalStateException(
                        "models.tsv: " + at.size() + " columns wanted, not " + c.length + ": " + line);
            Map<String, Integer> header = at;
            Function<String, String> col = name -> c[Objects.requireNonNull(header.get(name))];
            String budgetColumn = col.apply("budget");
            String[] budget = budgetColumn.equals("-") ? new String[] {"0", "0"} : budgetColumn.split("-", -1);
            String efforts = col.apply("efforts");
            ModelCapabilities row = new ModelCapabilities(
                    col.apply("model"),
                    ModelCapabilities.Maker.parse(col.apply("maker")),
                    ThinkingForm.parse(col.apply("thinking")),
                    efforts.equals("-")
                            ? List.of()
                            : Arrays.stream(efforts.split(",")).map(Effort::of).toList(),
                    col.apply("default").equals("-") ? null : Effort.of(col.apply("default")),
                    Integer.parseInt(budget[0]),
                    budget[1].isEmpty() ? 0 : Integer.parseInt(budget[1]),
                    ModelCapabilities.Off.parse(col.apply("off")),
                    yes(col.apply("sampling")),
                    yes(col.apply("forced_tool")),
                    yes(col.apply("prefill")),
                    col.apply("structured").equals("native"),
                    yes(col.apply("chat_tools")),
                    yes(col.apply("per_message_effort")),
                    Integer.parseInt(col.apply("max_output")),
                    col.apply("retires").equals("-") ? null : LocalDate.parse(col.apply("retires")),
                    orNull(col.apply("replacement")),
                    col.apply("source"),
                    ModelCapabilities.Input.parse(col.apply("inputs")));
            if ((row.off() != null) != offAllowed(row)) {
                throw new IllegalStateException("models.tsv: " + row.model() + "'s off column '" + col.apply("off")
                        + "' disagrees with its thinking form " + col.apply("thinking") + " and efforts " + efforts);
            }
            try {
                LocalDate.parse(col.apply("read"));
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(
                        "models.tsv: " + row.model() + "'s read column is not a day (YYYY-MM-DD): " + col.apply("read"),
                        e);
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
