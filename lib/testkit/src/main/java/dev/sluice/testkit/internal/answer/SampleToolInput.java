package dev.sluice.testkit.internal.answer;

import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import dev.sluice.testkit.spi.Slot;
import dev.sluice.testkit.spi.Voice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A plain tool input for a tool the fake model chose to call, and {@link PlainVoice}'s structured
 * answers (the demo model's have a filler of their own): the required properties (all of them when none is marked required)
 * filled by type, in the schema's order, from the prompt — a number the prompt's next number
 * ("add 2 and 3": 2, then 3; a digit inside a name such as {@code get-sum_2} is none; 42 past the
 * last), a string the prompt's next quoted text ({@code 'hello there'}, {@code "Ada"}), else, for a
 * property naming a file ({@code file_path}, {@code path}, {@code filename}), the prompt's first
 * file name ({@code README.md}), else one word of the prompt, an enum the value the prompt names (else its first, or an array's n-th item the n-th), a boolean true, an array
 * one item — down to a fixed depth, within the schema's bounds ({@link SchemaSample} walks it). An
 * instance fills one input; in JSON mode, that input is an object with one string, {@code answer}.
 */
final class SampleToolInput implements Voice.Fill {
    /** {@return the shape of a JSON-mode answer: one string, its {@code answer}} A new tree each time: it is mutable. */
    private static JsonNode jsonMode() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("answer").put("type", "string");
        schema.putArray("required").add("answer");
        return schema;
    }

    private static final int MAX_DEPTH = 4;
    private static final Pattern NUMBER =
            Pattern.compile("(?<![\\p{L}\\p{N}_.-])-?\\d{1,15}(?:\\.\\d{1,15})?(?![\\p{L}\\p{N}_]|\\.\\d)");
    private static final Pattern QUOTED =
            Pattern.compile("\"([^\"\\n]+)\"|“([^”\\n]+)”|(?<![\\p{L}\\p{N}])'([^'\\n]+)'(?![\\p{L}\\p{N}])");

    /** A property that names a file: {@code file_path}, {@code path}, {@code filename}, {@code file}. */
    private static final Pattern FILE_SLOT = Pattern.compile("(?i)(?:path|file|filename)$");
    /** A word of the prompt that is a file's name or path: {@code README.md}, {@code src/Main.java}. */
    private static final Pattern FILE_WORD =
            Pattern.compile("(?<![\\p{L}\\p{N}_./-])(?:[\\w.-]*/)*[\\w-]+\\.[A-Za-z][\\w]{0,9}(?![\\p{L}\\p{N}_/])");

    private final String lower;
    private final String word;
    private final @Nullable String file;
    private final List<BigDecimal> numbers = new ArrayList<>();
    private final List<String> quoted = new ArrayList<>();
    private int nextNumber;
    private int nextQuoted;

    SampleToolInput(String prompt) {
        this.lower = prompt.toLowerCase(Locale.ROOT);
        this.word = PlannedTexts.topicWord(prompt);
        Matcher f = FILE_WORD.matcher(prompt);
        this.file = f.find() ? f.group() : null;
        for (Matcher m = NUMBER.matcher(prompt); m.find(); ) numbers.add(new BigDecimal(m.group()));
        for (Matcher m = QUOTED.matcher(prompt); m.find(); ) {
            quoted.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
    }

    /** {@return the sample input: always a JSON object, as the API requires for tool input} */
    static ObjectNode of(JsonNode inputSchema, String prompt) {
        JsonNode value = SchemaSample.of(inputSchema, new SampleToolInput(prompt));
        return value instanceof ObjectNode o ? o : Json.object();
    }

    /** Without a {@code required} list, every property is; with one, only those in it. */
    @Override
    public boolean includes(Slot slot, boolean anyRequired) {
        return !anyRequired;
    }

    @Override
    public int items(Slot slot) {
        return 1;
    }

    @Override
    public String text(Slot slot) {
        if (nextQuoted < quoted.size()) return quoted.get(nextQuoted++);
        if (file != null && FILE_SLOT.matcher(slot.name()).find()) return file; // "read README.md": file_path
        return word;
    }

    @Override
    public Number number(Slot slot, boolean integer) {
        if (nextNumber < numbers.size()) {
            BigDecimal n = numbers.get(nextNumber++);
            return integer ? (Number) n.setScale(0, RoundingMode.HALF_UP).longValue() : (Number) n.doubleValue();
        }
        return integer ? (Number) 42L : (Number) 42.0;
    }

    @Override
    public boolean bool(Slot slot) {
        return true;
    }

    @Override
    public int choose(Slot slot, List<JsonNode> options) {
        for (int k = 0; k < options.size(); k++) {
            String o = options.get(k).asText().toLowerCase(Locale.ROOT);
            if (o.length() > 1 // a one-letter value ("a") is a word of most prompts, not a choice
                    && Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(o) + "(?![\\p{L}\\p{N}])")
                            .matcher(lower)
                            .find()) return k;
        }
        return slot.item() >= 0
                ? slot.item() % options.size()
                : 0; // an array's items differ, as its uniqueItems may ask
    }

    @Override
    public int depthLimit() {
        return MAX_DEPTH;
    }

    @Override
    public JsonNode schemaForJsonMode() {
        return jsonMode();
    }
}
