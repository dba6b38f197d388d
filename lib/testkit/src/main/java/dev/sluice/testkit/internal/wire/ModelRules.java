package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.json.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What each model refuses, read from the same table the client reads: {@code models.tsv}, which
 * this module's build copies in from {@code lib/sluice} (one source of truth; the test kit depends on
 * the JDK only, so it reads the columns it needs itself). A model the table does not know is
 * refused nothing: old behaviour for ids the table does not list.
 *
 * @param model the id or family prefix
 * @param maker who makes the model (the table's {@code maker} column), so which wire's rules it has
 * @param thinking the thinking form, as the table writes it
 * @param efforts the effort values the model takes (lower case); empty if none
 * @param defaultEffort the model's default effort, or null
 * @param off how thinking is turned off ({@code disabled}, {@code between_tools}, {@code none},
 *     {@code 0}), or null where it cannot be (or the model does not think)
 * @param offUpTo the highest effort {@code off} goes with, or null for any
 * @param sampling whether it takes non-default sampling parameters
 * @param forcedTool whether it takes a forced tool choice
 * @param prefill whether it takes an assistant prefill
 * @param nativeStructured whether it takes its provider's structured output (the table's {@code
 *     structured} column: {@code native}; else a forced tool call stands in for it)
 * @param chatToolsWithEffort OpenAI: whether Chat Completions takes function tools with an effort
 * @param effortPerMessage Claude: whether a system message's own {@code output_config.effort} is taken
 *     (the table's {@code per_message_effort} column)
 * @param maxOutput the model's output limit in tokens, or 0 where the table gives none
 * @param inputs what the model reads (the table's {@code inputs} column: {@code text}, {@code image},
 *     {@code pdf}, {@code audio})
 */
public record ModelRules(
        String model,
        Maker maker,
        String thinking,
        List<String> efforts,
        @Nullable String defaultEffort,
        @Nullable String off,
        @Nullable String offUpTo,
        boolean sampling,
        boolean forcedTool,
        boolean prefill,
        boolean nativeStructured,
        boolean chatToolsWithEffort,
        boolean effortPerMessage,
        int maxOutput,
        List<String> inputs) {

    private static final List<ModelRules> ROWS = load();
    private static final List<String> SCALE = List.of("none", "minimal", "low", "medium", "high", "xhigh", "max");

    /** Who makes a model, as {@code dev.sluice.models.ModelCapabilities.Maker}. */
    public enum Maker {
        ANTHROPIC,
        OPENAI,
        GOOGLE
    }

    /** {@return the rules of the model's family (the longest row that matches), or empty} */
    public static Optional<ModelRules> of(String model) {
        String id = model.strip().toLowerCase(Locale.ROOT);
        id = id.substring(id.lastIndexOf('/') + 1)
                .replaceFirst(
                        "^(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\\.)?(?:anthropic\\.|google\\.|openai\\.)?", "");
        ModelRules best = null;
        for (ModelRules r : ROWS) {
            if (!id.startsWith(r.model)) continue;
            if (id.length() > r.model.length() && "-@:".indexOf(id.charAt(r.model.length())) < 0) continue;
            if (best == null || r.model.length() > best.model.length()) best = r;
        }
        return Optional.ofNullable(best);
    }

    /** {@return whether the model thinks only adaptively (a budget is refused)} */
    public boolean adaptiveOnly() {
        return thinking.equals("adaptive") || thinking.equals("adaptive-always");
    }

    /** {@return whether the model takes adaptive thinking at all} */
    public boolean takesAdaptive() {
        return thinking.startsWith("adaptive");
    }

    /** {@return whether thinking can be turned off (a model that does not think: trivially)} */
    public boolean canTurnOff() {
        return thinking.equals("none") || off != null;
    }

    /**
     * {@return whether thinking may be turned off while the model works at {@code effort} (its
     * default when null): the table's {@code off} column, {@code disabled<=high} and the like}
     */
    public boolean offAllows(@Nullable String effort) {
        String e = effort != null ? effort : defaultEffort;
        if (offUpTo == null) return true;
        return e != null && SCALE.indexOf(e) <= SCALE.indexOf(offUpTo);
    }

    /**
     * Refuses a PDF or audio clip the model does not read, as its row's {@code inputs} column says,
     * in any wire's shape: Messages {@code document} blocks (a PDF source), Chat Completions {@code
     * file} and {@code input_audio} parts, the Responses API's {@code input_file} and {@code
     * input_audio}, Gemini's {@code inlineData} / {@code fileData} by {@code mimeType}, Converse's
     * {@code document} (format {@code pdf}) and {@code audio} blocks. A model the table does not know
     * reads everything.
     *
     * @param model the model id
     * @param turns the request's turns: {@code messages}, {@code input} or {@code contents}, each
     *     holding its parts in {@code content} or {@code parts}
     * @throws ApiError a 400 naming the model and what it does not read
     */
    public static void checkInputs(String model, JsonNode turns) throws ApiError {
        ModelRules rules = of(model).orElse(null);
        if (rules == null || !turns.isArray()) return;
        for (JsonNode turn : turns) {
            JsonNode parts = turn.path("content").isArray() ? turn.path("content") : turn.path("parts");
            if (!parts.isArray()) continue;
            for (JsonNode part : parts) {
                String kind = kind(part);
                if (kind != null && !rules.inputs().contains(kind)) {
                    throw ApiError.invalid("The model " + model + " does not support "
                            + (kind.equals("pdf") ? "PDF" : "audio") + " input.");
                }
            }
        }
    }

    /** {@return {@code pdf} or {@code audio} for a part that carries one, in any wire's shape; else null} */
    private static @Nullable String kind(JsonNode part) {
        String type = part.path("type").asText("");
        switch (type) {
            case "document" -> {
                return part.path("source").path("media_type").asText("").equals("application/pdf") ? "pdf" : null;
            }
            case "file", "input_file" -> {
                String data = (type.equals("file") ? part.path("file") : part)
                        .path("file_data")
                        .asText("");
                return data.startsWith("data:application/pdf") ? "pdf" : null;
            }
            case "input_audio" -> {
                return "audio";
            }
            default -> {}
        }
        for (String blob : List.of("inlineData", "fileData")) {
            String mime = part.path(blob).path("mimeType").asText("").toLowerCase(Locale.ROOT);
            if (mime.equals("application/pdf")) return "pdf";
            if (mime.startsWith("audio/")) return "audio";
        }
        if (part.path("document").path("format").asText("").equals("pdf")) return "pdf";
        if (part.path("audio").isObject()) return "audio";
        return null;
    }

    private static List<ModelRules> load() {
        try (InputStream in = ModelRules.class.getResourceAsStream("models.tsv")) {
            if (in == null) throw new IllegalStateException("models.tsv is missing beside " + ModelRules.class);
            List<ModelRules> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                if (header) {
                    header = false;
                    continue;
                }
                String[] c = line.split("\t", -1);
                String off = c[6].equals("-") ? null : c[6];
                String offUpTo = null;
                if (off != null && off.contains("<=")) {
                    offUpTo = off.substring(off.indexOf("<=") + 2);
                    off = off.substring(0, off.indexOf("<="));
                }
                rows.add(new ModelRules(
                        c[0],
                        Maker.valueOf(c[1].toUpperCase(Locale.ROOT)),
                        c[2],
                        c[3].equals("-") ? List.of() : Arrays.asList(c[3].split(",")),
                        c[4].equals("-") ? null : c[4],
                        off,
                        offUpTo,
                        c[7].equals("yes"),
                        c[8].equals("yes"),
                        c[9].equals("yes"),
                        c[10].equals("native"),
                        c[11].equals("yes"),
                        c[12].equals("yes"),
                        Integer.parseInt(c[13]),
                        Arrays.asList(c[18].split(","))));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
