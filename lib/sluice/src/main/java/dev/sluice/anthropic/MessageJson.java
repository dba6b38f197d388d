package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link Message}s and their parts in the API's JSON shape. Reading is
 * on the plain value model ({@link Json#readValue}) and tolerant: unknown fields are ignored, unknown block types kept whole. A shape
 * that cannot be a message (a missing id, a block without a type) is a
 * {@link MalformedException}, which callers turn into a {@link ProtocolException} naming where.
 */
final class MessageJson {
    private MessageJson() {}

    /** A JSON value of the wrong shape; the message says which field. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- writing

    static String write(Message m) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            write(g, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    static void write(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("type", m.type());
        g.writeStringField("role", m.role());
        g.writeStringField("model", m.model());
        g.writeArrayFieldStart("content");
        for (ContentBlock b : m.content()) writeBlock(g, b);
        g.writeEndArray();
        g.writeFieldName("stop_reason");
        writeNullable(g, m.stopReason());
        g.writeFieldName("stop_sequence");
        writeNullable(g, m.stopSequence());
        if (m.stopDetails() != null) {
            g.writeFieldName("stop_details");
            Json.writeValue(g, m.stopDetails().json());
        }
        if (m.container() != null) {
            g.writeFieldName("container");
            Json.writeValue(g, m.container().json());
        }
        if (m.contextManagement() != null) {
            g.writeFieldName("context_management");
            Json.writeValue(g, m.contextManagement().json());
        }
        g.writeFieldName("usage");
        Json.writeValue(g, m.usage().fields());
        g.writeEndObject();
    }

    static void writeBlock(JsonGenerator g, ContentBlock block) throws IOException {
        switch (block) {
            case TextBlock t -> {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
                if (!t.citations().isEmpty()) {
                    g.writeArrayFieldStart("citations");
                    for (Citation c : t.citations()) Json.writeValue(g, c.json());
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            case ToolUseBlock t ->
                writeToolUse(
                        g, "tool_use", t.id(), t.name(), null, t.input(), t.inputJson(), t.inputError(), t.caller());
            case ServerToolUseBlock t ->
                writeToolUse(g, "server_tool_use", t.id(), t.name(), t.input(), t.inputJson(), t.inputError());
            case ThinkingBlock t -> {
                g.writeStartObject();
                g.writeStringField("type", "thinking");
                g.writeStringField("thinking", t.thinking());
                if (t.signature() != null) g.writeStringField("signature", t.signature());
                g.writeEndObject();
            }
            case RedactedThinkingBlock r -> {
                g.writeStartObject();
                g.writeStringField("type", "redacted_thinking");
                g.writeStringField("data", r.data());
                g.writeEndObject();
            }
            case ServerToolResultBlock r -> Json.writeValue(g, r.json());
            case McpToolUseBlock t ->
                writeToolUse(
                        g, "mcp_tool_use", t.id(), t.name(), t.serverName(), t.input(), t.inputJson(), t.inputError());
            case McpToolResultBlock r -> Json.writeValue(g, r.json());
            case ContainerUploadBlock c -> Json.writeValue(g, c.json());
            case CompactionBlock c -> {
                g.writeStartObject();
                g.writeStringField("type", "compaction");
                g.writeFieldName("content");
                writeNullable(g, c.content());
                g.writeFieldName("encrypted_content");
                writeNullable(g, c.encryptedContent());
                g.writeEndObject();
            }
            case FallbackBlock f -> Json.writeValue(g, f.json());
            case OtherBlock o -> Json.writeValue(g, o.json());
        }
    }

    /**
     * A tool-use block in the API's shape; an input that is not a valid JSON object also gets
     * {@code input_error} (why) and {@code input_json} (the text as it arrived) beside its empty
     * {@code input}, so that whoever reads the JSON sees that the input is broken, and what it was.
     */
    private static void writeToolUse(
            JsonGenerator g,
            String type,
            String id,
            String name,
            Map<String, Object> input,
            String inputJson,
            Optional<String> inputError)
            throws IOException {
        writeToolUse(g, type, id, name, null, input, inputJson, inputError);
    }

    private static void writeToolUse(
            JsonGenerator g,
            String type,
            String id,
            String name,
            @Nullable String serverName,
            Map<String, Object> input,
            String inputJson,
            Optional<String> inputError)
            throws IOException {
        writeToolUse(g, type, id, name, serverName, input, inputJson, inputError, null);
    }

    private static void writeToolUse(
            JsonGenerator g,
            String type,
            String id,
            String name,
            @Nullable String serverName,
            Map<String, Object> input,
            String inputJson,
            Optional<String> inputError,
            @Nullable Map<String, Object> caller)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeStringField("id", id);
        g.writeStringField("name", name);
        if (serverName != null) g.writeStringField("server_name", serverName);
        g.writeFieldName("input");
        Json.writeValue(g, input);
        if (caller != null) {
            g.writeFieldName("caller");
            Json.writeValue(g, caller);
        }
        if (inputError.isPresent()) {
            g.writeStringField("input_error", inputError.get());
            g.writeStringField("input_json", inputJson);
        }
        g.writeEndObject();
    }

    private static void writeNullable(JsonGenerator g, @Nullable String s) throws IOException {
        if (s == null) g.writeNull();
        else g.writeString(s);
    }

    // ---------------------------------------------------------------- reading
    // The value model (Json.readValue): an object is a Map, JSON null a Java null. Where the old
    // tree code told "missing" from "not an object" for a JSON null, containsKey keeps it so.

    static Message read(String json) {
        Object value = AnthropicJacksonReading.readMessageValue(json);
        try {
            return message(value, true);
        } catch (MalformedException e) {
            throw new ProtocolException(
                    "not an Anthropic message: " + e.getMessage() + "; data: " + Json.truncate(json, 200), null);
        }
    }

    /** @param present whether the value was there at all (false: a missing field) */
    static Message message(@Nullable Object value, boolean present) throws MalformedException {
        Map<String, Object> node = requireObject(value, present, "message");
        String id = requiredString(node, "id", "message");
        String type = optionalString(node, "type", "message", "message");
        String role = optionalString(node, "role", "assistant", "message");
        String model = requiredString(node, "model", "message");
        List<ContentBlock> content = new ArrayList<>();
        Object c = node.get("content");
        if (c != null) {
            if (!(c instanceof List<?> list)) throw new MalformedException("message.content is not an array");
            for (Object b : list) content.add(block(b, true));
        }
        return new Message(
                id,
                type,
                role,
                model,
                content,
                nullableString(node, "stop_reason", "message"),
                nullableString(node, "stop_sequence", "message"),
                usage(node.get("usage"), "message.usage"),
                stopDetails(node.get("stop_details")),
                container(node.get("container")),
                contextManagement(node.get("context_management")));
    }

    /** {@return the stop details of an object, or null for anything else (absent, JSON null, another type)} */
    static @Nullable StopDetails stopDetails(@Nullable Object value) {
        return value instanceof Map<?, ?> ? StopDetails.of(asObject(value)) : null;
    }

    /** {@return the container of an object, or null for anything else} */
    static @Nullable Container container(@Nullable Object value) {
        return value instanceof Map<?, ?> ? Container.of(asObject(value)) : null;
    }

    /** {@return the context management of an object, or null for anything else} */
    static @Nullable ContextManagement contextManagement(@Nullable Object value) {
        return value instanceof Map<?, ?> ? ContextManagement.of(asObject(value)) : null;
    }

    static MessageUsage usage(@Nullable Object value, String where) throws MalformedException {
        if (value == null) return MessageUsage.empty();
        return new MessageUsage(requireObject(value, true, where));
    }

    static ContentBlock block(@Nullable Object value, boolean present) throws MalformedException {
        Map<String, Object> node = requireObject(value, present, "content block");
        String type = requiredString(node, "type", "content block");
        String where = "'" + type + "' block";
        return switch (type) {
            case "text" -> new TextBlock(optionalString(node, "text", "", where), citations(node.get("citations")));
            case "tool_use", "server_tool_use", "mcp_tool_use" -> {
                String id = requiredString(node, "id", where);
                String name = requiredString(node, "name", where);
                Object in = node.get("input");
                Map<String, Object> input;
                String inputJson;
                Optional<String> error = Optional.empty();
                if (in == null) {
                    input = Map.of();
                    inputJson = "{}";
                } else if (in instanceof Map<?, ?>) {
                    input = asObject(in);
                    inputJson = Json.write(input);
                } else {
                    input = Map.of();
                    inputJson = Json.write(in);
                    error = Optional.of("tool input is not a JSON object: " + Json.truncate(inputJson, 200));
                }
                if (node.get("input_error") instanceof String e && !e.isBlank()) { // written by writeToolUse
                    error = Optional.of(e);
                    if (node.get("input_json") instanceof String text) inputJson = text;
                }
                yield switch (type) {
                    case "tool_use" ->
                        new ToolUseBlock(
                                id,
                                name,
                                ToolInput.of(input, inputJson, error),
                                node.get("caller") instanceof Map<?, ?> ? asObject(node.get("caller")) : null);
                    case "server_tool_use" -> new ServerToolUseBlock(id, name, input, inputJson, error);
                    default ->
                        new McpToolUseBlock(
                                id, name, optionalString(node, "server_name", "", where), input, inputJson, error);
                };
            }
            case "thinking" ->
                new ThinkingBlock(
                        optionalString(node, "thinking", "", where), nullableString(node, "signature", where));
            case "redacted_thinking" -> new RedactedThinkingBlock(requiredString(node, "data", where));
            case "compaction" ->
                new CompactionBlock(
                        nullableString(node, "content", where), nullableString(node, "encrypted_content", where));
            case "fallback" -> FallbackBlock.of(node);
            case "container_upload" -> new ContainerUploadBlock(requiredString(node, "file_id", where), node);
            case "mcp_tool_result" ->
                new McpToolResultBlock(
                        optionalString(node, "tool_use_id", "", where),
                        node.get("is_error") instanceof Boolean b && b,
                        mcpText(node.get("content")),
                        node);
            default -> {
                ServerToolResultBlock result = ServerToolResultBlock.of(type, node);
                yield result != null ? result : new OtherBlock(type, node);
            }
        };
    }

    /** The text of an MCP result's content: a string, or its text blocks joined. */
    private static String mcpText(@Nullable Object content) {
        if (content instanceof String s) return s;
        StringBuilder b = new StringBuilder();
        if (content instanceof List<?> list) {
            for (Object o : list) if (o instanceof Map<?, ?> m && m.get("text") instanceof String t) b.append(t);
        }
        return b.toString();
    }

    static List<Citation> citations(@Nullable Object value) throws MalformedException {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw new MalformedException("'text' block citations is not an array");
        List<Citation> out = new ArrayList<>(list.size());
        for (Object c : list) out.add(citation(c, true));
        return out;
    }

    static Citation citation(@Nullable Object value, boolean present) throws MalformedException {
        Map<String, Object> node = requireObject(value, present, "citation");
        return new Citation(requiredString(node, "type", "citation"), node);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * {@return the value as an object}
     *
     * @param present false when the field was absent
     */
    static Map<String, Object> requireObject(@Nullable Object value, boolean present, String what)
            throws MalformedException {
        if (!present || !(value instanceof Map<?, ?>)) {
            throw new MalformedException(what + " is " + (!present ? "missing" : "not an object"));
        }
        return asObject(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value; // Json.readValue makes objects Map<String, Object>
    }

    static String requiredString(Map<String, Object> node, String field, String where) throws MalformedException {
        Object v = node.get(field);
        if (!(v instanceof String s)) {
            throw new MalformedException(where + "." + field + " is " + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    static String optionalString(Map<String, Object> node, String field, String fallback, String where)
            throws MalformedException {
        Object v = node.get(field);
        if (v == null) return fallback;
        if (!(v instanceof String s)) throw new MalformedException(where + "." + field + " is not a string");
        return s;
    }

    /** {@return the field's string, or null when it is absent or JSON null} */
    static @Nullable String nullableString(Map<String, Object> node, String field, String where)
            throws MalformedException {
        Object v = node.get(field);
        if (v == null) return null;
        if (!(v instanceof String s)) throw new MalformedException(where + "." + field + " is not a string");
        return s;
    }
}
