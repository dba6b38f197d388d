package dev.sluice.mcp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A tool's parameters mirrored into {@code Mcp-Param-{Name}} headers, as its input schema's
 * {@code x-mcp-header} annotations ask (2026-07-28 basic/transports/streamable-http, "Custom
 * Headers from Tool Parameters"): only on properties reached from the root through
 * {@code properties} alone, of type integer, string or boolean, each name an HTTP token, unique
 * regardless of case. A schema that breaks a rule makes the tool invalid: the client leaves it out.
 */
final class ParamHeaders {
    private static final String KEY = "x-mcp-header";
    private static final String TCHAR = "!#$%&'*+-.^_`|~";
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private record Param(String header, List<String> path) {}

    private final List<Param> params;

    private ParamHeaders(List<Param> params) {
        this.params = params;
    }

    static final ParamHeaders NONE = new ParamHeaders(List.of());

    /**
     * {@return the annotations of a tool's input schema}
     *
     * @throws IllegalArgumentException naming the rule an annotation breaks
     */
    static ParamHeaders of(Map<String, Object> schema) {
        List<Param> found = new ArrayList<>();
        collect(schema, new ArrayList<>(), found);
        if (found.size() != count(schema)) {
            throw new IllegalArgumentException(
                    KEY + " is only allowed on properties reached through 'properties' alone");
        }
        Set<String> seen = new HashSet<>();
        for (Param p : found) {
            if (!seen.add(p.header().toLowerCase(Locale.ROOT)))
                throw new IllegalArgumentException(KEY + " '" + p.header() + "' appears twice");
        }
        return found.isEmpty() ? NONE : new ParamHeaders(List.copyOf(found));
    }

    private static void collect(Map<?, ?> schema, List<String> path, List<Param> found) {
        if (!(schema.get("properties") instanceof Map<?, ?> properties)) return;
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> property)) continue;
            List<String> here = new ArrayList<>(path);
            here.add(String.valueOf(e.getKey()));
            if (property.containsKey(KEY)) {
                Object name = property.get(KEY);
                if (!(name instanceof String n) || !token(n)) {
                    throw new IllegalArgumentException(
                            KEY + " of '" + String.join(".", here) + "' is not an HTTP header name: " + name);
                }
                Object type = property.get("type");
                if (!("integer".equals(type) || "string".equals(type) || "boolean".equals(type))) {
                    throw new IllegalArgumentException(KEY + " of '" + String.join(".", here)
                            + "' is on a property of type " + type + "; only integer, string and boolean are allowed");
                }
                found.add(new Param(n, List.copyOf(here)));
            }
            collect(property, here, found);
        }
    }

    /** {@return how many annotations the schema holds, wherever they are} */
    private static int count(Object node) {
        int n = 0;
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey(KEY)) n++;
            for (Object v : map.values()) n += count(v);
        } else if (node instanceof List<?> list) {
            for (Object v : list) n += count(v);
        }
        return n;
    }

    private static boolean token(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR.indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** {@return the headers for a call's arguments: each annotated value present, encoded} */
    Map<String, String> headers(Map<String, Object> arguments) {
        if (params.isEmpty()) return Map.of();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Param p : params) {
            Object value = arguments;
            for (String key : p.path()) value = value instanceof Map<?, ?> m ? m.get(key) : null;
            String text = switch (value) {
                case String s -> s;
                case Boolean b -> b.toString();
                case Long l when Math.abs(l) <= MAX_SAFE_INTEGER -> l.toString();
                case BigInteger b when b.bitLength() <= 53 -> b.toString();
                case null, default -> null; // absent, null, or not the declared type: the server's validation will say
            };
            if (text != null) headers.put("Mcp-Param-" + p.header(), StreamableHttp.headerValue(text));
        }
        return headers;
    }
}
