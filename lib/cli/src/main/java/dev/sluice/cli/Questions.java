package dev.sluice.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool's question (an MCP server's elicitation: a flat JSON Schema of strings, numbers,
 * integers, booleans and enums) as {@code sluice agent} asks it on the terminal, one prompt per
 * field: {@code TITLE: } for text and numbers, {@code TITLE (a, b, c): } for an enum (its choices
 * with their titles on the lines above, answered by the value), {@code TITLE (y/n)? } for a
 * boolean. Stateless; the server's texts are made printable ({@link AgentCommand#printable}).
 */
final class Questions {
    private Questions() {}

    /** One field of the answer: its name, how it is asked, whether it must be given. */
    record Field(String name, Map<?, ?> schema, boolean required) {
        /** {@return the field's values to choose from: {@code enum}, or the {@code const}s of {@code oneOf}/{@code anyOf}; empty when free} */
        List<String> choices() {
            List<String> values = new ArrayList<>();
            if (schema.get("enum") instanceof List<?> e) e.forEach(v -> values.add(String.valueOf(v)));
            for (String k : List.of("oneOf", "anyOf")) {
                if (schema.get(k) instanceof List<?> options) {
                    for (Object o : options)
                        if (o instanceof Map<?, ?> m && m.get("const") != null)
                            values.add(String.valueOf(m.get("const")));
                }
            }
            return values;
        }

        /** {@return the lines that list an enum's choices with their titles, when the server gave titles; else none} */
        List<String> choiceLines() {
            List<String> lines = new ArrayList<>();
            List<String> names = new ArrayList<>();
            if (schema.get("enumNames") instanceof List<?> n) n.forEach(v -> names.add(String.valueOf(v)));
            for (String k : List.of("oneOf", "anyOf")) {
                if (schema.get(k) instanceof List<?> options) {
                    for (Object o : options) {
                        if (o instanceof Map<?, ?> m && m.get("const") != null) {
                            names.add(m.get("title") instanceof String t ? t : "");
                        }
                    }
                }
            }
            List<String> values = choices();
            for (int i = 0; i < values.size() && i < names.size(); i++) {
                if (!names.get(i).isBlank())
                    lines.add(
                            "  " + AgentCommand.printable(values.get(i)) + "  " + AgentCommand.printable(names.get(i)));
            }
            return lines;
        }

        /** {@return the prompt: ends with {@code ": "} or, for a yes-or-no, {@code "? "}} */
        String prompt() {
            String title = AgentCommand.printable(schema.get("title") instanceof String t && !t.isBlank() ? t : name)
                    .strip();
            if ("boolean".equals(schema.get("type"))) return title + " (y/n)? ";
            List<String> choices = choices();
            String hint = !choices.isEmpty()
                    ? " (" + AgentCommand.printable(String.join(", ", choices)) + ")"
                    : required ? "" : " (optional)";
            return title + hint + ": ";
        }

        /**
         * {@return the answer typed, as the schema's type wants it; null when it is no answer to
         * this field (asked again)}
         */
        @Nullable
        Object parse(String typed) {
            String t = typed.strip();
            List<String> choices = choices();
            if (!choices.isEmpty()) return choices.contains(t) ? t : null;
            return switch (String.valueOf(schema.get("type"))) {
                case "boolean" ->
                    switch (t.toLowerCase(Locale.ROOT)) {
                        case "y", "yes", "true" -> true;
                        case "n", "no", "false" -> false;
                        default -> null;
                    };
                case "integer" -> {
                    try {
                        yield Long.parseLong(t);
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                }
                case "number" -> {
                    try {
                        yield new BigDecimal(t);
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                }
                default -> t;
            };
        }
    }

    /** {@return the fields of a question's schema, in its order} */
    static List<Field> fields(Map<String, Object> schema) {
        List<Field> fields = new ArrayList<>();
        List<?> required = schema.get("required") instanceof List<?> r ? r : List.of();
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, field) -> {
                if (field instanceof Map<?, ?> f)
                    fields.add(new Field(String.valueOf(name), f, required.contains(name)));
            });
        }
        return fields;
    }

    /** {@return a new, ordered map for the answer's content} */
    static Map<String, Object> content() {
        return new LinkedHashMap<>();
    }
}
