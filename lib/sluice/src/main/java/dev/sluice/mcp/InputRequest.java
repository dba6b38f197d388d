package dev.sluice.mcp;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A server's question for the person behind the client, asked while one of its tools runs (MCP's
 * elicitation in form mode: 2025-11-25 client/elicitation, and an {@code inputRequests} entry of a
 * task in the 2026-07-28 tasks extension). {@link #message()} says what the server wants to know;
 * {@link #schema()} is the flat JSON Schema of the answer: an object whose properties are strings,
 * numbers, integers, booleans or enums ({@code enum}, or {@code oneOf} of {@code const} and
 * {@code title}).
 *
 * <p>Both come from the server and are untrusted: the message is cleaned of the client's secrets
 * and of URLs' credentials and cut to 500 characters; the schema is a copy holding only the
 * keywords of that flat form ({@code type}, {@code title}, {@code description}, {@code enum},
 * {@code enumNames}, {@code oneOf}, {@code const}, {@code default}, {@code minimum},
 * {@code maximum}, {@code minLength}, {@code maxLength}, {@code format}, {@code properties},
 * {@code required}), its texts cleaned the same way, at most {@value #MAX_FIELDS} properties and
 * {@value #MAX_CHOICES} choices each.
 *
 * @param message the server's question, for a person to read
 * @param schema the answer's JSON Schema, in the JSON value model of {@link dev.sluice.chat.PartialJson}
 */
public record InputRequest(String message, Map<String, Object> schema) {
    /** The most properties a schema keeps. */
    public static final int MAX_FIELDS = 32;
    /** The most choices an enum keeps. */
    public static final int MAX_CHOICES = 64;

    /**
     * @throws NullPointerException if an argument is null
     */
    public InputRequest {
        Objects.requireNonNull(message, "message");
        schema = Map.copyOf(Objects.requireNonNull(schema, "schema"));
    }

    /** {@return the names of the answer's properties, in the schema's order; empty when it asks for none} */
    public List<String> fields() {
        return schema.get("properties") instanceof Map<?, ?> p
                ? p.keySet().stream().map(String::valueOf).toList()
                : List.of();
    }
}
