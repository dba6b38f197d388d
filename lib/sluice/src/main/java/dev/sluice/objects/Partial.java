package dev.sluice.objects;

import dev.sluice.internal.low.value.ImmutableJsonArray;
import dev.sluice.internal.low.value.ImmutableJsonObject;
import dev.sluice.internal.low.value.TextView;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The object of an {@link ObjectStream} as far as it has arrived: honest about what is there, and
 * never taking back what it showed. Immutable; any thread.
 *
 * <pre>{@code
 * for (Partial<Recipe> p : stream) {
 *     form.title(p.get("title", String.class).orElse(""));          // grows as it streams
 *     form.minutes(p.get("minutes", Integer.class));               // present once complete
 *     form.ingredients(p.list("ingredients", Ingredient.class));   // the complete ones
 *     form.busy("steps", p.state("steps") == Partial.State.STREAMING);
 * }
 * }</pre>
 *
 * <h2>What it shows</h2>
 * Each value of the object is {@link State#ABSENT absent}, {@link State#STREAMING streaming} (a
 * string growing, or an object or array still receiving members), or {@link State#COMPLETE
 * complete}. A string is shown as it grows, except one from a fixed set (an enum), which appears
 * only once complete; a number, boolean or null appears only once complete; an object member only
 * once its name is complete. Within one answer ({@link #attempt()}), a later partial shows
 * everything an earlier one showed: a string extended, an object or array with more members, a
 * complete value unchanged; so a view built from one partial only ever grows. A restart of a
 * fallback chain starts a new answer: its first partial {@link #isReset() is a reset}.
 *
 * <h2>Paths</h2>
 * Values are named by JSON Pointers: {@code "title"}, {@code "steps/2"}, {@code "ingredients/0/name"}
 * (a leading {@code /} is allowed, {@code ""} is the whole object, {@code ~1} is a {@code /} in a
 * name). For a record's stream, a path the record does not have, or a type the component cannot
 * be read as, is refused ({@link IllegalArgumentException}); a {@code Map} component is the list of
 * its entries, {@code "scores/0/key"}, as its schema writes it.
 *
 * <h2>Cost</h2>
 * Taking a partial costs what changed; reading it, what is read. {@link #list} and {@link #get}
 * remember, for the stream, what they bound: asking each partial for the same list binds each
 * element once. A growing string is read without copying as a {@code CharSequence}
 * ({@code get(path, CharSequence.class)}); as a {@code String} it is built at each read.
 *
 * @param <T> the stream's type: the record, or {@code Map<String, Object>} for a schema given as JSON
 */
public final class Partial<T> {
    /** How far a value has arrived. */
    public enum State {
        /** Nothing of it is shown yet (or it never comes). */
        ABSENT,
        /** Part of it is shown: a string growing, or an object or array still receiving members. */
        STREAMING,
        /** It is all there and never changes again. */
        COMPLETE
    }

    private static final Object MISSING = new Object();

    private final ObjectSchema<T> schema;
    private final @Nullable Object value; // null: nothing shown yet
    private final @Nullable List<Object> openPath; // null when the whole value is complete
    private final int attempt;
    private final boolean reset;
    private final CharSequence json;
    private final Memo memo;

    Partial(
            ObjectSchema<T> schema,
            @Nullable Object value,
            @Nullable List<Object> openPath,
            int attempt,
            boolean reset,
            CharSequence json,
            Memo memo) {
        this.schema = schema;
        this.value = value;
        this.openPath = openPath;
        this.attempt = attempt;
        this.reset = reset;
        this.json = json;
        this.memo = memo;
    }

    /**
     * {@return the object as far as it has arrived, in the JSON value model ({@code Map<String,
     * Object>}, {@code List<Object>}, {@code String}, {@code Long} …, see
     * {@link dev.sluice.chat.PartialJson}), immutable; null before anything is shown} Only what is
     * shown: a string from a fixed set is left out until complete.
     */
    public @Nullable Object value() {
        return value;
    }

    /** {@return whether the whole object has arrived: its JSON is complete (validation comes at the stream's end)} */
    public boolean isComplete() {
        return openPath == null;
    }

    /** {@return which answer this is: 0, and one more after each restart of a fallback chain} */
    public int attempt() {
        return attempt;
    }

    /**
     * {@return whether this partial starts a new answer after a fallback chain's restart} It shows
     * only what the new answer sent (often nothing yet); what earlier partials showed is discarded.
     */
    public boolean isReset() {
        return reset;
    }

    /** {@return the JSON text as it arrived, for this answer; immutable, O(1) (its {@code toString()} builds the text once)} */
    public CharSequence json() {
        return json;
    }

    /** {@return the schema of the stream} */
    public ObjectSchema<T> schema() {
        return schema;
    }

    /**
     * {@return how far the value at the path has arrived}
     *
     * @param path a JSON Pointer, such as {@code "steps/2/name"}; {@code ""} for the whole object
     * @throws IllegalArgumentException if the path is malformed, or for a record, not one it has
     */
    public State state(String path) {
        List<String> steps = steps(path);
        Object node = at(steps);
        if (node == MISSING) return State.ABSENT;
        return onOpenPath(steps) ? State.STREAMING : State.COMPLETE;
    }

    /**
     * {@return the value at the path as the type, when it can be shown} A {@code String} (or a
     * {@code CharSequence}, without copying) as far as it has arrived; anything else only once
     * complete, bound as the stream's result would be (a record, a list, an enum, a number in its
     * Java type, a {@code java.time} value …); {@code Object} gives the value-model node in any
     * state. Empty while absent, when JSON null, and for a value that cannot become the type (the
     * stream's end reports that).
     *
     * @param path a JSON Pointer, such as {@code "title"} or {@code "ingredients/0"}
     * @param type the type to read it as; for a record's stream, one the component's type can be
     *     read as (the component's class, its box or a supertype; {@code CharSequence} for a string)
     * @throws IllegalArgumentException if the path is malformed, or for a record, not one it has
     *     or of a type that cannot be read as {@code type}; for a schema given as JSON, when a
     *     value is there and {@code type} gives nothing to bind it with (a raw {@code Optional}, a
     *     generic record whose components' types are its type variables)
     */
    public <V> Optional<V> get(String path, Class<V> type) {
        Objects.requireNonNull(type, "type");
        List<String> steps = steps(path);
        Type bindAs = typeToBind(steps, type, path);
        Object node = at(steps);
        if (node == MISSING || node == null) return Optional.empty();
        if (type == Object.class) return Optional.of(type.cast(node instanceof TextView v ? v.toString() : node));
        if (type == CharSequence.class || type == String.class) {
            if (node instanceof TextView v) return Optional.of(type.cast(type == String.class ? v.toString() : v));
            if (node instanceof String s) return Optional.of(type.cast(s));
            return Optional.empty();
        }
        if (onOpenPath(steps)) return Optional.empty();
        try {
            return Optional.of(box(type).cast(memo.value(steps, bindAs, node, Paths.pointer(steps))));
        } catch (Binder.Failure e) {
            return Optional.empty();
        }
    }

    /**
     * {@return the complete elements of the array at the path, as the type} Its elements before the
     * one still arriving, up to the first that cannot become the type; empty while the array is
     * absent. Immutable; each later partial's list starts with the same elements.
     *
     * @param path a JSON Pointer to an array, such as {@code "steps"}
     * @param type the elements' type; for a record's stream, one the element type can be read as
     * @throws IllegalArgumentException if the path is malformed, or for a record, not one it has,
     *     not a list, set, array or map, or of elements that cannot be read as {@code type}
     */
    public <E> List<E> list(String path, Class<E> type) {
        Objects.requireNonNull(type, "type");
        List<String> steps = steps(path);
        Type bindAs = elementTypeToBind(steps, type, path);
        if (!(at(steps) instanceof List<?> array)) return List.of();
        int complete = array.size();
        if (openPath != null && openPath.size() > steps.size() && onOpenPath(steps)) {
            complete = (Integer) openPath.get(steps.size()); // the element being written, and none after it
        }
        return memo.elements(steps, bindAs, attempt, array, complete, Paths.pointer(steps));
    }

    /** {@return a summary: complete or streaming, the attempt, and the JSON's length} */
    @Override
    public String toString() {
        return "Partial[" + (isComplete() ? "complete" : "streaming") + ", attempt " + attempt + ", " + json.length()
                + " chars of JSON" + (reset ? ", reset" : "") + "]";
    }

    private List<String> steps(String path) {
        Objects.requireNonNull(path, "path");
        List<String> steps = Paths.parse(path);
        Class<T> recordType = schema.type();
        if (recordType != null) TypePaths.typeAt(recordType, steps, path);
        return steps;
    }

    private Type typeToBind(List<String> steps, Class<?> type, String path) {
        Class<T> recordType = schema.type();
        if (recordType == null) return type;
        return TypePaths.readableAs(TypePaths.typeAt(recordType, steps, path), type, path);
    }

    private Type elementTypeToBind(List<String> steps, Class<?> type, String path) {
        Class<T> recordType = schema.type();
        if (recordType == null) return type;
        Type element = TypePaths.elementType(TypePaths.typeAt(recordType, steps, path), path);
        return TypePaths.readableAs(element, type, path);
    }

    /** The node at the path as held (a string being read as its view), or MISSING. */
    private @Nullable Object at(List<String> steps) {
        if (value == null) return MISSING;
        Object node = value;
        for (String step : steps) {
            if (node instanceof ImmutableJsonObject o) {
                if (!o.containsKey(step)) return MISSING;
                node = o.rawGet(step);
            } else if (node instanceof Map<?, ?> m) {
                if (!m.containsKey(step)) return MISSING;
                node = m.get(step);
            } else if (node instanceof List<?> l) {
                int i = Paths.index(step);
                if (i < 0 || i >= l.size()) return MISSING;
                node = l instanceof ImmutableJsonArray a ? a.rawGet(i) : l.get(i);
            } else {
                return MISSING;
            }
        }
        return node;
    }

    /** Whether the path leads along the open path (is a prefix of it): the value there is still arriving. */
    private boolean onOpenPath(List<String> steps) {
        if (openPath == null || steps.size() > openPath.size()) return false;
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).equals(String.valueOf(openPath.get(i)))) return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <V> Class<V> box(Class<V> type) {
        return (Class<V>) TypePaths.box(type);
    }
}
