package dev.sluice.objects;

import dev.sluice.ObjectException;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.internal.low.json.JsonWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of the object an {@link ObjectStream} asks for, generated from a record type
 * ({@link #of(Class)}) or given as JSON ({@link #parse}), with what turns the model's JSON into the
 * final value: validation against the schema, and for a record, binding to it.
 *
 * <h2>From a record</h2>
 * The schema is what strict structured output accepts: properties in component order (the order
 * strict providers write keys in), every one {@code required}, {@code additionalProperties: false},
 * and a component that may be absent as a union with {@code null}. Java types map so:
 * <table>
 *   <caption>Java types and their JSON Schema</caption>
 *   <tr><th>Java</th><th>JSON Schema</th></tr>
 *   <tr><td>a record (nested too; a generic one with its type arguments given)</td><td>{@code object}, its components as properties</td></tr>
 *   <tr><td>{@code String}</td><td>{@code string}</td></tr>
 *   <tr><td>{@code boolean}, {@code Boolean}</td><td>{@code boolean}</td></tr>
 *   <tr><td>{@code int}, {@code long}, {@code short}, {@code byte}, their boxes, {@code BigInteger}</td><td>{@code integer} (a value outside the Java type's range fails binding, rule {@code range})</td></tr>
 *   <tr><td>{@code double}, {@code float}, their boxes, {@code BigDecimal}</td><td>{@code number}</td></tr>
 *   <tr><td>an enum</td><td>{@code string} with {@code enum}: the constants' names</td></tr>
 *   <tr><td>{@code List<T>}, {@code Set<T>}, {@code T[]}</td><td>{@code array} of T</td></tr>
 *   <tr><td>{@code Map<String, T>} (or enum keys)</td><td>{@code array} of {@code {"key": …, "value": T}}: strict mode allows no object with free member names</td></tr>
 *   <tr><td>{@code Optional<T>}, or a component annotated {@code @Nullable} (any annotation of that simple name kept at run time)</td><td>T or {@code null}: {@code "type": ["string", "null"]}, or {@code anyOf} [T, null] for an object</td></tr>
 *   <tr><td>{@code LocalDate}</td><td>{@code string}, {@code format: date}</td></tr>
 *   <tr><td>{@code OffsetDateTime}, {@code Instant}, {@code ZonedDateTime}</td><td>{@code string}, {@code format: date-time}</td></tr>
 *   <tr><td>{@code OffsetTime}</td><td>{@code string}, {@code format: time}</td></tr>
 *   <tr><td>{@code LocalTime}, {@code LocalDateTime}</td><td>{@code string} with a {@code pattern} (no format fits a time without offset)</td></tr>
 *   <tr><td>{@code Duration}, {@code Period}</td><td>{@code string}, {@code format: duration}</td></tr>
 *   <tr><td>{@code UUID}</td><td>{@code string}, {@code format: uuid}</td></tr>
 * </table>
 * {@link Description @Description} on a record, an enum or a component becomes its
 * {@code description}. Refused, with an {@link IllegalArgumentException} naming the record and the
 * component ({@code Recipe.steps: …}): {@code Object}, a class that is not a record, {@code char},
 * a {@code Map} whose keys are not strings or an enum, wildcards, unbound type variables, a record
 * that contains itself (a strict schema has no recursion), {@code Optional<Optional<…>>}, a
 * {@code @Nullable} primitive, and a record whose canonical constructor Sluice cannot call (make it
 * public in an exported package, or open the package to {@code dev.sluice}).
 *
 * <h2>Given as JSON</h2>
 * An object schema ({@code "type": "object"} at the top); the value is then the JSON value model
 * ({@code Map<String, Object>} …, see {@link PartialJson}). Sluice checks the keywords
 * {@code type}, {@code enum}, {@code const}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code minItems}, {@code maxItems},
 * {@code minLength}, {@code maxLength}, {@code minimum}, {@code maximum}, the exclusive bounds,
 * {@code format} ({@code date}, {@code date-time}, {@code time}, {@code duration}, {@code uuid}),
 * {@code anyOf}, {@code oneOf}, {@code allOf}, {@code not} and local {@code $ref}s; others go to
 * the provider unchecked here (notably {@code pattern}: a regular expression from a schema could
 * take exponential time on a model's output). A schema may come from outside (the relay takes one
 * from a browser) and is read at every chunk of the answer, so one that could not be read in time
 * linear in its size is refused: one that refers to itself through {@code $ref}, {@code anyOf},
 * {@code oneOf}, {@code allOf} or {@code not} without descending into a property or an item, whose
 * references and alternatives lead to more than 1,000 schemas for one value, of more than 20,000
 * schemas, or nested more than 128 deep; and every walk over a schema accepted visits each of its
 * schemas at most once per step.
 *
 * <p>Immutable and thread-safe; a record's schema is made once per class.
 *
 * @param <T> the value's type: the record, or {@code Map<String, Object>} for a schema given as JSON
 */
public final class ObjectSchema<T> {
    private static final ClassValue<ObjectSchema<?>> RECORDS = new ClassValue<>() {
        @Override
        protected ObjectSchema<?> computeValue(Class<?> type) {
            return new ObjectSchema<>(type, name(type.getSimpleName()), SchemaGenerator.of(type));
        }
    };

    private final @Nullable Class<T> type; // null for a schema given as JSON
    private final ResponseFormat format; // the name and the schema, immutable
    private final String json;
    private final SchemaRules.Walker walker; // the walks partials ask for, remembered

    private ObjectSchema(@Nullable Class<T> type, String name, Map<String, Object> schema) {
        this.type = type;
        this.format = new ResponseFormat(name, schema, true);
        this.json = toJson(format.schema());
        this.walker = new SchemaRules.Walker(format.schema());
    }

    /**
     * {@return the schema of a record type, generated (once per class) as the class description says}
     * Its name is the record's simple name (characters other than {@code A-Z a-z 0-9 _ -} dropped).
     *
     * @param type the record class, not generic
     * @param <T> the record type
     * @throws IllegalArgumentException if the type is not a record, or has a component of a type
     *     the schema cannot express (the message names the record and the component)
     */
    @SuppressWarnings("unchecked")
    public static <T extends Record> ObjectSchema<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        try {
            return (ObjectSchema<T>) RECORDS.get(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // thrown here, with the caller's stack
        }
    }

    /**
     * {@return a schema given in the JSON value model}
     *
     * @param name the schema's name, as providers ask for one: 1 to 64 of {@code A-Z a-z 0-9 _ -}
     * @param schema an object schema ({@code "type": "object"}); copied
     * @throws IllegalArgumentException if the name is not of that form, the schema is not a JSON
     *     value or not an object schema, or a keyword Sluice checks has the wrong shape (the
     *     message names where), or a {@code $ref} is not local or points nowhere, or the schema
     *     could not be checked in linear time (a loop through references and alternatives, or
     *     alternatives that multiply, too many schemas, too deep: the message names where and why)
     */
    public static ObjectSchema<Map<String, Object>> of(String name, Map<String, Object> schema) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        ResponseFormat checked = new ResponseFormat(name, schema, true); // checks the name, copies the schema
        SchemaRules.check(name, checked.schema());
        return new ObjectSchema<>(null, name, checked.schema());
    }

    /**
     * {@return a schema given as JSON text}
     *
     * @param name the schema's name: 1 to 64 of {@code A-Z a-z 0-9 _ -}
     * @param json the schema's JSON text, an object schema
     * @throws IllegalArgumentException if the text is not valid JSON (the message says where), or
     *     for the reasons of {@link #of(String, Map)}
     */
    @SuppressWarnings("unchecked")
    public static ObjectSchema<Map<String, Object>> parse(String name, CharSequence json) {
        Objects.requireNonNull(json, "json");
        PartialJson.Result r = PartialJson.parse(json);
        if (!r.isValid()) throw new IllegalArgumentException("schema " + name + " is not valid JSON: " + r.error());
        if (!(r.value() instanceof Map<?, ?>))
            throw new IllegalArgumentException("schema " + name + " is not a JSON object");
        return of(name, (Map<String, Object>) r.value());
    }

    /** {@return the schema's name, as the request gives it to the provider} */
    public String name() {
        return format.name();
    }

    /** {@return the schema in the JSON value model: unmodifiable, insertion-ordered} */
    public Map<String, Object> schema() {
        return format.schema();
    }

    /** {@return the schema as compact JSON text} */
    public String toJson() {
        return json;
    }

    /** {@return the request's structured-output setting: this schema, by its name, strict} */
    public ResponseFormat responseFormat() {
        return format;
    }

    /** {@return whether the value is a record (else the JSON value model)} */
    boolean isRecord() {
        return type != null;
    }

    /** {@return the record class; null for a schema given as JSON} */
    @Nullable
    Class<T> type() {
        return type;
    }

    /**
     * {@return a complete JSON text read as this schema's value: parsed, validated and, for a
     * record, bound} For JSON that arrived some other way (a stored answer, a test).
     *
     * @param json the JSON text
     * @throws ObjectException {@link ObjectException.Kind#INVALID_JSON} if it is not one valid JSON
     *     value, {@link ObjectException.Kind#SCHEMA_MISMATCH} if it does not match (naming the path
     *     and the rule) or cannot become the record
     */
    public T read(CharSequence json) {
        Objects.requireNonNull(json, "json");
        String text = json.toString();
        PartialJson.Result r = PartialJson.parse(text);
        if (!r.isValid()) {
            throw new ObjectException(
                    ObjectException.Kind.INVALID_JSON, "not valid JSON: " + r.error(), null, null, text);
        }
        return value(r.value(), text);
    }

    /** {@return a complete value validated and bound} @throws ObjectException SCHEMA_MISMATCH naming the path and the rule */
    @SuppressWarnings("unchecked")
    T value(@Nullable Object value, String text) {
        Validator.Violation v = Validator.check(format.schema(), value);
        if (v == null) {
            Object matched = Objects.requireNonNull(value, "an object schema never matches null");
            if (type == null) return (T) matched;
            try {
                return (T) Binder.bindPresent(matched, type, "");
            } catch (Binder.Failure f) {
                v = f.violation;
            }
        }
        throw new ObjectException(ObjectException.Kind.SCHEMA_MISMATCH, v.message(), v.path(), v.rule(), text);
    }

    /** {@return whether a string at this path (member names and element indexes) is one of a fixed set, shown only once complete} */
    boolean isFixedString(List<?> path) {
        Object node = walker.at(path);
        return node != null && walker.isFixed(node);
    }

    /** {@return the schemas the partials' walks over this schema have visited so far (what was remembered costs none), for tests} */
    long walkSteps() {
        return walker.steps();
    }

    private static String name(String simpleName) {
        String n = simpleName.replaceAll("[^A-Za-z0-9_-]", "");
        if (n.isEmpty()) n = "object";
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    private static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(value, out, "$");
        return out.toString();
    }

    /** {@return the name and whether the schema comes from a record} */
    @Override
    public String toString() {
        return "ObjectSchema[" + format.name() + (type != null ? ", record " + type.getName() : ", given as JSON")
                + "]";
    }
}
