package dev.sluice.testkit.internal.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fake server's JSON: a strict parser (RFC 8259) into {@link JsonNode} trees, a writer of
 * compact JSON in insertion order, like the APIs write it, and the factories of value nodes. A
 * string with a lone surrogate (a tool input split inside a pair) is written with it escaped, as
 * JSON allows, so that the bytes stay valid UTF-8.
 */
public final class Json {
    /** Deeper than any request of the APIs; the bound keeps a hostile body from exhausting the stack. */
    private static final int MAX_DEPTH = 512;

    private Json() {}

    public static ObjectNode object() {
        return new ObjectNode();
    }

    public static ArrayNode array() {
        return new ArrayNode();
    }

    public static JsonNode text(String value) {
        return new JsonNode.TextNode(value);
    }

    public static JsonNode number(long value) {
        return new JsonNode.NumberNode(value);
    }

    public static JsonNode number(double value) {
        return new JsonNode.NumberNode(value);
    }

    public static JsonNode bool(boolean value) {
        return value ? JsonNode.BooleanNode.TRUE : JsonNode.BooleanNode.FALSE;
    }

    public static JsonNode nullNode() {
        return JsonNode.NullNode.INSTANCE;
    }

    public static JsonNode missing() {
        return JsonNode.MissingNode.INSTANCE;
    }

    /** JSON that does not parse; the message says where and why. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** {@return the tree of a UTF-8 JSON text} @throws Malformed if it is not one JSON value */
    public static JsonNode parse(byte[] utf8) throws Malformed {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /** {@return the tree of a JSON text} @throws Malformed if it is not one JSON value */
    public static JsonNode parse(String text) throws Malformed {
        Parser p = new Parser(text);
        p.skipSpace();
        JsonNode value = p.value(0);
        p.skipSpace();
        if (p.at < text.length()) throw p.error("unexpected text after the JSON value");
        return value;
    }

    /** {@return compact JSON of a tree} */
    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    /** {@return a JSON string literal of {@code s}, quotes included} */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        writeString(s, sb);
        return sb.toString();
    }

    /**
     * {@return the tree as plain Java values: {@code Map<String, Object>} (in order), {@code List<Object>},
     * {@code String}, {@code Boolean}, null, and numbers as {@code Integer}, {@code Long} or
     * {@code BigInteger} (the smallest that holds an integer) or {@code Double}} The collections are unmodifiable.
     */
    public static @Nullable Object toJava(JsonNode node) {
        return switch (node) {
            case ObjectNode o -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : o.properties()) map.put(e.getKey(), toJava(e.getValue()));
                yield Collections.unmodifiableMap(map);
            }
            case ArrayNode a -> {
                List<Object> list = new ArrayList<>(a.size());
                for (JsonNode e : a) list.add(toJava(e));
                yield Collections.unmodifiableList(list);
            }
            case JsonNode.TextNode t -> t.value;
            case JsonNode.BooleanNode b -> b.value;
            case JsonNode.NumberNode n ->
                n.value instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : n.value;
            case JsonNode.NullNode n -> null;
            case JsonNode.MissingNode m -> null;
        };
    }

    private static void write(JsonNode node, StringBuilder sb) {
        switch (node) {
            case ObjectNode o -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    if (!first) sb.append(',');
                    first = false;
                    writeString(e.getKey(), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case ArrayNode a -> {
                sb.append('[');
                boolean first = true;
                for (JsonNode e : a) {
                    if (!first) sb.append(',');
                    first = false;
                    write(e, sb);
                }
                sb.append(']');
            }
            case JsonNode.TextNode t -> writeString(t.value, sb);
            case JsonNode.NumberNode n -> sb.append(n.value);
            case JsonNode.BooleanNode b -> sb.append(b.value);
            case JsonNode.NullNode n -> sb.append("null");
            case JsonNode.MissingNode m -> throw new IllegalArgumentException("a missing node has no JSON");
        }
    }

    private static final String SHORT_ESCAPED = "\"\\\n\r\t\b\f";
    private static final String SHORT_ESCAPES = "\"\\nrtbf";

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int shortEscape = SHORT_ESCAPED.indexOf(c);
            if (shortEscape >= 0) {
                sb.append('\\').append(SHORT_ESCAPES.charAt(shortEscape));
            } else if (c < 0x20 || (Character.isSurrogate(c) && !paired(s, i))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** {@return whether the surrogate at {@code i} is half of a pair} */
    private static boolean paired(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i))
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** A recursive-descent parser over one text; used once. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Malformed error(String why) {
            String near = s.substring(at, Math.min(s.length(), at + 20));
            return new Malformed(
                    why + " at offset " + at + (at < s.length() ? " (near '" + near + "')" : " (the end)"));
        }

        void skipSpace() {
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                at++;
            }
        }

        JsonNode value(int depth) throws Malformed {
            if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
            if (at >= s.length()) throw error("a value was expected");
            char c = s.charAt(at);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> new JsonNode.TextNode(string());
                case 't' -> literal("true", JsonNode.BooleanNode.TRUE);
                case 'f' -> literal("false", JsonNode.BooleanNode.FALSE);
                case 'n' -> literal("null", JsonNode.NullNode.INSTANCE);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private JsonNode literal(String word, JsonNode value) throws Malformed {
            if (!s.startsWith(word, at)) throw error("unexpected word");
            at += word.length();
            return value;
        }

        private ObjectNode object(int depth) throws Malformed {
            ObjectNode o = new ObjectNode();
            at++;
            skipSpace();
            if (at < s.length() && s.charAt(at) == '}') {
                at++;
                return o;
            }
            while (true) {
                skipSpace();
                if (at >= s.length() || s.charAt(at) != '"') throw error("a member name was expected");
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                o.set(name, value(depth + 1));
                skipSpace();
                if (at < s.length() && s.charAt(at) == ',') {
                    at++;
                    continue;
                }
                expect('}');
                return o;
            }
        }

        private ArrayNode array(int depth) throws Malformed {
            ArrayNode a = new ArrayNode();
            at++;
            skipSpace();
            if (at < s.length() && s.charAt(at) == ']') {
                at++;
                return a;
            }
            while (true) {
                skipSpace();
                a.add(value(depth + 1));
                skipSpace();
                if (at < s.length() && s.charAt(at) == ',') {
                    at++;
                    continue;
                }
                expect(']');
                return a;
            }
        }

        private void expect(char c) throws Malformed {
            if (at >= s.length() || s.charAt(at) != c) throw error("'" + c + "' was expected");
            at++;
        }

        private String string() throws Malformed {
            at++; // the opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (at >= s.length()) throw error("the string is not closed");
                char c = s.charAt(at++);
                if (c == '"') return sb.toString();
                if (c < 0x20) {
                    at--;
                    throw error("a control character must be escaped in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (at >= s.length()) throw error("the escape is not complete");
                char e = s.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) throw error("the \\u escape is not complete");
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(s.charAt(at + k), 16);
                            if (d < 0) throw error("a \\u escape takes four hex digits");
                            code = code * 16 + d;
                        }
                        at += 4;
                        sb.append((char) code);
                    }
                    default -> {
                        at--;
                        throw error("unknown escape '\\" + e + "'");
                    }
                }
            }
        }

        private JsonNode number() throws Malformed {
            int start = at;
            if (s.charAt(at) == '-') at++;
            if (at < s.length() && s.charAt(at) == '0') {
                at++;
            } else if (!digits()) {
                throw error("a digit was expected");
            }
            boolean integral = true;
            if (at < s.length() && s.charAt(at) == '.') {
                integral = false;
                at++;
                if (!digits()) throw error("a digit was expected after the decimal point");
            }
            if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
                integral = false;
                at++;
                if (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) at++;
                if (!digits()) throw error("a digit was expected in the exponent");
            }
            String text = s.substring(start, at);
            if (!integral) return new JsonNode.NumberNode(Double.parseDouble(text));
            BigInteger big = new BigInteger(text);
            return new JsonNode.NumberNode(big.bitLength() < 64 ? (Number) big.longValue() : big);
        }

        private boolean digits() {
            int start = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') at++;
            return at > start;
        }
    }
}
