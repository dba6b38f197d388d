package dev.sluice.anthropic;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The input of a tool-use block ({@link ToolUseBlock}, {@link ServerToolUseBlock},
 * {@link McpToolUseBlock}): its JSON text as it arrived, and the value and error of that text,
 * given or parsed from the text when first read. A streamed block's input is parsed only when its
 * {@code input()} or {@code inputError()} is first read, so a consumer that keeps only the text (or
 * nothing) pays for no parse; one that reads it pays for one parse of the text, as a complete
 * response's reading does.
 *
 * <p>The rules for a complete text ({@link #finish}): a JSON object is the input; a text only cut
 * off ({@link PartialJson#isTruncated()}: a reply that hit {@code max_tokens}) gives the
 * best-effort value of what was written and an error; a malformed text (or one nested deeper than
 * {@link PartialJson#MAX_DEPTH}) gives an empty input and an error, no value guessed from it; a
 * valid text that is not an object, an empty input and an error.
 *
 * <p>Threading: immutable once made; the parse on first read may run on two threads at once, each
 * computing the same immutable result, of which one is kept.
 */
final class ToolInput {
    private final CharSequence json; // a String, or an immutable view that builds its String once
    private volatile @Nullable Parsed parsed; // null until first read when parsed on demand

    /** The input's value and why the text is not a valid JSON object (empty when it is). */
    private record Parsed(Map<String, Object> input, Optional<String> error) {}

    private ToolInput(CharSequence json, @Nullable Parsed parsed) {
        this.json = json;
        this.parsed = parsed;
    }

    /**
     * {@return an input with its value given} The value is copied into the immutable value model.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the value is outside the value model
     */
    static ToolInput of(Map<String, ?> input, String inputJson, Optional<String> inputError) {
        Map<String, Object> value = JsonValues.copyObject(input, "input");
        Objects.requireNonNull(inputJson, "inputJson");
        Objects.requireNonNull(inputError, "inputError");
        return new ToolInput(inputJson, new Parsed(value, inputError));
    }

    /** {@return the best-effort input of a text still streaming, and no error} */
    static ToolInput streaming(Map<String, Object> bestEffort, CharSequence json) {
        return new ToolInput(json, new Parsed(bestEffort, Optional.empty()));
    }

    /** {@return the input of a complete streamed text, parsed when first read} */
    static ToolInput parsedOnDemand(CharSequence json) {
        return new ToolInput(json, null);
    }

    /** {@return the input of a complete streamed text, from a parser that was fed all of it} */
    static ToolInput finished(CharSequence json, PartialJson parser) {
        return new ToolInput(json, finish(parser));
    }

    Map<String, Object> input() {
        return parsed().input();
    }

    String json() {
        return json.toString();
    }

    Optional<String> error() {
        return parsed().error();
    }

    /** {@return whether the value is known: given, finished from a parser, or parsed by a read} */
    boolean isParsed() {
        return parsed != null;
    }

    private Parsed parsed() {
        Parsed p = parsed;
        if (p == null) {
            PartialJson parser = new PartialJson();
            parser.append(json);
            parsed = p = finish(parser);
        }
        return p;
    }

    /** Ends a parser fed a whole input and applies the rules of the class description. */
    @SuppressWarnings("unchecked")
    private static Parsed finish(PartialJson parser) {
        PartialJson.Result result = parser.finish();
        if (!result.isValid()) {
            // Cut off (max_tokens): what was written, as far as it came. Malformed: nothing is
            // guessed, the input stays empty. The text is kept as it arrived either way.
            Map<String, Object> bestEffort = parser.isTruncated() && parser.snapshot() instanceof Map<?, ?> m
                    ? (Map<String, Object>) m
                    : Map.of();
            return new Parsed(bestEffort, Optional.of("tool input is not valid JSON: " + result.error()));
        }
        if (result.value() instanceof Map<?, ?> m) return new Parsed((Map<String, Object>) m, Optional.empty());
        return new Parsed(
                Map.of(), Optional.of("tool input is not a JSON object: " + Json.truncate(parser.text(), 200)));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ToolInput t && json().equals(t.json()) && parsed().equals(t.parsed());
    }

    @Override
    public int hashCode() {
        return Objects.hash(json(), parsed());
    }
}
