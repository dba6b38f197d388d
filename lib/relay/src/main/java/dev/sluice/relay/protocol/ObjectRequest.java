package dev.sluice.relay.protocol;

import dev.sluice.RelayException;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.relay.StartRequest;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A request for a structured answer ({@code POST /api/object}, what the Vercel AI SDK's
 * {@code useObject} posts: {@code submit(input)} sends {@code JSON.stringify(input)}): the
 * members of a {@link StartRequest} ({@code "prompt"} or {@code "messages"}, {@code "provider"},
 * {@code "model"}, {@code "system"}, {@code "maxTokens"}), and {@code "schema"}, the object's JSON
 * Schema (an object schema; in the browser, {@code z.toJSONSchema(zodSchema)}), with
 * {@code "schemaName"} optional (1 to 64 of {@code A-Z a-z 0-9 _ -}; {@value #DEFAULT_NAME} when not
 * given), the name providers are given for it. Other members are ignored.
 *
 * @param start what the relay streams
 * @param schema the object's schema
 */
public record ObjectRequest(StartRequest start, ObjectSchema<Map<String, Object>> schema) {
    /** The schema's name when the request gives none. */
    public static final String DEFAULT_NAME = "object";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** @throws NullPointerException if an argument is null */
    public ObjectRequest {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(schema, "schema");
    }

    /**
     * Parses the body.
     *
     * @param json the body
     * @return the request
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST}, with a
     *     message naming the member, when the body is not one of {@link StartRequest#parse}, the
     *     schema is missing or not a JSON object, is not an object schema or has a keyword of the
     *     wrong shape, or the schema's name is not of the form above
     */
    public static ObjectRequest parse(String json) {
        StartRequest start = StartRequest.parse(json);
        ObjectSchema<Map<String, Object>> schema =
                schema(Conversation.object(json, "{\"prompt\": \"...\", \"schema\": {...}}"), "\"schema\"");
        if (schema == null) {
            throw Conversation.invalid(
                    "\"schema\" is required: the object's JSON Schema, as a JSON object like {\"type\": \"object\","
                            + " \"properties\": {...}} (from a zod schema: z.toJSONSchema(schema))");
        }
        return new ObjectRequest(start, schema);
    }

    /**
     * {@return the schema a body's {@code schema} member gives, named by its {@code schemaName}
     * member, or null when it has no {@code schema}}: what each protocol's request reads the same way
     *
     * @param members the object holding {@code schema} and {@code schemaName}
     * @param shown how a message names the {@code schema} member
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST} as for {@link #parse}
     */
    @SuppressWarnings("unchecked")
    static @Nullable ObjectSchema<Map<String, Object>> schema(Map<?, ?> members, String shown) {
        Object schema = members.get("schema");
        if (schema == null) return null;
        if (!(schema instanceof Map<?, ?>)) {
            throw Conversation.invalid(
                    shown + " must be the object's JSON Schema, a JSON object like {\"type\": \"object\","
                            + " \"properties\": {...}} (from a zod schema: z.toJSONSchema(schema))");
        }
        String name = Conversation.string(members, "schemaName");
        if (name == null) name = DEFAULT_NAME;
        if (!NAME.matcher(name).matches()) {
            throw Conversation.invalid(
                    "\"schemaName\" must be 1 to 64 of A-Z a-z 0-9 _ -: \"" + Conversation.shorten(name) + "\"");
        }
        try {
            return ObjectSchema.of(name, (Map<String, Object>) schema);
        } catch (IllegalArgumentException e) { // the schema's own checks: the message says where
            throw Conversation.invalid(shown + " is not a schema this server can ask for: " + e.getMessage());
        }
    }
}
