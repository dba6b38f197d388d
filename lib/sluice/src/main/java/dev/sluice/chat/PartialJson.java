package dev.sluice.chat;

import dev.sluice.internal.low.json.IncrementalJsonParser;
import dev.sluice.internal.low.json.JsonWriter;
import dev.sluice.internal.low.json.StrictJsonReader;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental JSON parser for values that arrive in fragments, such as a tool call's arguments
 * streamed by a model: after each {@link #append fragment}, {@link #snapshot()} is the best-effort
 * value of what has arrived so far, and {@link #finish()} says at the end whether the whole is valid
 * JSON.
 *
 * <p>The value model is the one used everywhere in Sluice's public API: an object is an
 * unmodifiable, insertion-ordered {@code Map<String, Object>} (a duplicate key: the last value wins,
 * at the key's first position), an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long} (integers that fit), a {@code BigInteger} (larger
 * integers) or a {@code BigDecimal} (a fraction or an exponent, with its scale as written), true and
 * false a {@code Boolean}, and JSON null a Java {@code null}.
 *
 * <p>Best effort, as the input arrives:
 * <ul>
 *   <li>open objects and arrays are shown closed;</li>
 *   <li>a string value is shown as far as it has arrived (an escape sequence only once it is
 *       complete, and a surrogate pair only once both halves are there);</li>
 *   <li>an object member is shown once its key is complete and its value has begun to be shown: a
 *       partially arrived key is left out together with its value;</li>
 *   <li>a number is left out until a character after it (a delimiter) arrives, since {@code 12}
 *       may still become {@code 123}; at {@link #finish()} the end of input is that delimiter;</li>
 *   <li>{@code true}, {@code false} and {@code null} are shown once complete.</li>
 * </ul>
 *
 * <p>So what a snapshot shows never changes later, it only grows: each snapshot <em>extends</em>
 * every earlier one, and the value of {@link #finish()} extends the last snapshot. A value extends
 * an earlier one when it is
 * <ul>
 *   <li>for a string, a string that starts with the earlier one;</li>
 *   <li>for an object, an object whose first members have the earlier object's names in the same
 *       order, each value extending the earlier value (more members may follow);</li>
 *   <li>for an array, an array whose first elements extend the earlier elements (more may follow);</li>
 *   <li>for a number, {@code true}, {@code false} or {@code null} inside an object or array, the
 *       same value.</li>
 * </ul>
 * A null snapshot (nothing usable yet) is extended by any value. This holds for any input, valid
 * or not, with two exceptions: an object that repeats a member name shows the later value in the
 * first one's place (the value model's rule above), and from where the input nests deeper than
 * {@link #MAX_DEPTH} nothing is shown (below). {@code PartialJsonFuzzTest} checks it.
 *
 * <p>Nothing the input contains makes this class throw. Problems are recorded and parsing goes
 * on: a bad escape such as {@code \x} is kept verbatim ({@code \x}); a stray character is skipped;
 * an unescaped control character in a string is kept; an invalid number or literal is left out.
 * An escaped lone surrogate ({@code \ud83d} not followed by an escaped low surrogate, or a lone
 * {@code \ude00}) becomes U+FFFD; the JSON grammar allows it, so it alone is not an error. The
 * first problem is reported by {@link #finish()}, with its offset: the index, in chars, in
 * {@link #text()}.
 *
 * <p>Depth limit: objects and arrays may nest {@value #MAX_DEPTH} levels deep, the same limit as
 * Jackson's default {@code maxNestingDepth}, so a document is refused alike whichever of the two
 * reads it. An object or array that opens deeper is a problem like the others, but one that ends
 * the parse: from then on no value is built ({@link #snapshot()} is null, and so is the value of
 * {@link #finish()}, whose error says {@code JSON nested deeper than 500 levels}), the rest of the
 * input is only kept in {@link #text()}, and appending costs no more than copying the text. So no
 * value that a model (or anyone) writes can make a walk of the result overflow the stack.
 *
 * <p>Where it is still growing: everything a snapshot shows is complete except the values along
 * {@link #openPath()}, the innermost value still being written and the containers around it. A
 * value off that path never changes again.
 *
 * <p>Cost: each character is examined once, so appending n characters in any number of fragments
 * costs O(n) in total. A snapshot copies nothing: open objects and arrays are views of the members
 * and elements so far, the string being read a view of its characters, and closed containers are
 * shared, immutable, the same instances in every later snapshot; so taking one costs O(depth),
 * however much has arrived. A snapshot taken when nothing it shows has changed (only whitespace,
 * a key or a number still being read arrived) is the same instance as the one before.
 *
 * <p>Threading: not thread-safe; one instance per value, fed by one thread at a time. The values it
 * returns are immutable and may be handed to any thread.
 */
public final class PartialJson {
    /** How deep objects and arrays may nest; see the class description. */
    public static final int MAX_DEPTH = 500;

    private final IncrementalJsonParser parser = new IncrementalJsonParser();

    /** Creates a parser with no input yet. */
    public PartialJson() {}

    /**
     * Parses the next fragment. The tokenizer's state is kept between fragments, so a fragment may
     * end anywhere: inside a string, an escape, a number or a literal.
     *
     * @param fragment the next characters of the input, possibly empty
     * @throws NullPointerException if fragment is null
     * @throws IllegalStateException if {@link #finish()} was called
     */
    public void append(CharSequence fragment) {
        if (fragment == null) throw new NullPointerException("fragment must not be null");
        parser.feed(fragment);
    }

    /** {@return everything appended so far} */
    public String text() {
        return parser.text();
    }

    /**
     * {@return an immutable view of everything appended so far: it keeps showing what it showed,
     * whatever is appended later} O(1) to take; its {@code toString()} builds the text once. For
     * following a streamed value's text without copying it at every fragment.
     */
    public CharSequence textView() {
        return parser.textView();
    }

    /**
     * {@return the best-effort value of what has arrived (see the class description), or null when
     * nothing usable has arrived yet (or the value is JSON null); immutable} After {@link #finish()},
     * the value of the result.
     */
    public @Nullable Object snapshot() {
        return parser.snapshot();
    }

    /**
     * {@return the snapshot without the string value still being read, if one is} That string is
     * left out as a number being read is (the member it belongs to, or its element), so every
     * string shown is complete; for a value, such as a name from a fixed list, whose prefix means
     * nothing. The same instance while that string is read, and the same as the last
     * {@link #snapshot()} when that was taken just before the string began. When no string value is
     * being read, the same as {@link #snapshot()}.
     */
    public @Nullable Object snapshotWithoutOpenString() {
        return parser.snapshotWithoutOpenString();
    }

    /**
     * {@return where the value is still being written: the path from the top-level value to the
     * innermost value still open, as the latest snapshot shows it} Its steps are member names
     * ({@code String}) and element indexes ({@code Integer}). Every value the snapshot shows that
     * is not on this path — not the value it leads to, nor one of the containers on the way — is
     * complete and never changes again. Empty when nothing is open below the top-level value: that
     * value is itself the innermost open one, or complete ({@link #isComplete()}), or nothing has
     * arrived. A number or literal being read is not shown, so it is not on the path either: the
     * path ends at its container. O(depth).
     *
     * <p>For example, after <code>{"steps": [{"name": "boil"}, {"name": "dra</code>, the path is
     * <code>["steps", 1, "name"]</code>: the first step is complete, the second and its name are not.
     */
    public List<Object> openPath() {
        return parser.openPath();
    }

    /**
     * {@return whether the innermost open value is a string value being read} It is then the last
     * step of {@link #openPath()} (or the top-level value itself, when the path is empty).
     */
    public boolean isStringOpen() {
        return parser.isStringOpen();
    }

    /**
     * {@return whether the top-level value is complete} Its last character has arrived (a number's,
     * once a delimiter followed it); anything but whitespace after it is an error. Also true after
     * {@link #finish()} when the input was one valid JSON value.
     */
    public boolean isComplete() {
        return parser.isComplete();
    }

    /**
     * Ends the input: a number at the very end is now complete. Calling it again returns an equal
     * result; {@link #append} afterwards throws.
     *
     * @return the complete value with a null error when the input is one valid JSON value;
     *     otherwise the best-effort value (as {@link #snapshot()} would show it, or null) and a
     *     message naming the first problem and where it is, e.g.
     *     {@code unexpected character 'x' at offset 17}
     */
    public Result finish() {
        return result(parser.finish());
    }

    /**
     * {@return whether the input, ended by {@link #finish()}, is valid JSON that stops too early}
     * That is, its only problem is the end of input — an open string, object or array, or an
     * incomplete literal or number (a reply cut off by a token limit) — so the best-effort value
     * shows exactly what was written, as far as it came. False before {@link #finish()}, for valid
     * input, for empty input, and for input with any other problem (a stray character, a bad
     * escape, nesting deeper than {@link #MAX_DEPTH}), whose best-effort value would be a guess.
     */
    public boolean isTruncated() {
        return parser.truncated();
    }

    /**
     * Parses a complete JSON text strictly, with the same value model.
     *
     * @param json the whole text
     * @return the value with a null error if json is one valid JSON value (surrounding whitespace
     *     allowed); otherwise the best-effort value and a message naming the first problem
     * @throws NullPointerException if json is null
     */
    @SuppressWarnings("ReferenceEquality") // identity: DECLINED is the reader's sentinel
    public static Result parse(CharSequence json) {
        if (json == null) throw new NullPointerException("json must not be null");
        String text = json.toString();
        Object value = StrictJsonReader.read(text); // one pass when the text is valid
        if (value != StrictJsonReader.DECLINED) return new Result(value, null);
        PartialJson parser = new PartialJson();
        parser.append(text);
        return parser.finish();
    }

    /**
     * Writes a value of the value model as compact JSON: strings escaped exactly as JSON requires
     * ({@code "} and {@code \} and the control characters below U+0020, plus lone surrogates as
     * {@code \}{@code uXXXX} so the text stays encodable), members in the map's order. Besides the
     * types of the model it accepts any {@code Map} with String keys, any {@code List}, and
     * {@code Integer}, {@code Short}, {@code Byte}, finite {@code Double} and {@code Float}.
     *
     * @param value the value, null for JSON null
     * @return the JSON text
     * @throws IllegalArgumentException if the value contains something else (the message names its
     *     class and where it is), a null map key, or a non-finite double, or nests objects and arrays
     *     deeper than {@link #MAX_DEPTH}
     */
    static String toJson(@Nullable Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(value, out, "$");
        return out.toString();
    }

    /** {@return the outcome of a parse, in the public form} */
    private static Result result(IncrementalJsonParser.Parsed parsed) {
        return new Result(parsed.value(), parsed.error());
    }

    /**
     * The outcome of {@link #finish()} or {@link #parse}.
     *
     * @param value the value (the best-effort value when the input is invalid), null for JSON null
     *     or when nothing usable arrived
     * @param error null when the input is one valid JSON value; otherwise what is wrong and where
     */
    public record Result(@Nullable Object value, @Nullable String error) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if error is blank
         */
        public Result {
            if (error != null && error.isBlank()) throw new IllegalArgumentException("error must not be blank");
        }

        /** {@return true when the input was one valid JSON value} */
        public boolean isValid() {
            return error == null;
        }
    }
}
