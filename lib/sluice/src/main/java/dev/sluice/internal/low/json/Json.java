package dev.sluice.internal.low.json;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Jackson's streaming parser and generator (jackson-core: the library does not use Jackson's
 * databind), and the bridge between them and Sluice's plain-Java JSON value model (see
 * {@link JsonValues}). Every decoder reads either with the parser directly (the per-event paths)
 * or into the value model with {@link #readValue} and navigates maps and lists.
 *
 * <p>Reading into the value model ({@link #readValue}): unknown members kept, trailing tokens
 * rejected, floating-point numbers read as {@link BigDecimal} exactly as written
 * ({@code 1.50} stays {@code 1.50}), integers as {@link Long} or, beyond its range,
 * {@link BigInteger}, duplicate keys tolerated (last wins, at the first one's position).
 *
 * <p>Thread-safe: the factory is immutable once built.
 */
public final class Json {
    /** How many buffer sets the pool keeps for reuse (each a few tens of KiB at most). */
    static final int POOL_SIZE = 64;

    /**
     * How deep objects and arrays may nest in what is read: 500, the same limit as
     * {@code dev.sluice.chat.PartialJson.MAX_DEPTH} (a test checks that they agree), half Jackson's
     * default of 1000. So a model's JSON is refused alike whichever parser reads it, and everything
     * read from the wire stays well below what the recursive walks of the value model accept
     * ({@link JsonValues#MAX_DEPTH}) and what Jackson's generator writes (1000 levels), whatever
     * the objects a value is later written inside. A deeper document is a
     * {@link com.fasterxml.jackson.core.exc.StreamConstraintsException}, a
     * {@link JsonProcessingException} that the decoders turn into a {@code ProtocolException}.
     */
    public static final int MAX_READ_DEPTH = 500;

    /**
     * The factory for the streaming parser and generator, with Jackson's defaults (duplicate keys
     * not detected, the default read constraints) except the nesting depth
     * ({@link #MAX_READ_DEPTH}). It has no codec: there is no databind.
     *
     * <p>Its buffers come from a bounded shared pool rather than Jackson's default per-thread one:
     * Sluice parses and writes on virtual threads, one per stream, which a per-thread pool never
     * reuses, so every parser and generator would allocate its buffers afresh. The bound keeps
     * what the pool holds small after a burst of thousands of concurrent streams.
     *
     * <p>Its parse exceptions quote none of the text they stopped at (Jackson's would quote the
     * token, up to 256 characters: a key a server echoed unquoted), nor the source: a JDK Flight
     * Recorder exception event records the message of every throwable made, caught or not. A
     * decoder's own message shows the data, through {@link #truncate}, which redacts it.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(POOL_SIZE))
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_READ_DEPTH)
                    .build())
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(0)
                    .maxRawContentLength(0)
                    .build())
            .build();

    private Json() {}

    /** {@return a streaming parser over the text} @throws IOException never in practice */
    public static JsonParser parser(String json) throws IOException {
        return FACTORY.createParser(json);
    }

    /**
     * {@return the value of a whole JSON text that may hold a secret (a credential endpoint's
     * answer, a credentials file, a credential process's output), or empty when it is not one, or
     * is {@code null}} Read by {@link StrictJsonReader}, which declines without making an
     * exception: a parser's exception quotes the token it stopped at (an unquoted key), and a JDK
     * Flight Recorder exception event records the message of every throwable made, caught or not.
     * A text that reader declines although valid (an escaped surrogate pair) is empty too: no
     * credential holds one.
     */
    @SuppressWarnings("ReferenceEquality") // identity: DECLINED is the reader's sentinel
    public static Optional<Object> readSecretBearing(String json) {
        Object value = StrictJsonReader.read(json);
        return value == StrictJsonReader.DECLINED ? Optional.empty() : Optional.ofNullable(value);
    }

    /**
     * {@return the value-model form of the text: an unmodifiable insertion-ordered Map, an
     * unmodifiable List, String, Long, BigInteger, BigDecimal, Boolean or null} Reads with the
     * streaming parser; it gives what a databind tree read with floats as {@code BigDecimal}
     * (trailing zeros kept) gives, converted member by member ({@code JsonReadValueTest} checks it).
     *
     * @throws JsonProcessingException if the text is not exactly one JSON value
     */
    public static @Nullable Object readValue(String json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new JsonParseException(p, "no JSON value (empty input)");
            Object value = readValue(p, t);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(
                        p, "Trailing token (of type " + trailing + ") found after value: not allowed");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail otherwise
        }
    }

    /**
     * {@return the value-model form of the value that starts at the parser's current token {@code t}}
     * Leaves the parser at the value's last token.
     *
     * @throws IOException if the parser fails
     */
    public static @Nullable Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken f;
                while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, readValue(p, p.nextToken()));
                }
                if (f != JsonToken.END_OBJECT)
                    throw new JsonParseException(p, "unexpected token " + f + " in an object");
                return Collections.unmodifiableMap(map);
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == null) throw new JsonParseException(p, "unexpected end of input in an array");
                    list.add(readValue(p, e));
                }
                return Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType type = p.getNumberType();
                return type == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                try {
                    return p.getDecimalValue();
                } catch (NumberFormatException e) { // valid JSON, but an exponent beyond BigDecimal's range
                    throw new JsonParseException(p, "number " + truncate(p.getText(), 40) + " is out of range", e);
                }
            }
            case VALUE_TRUE -> {
                return true;
            }
            case VALUE_FALSE -> {
                return false;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /**
     * Writes a value-model value (as checked by {@link JsonValues}) with the generator.
     *
     * @throws IllegalArgumentException if the value is not of the value model, or nests deeper
     *     than {@link JsonValues#MAX_DEPTH}
     */
    public static void writeValue(JsonGenerator g, @Nullable Object value) throws IOException {
        writeValue(g, value, 0);
    }

    private static void writeValue(JsonGenerator g, @Nullable Object value, int depth) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd);
            case Number n -> g.writeNumber(new BigDecimal(n.toString()));
            case Map<?, ?> m -> {
                JsonValues.checkDepth(depth, "a value written");
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    writeValue(g, e.getValue(), depth + 1);
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                JsonValues.checkDepth(depth, "a value written");
                g.writeStartArray();
                for (Object o : list) writeValue(g, o, depth + 1);
                g.writeEndArray();
            }
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        }
    }

    /** {@return the compact JSON text of a value-model value} */
    public static String write(@Nullable Object value) {
        // a string with nothing to escape (a model's name, an id) is its characters quoted: no generator
        if (value instanceof String s && nothingToEscape(s)) return '"' + s + '"';
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** {@return whether every character is printable ASCII but the quote and the backslash: written as it is} */
    private static boolean nothingToEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /**
     * {@return the data to show in an error message: at most {@code max} characters, then an
     * ellipsis; on a thread reading a response, with the credentials of its request redacted
     * first (this thread's redaction: {@link Excerpts#redactOnThisThread})}
     */
    public static String truncate(String data, int max) {
        return Excerpts.shownOnThisThread(data, max);
    }
}
