package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The Jackson-generator implementation that {@link RequestJson} had before it was switched to
 * {@code JsonOut}, kept verbatim as the oracle for {@code RequestJsonTest}.
 */
final class JacksonRequestJsonOracle {
    private JacksonRequestJsonOracle() {}

    /** {@return the compact JSON body, with {@code "stream"} set as given} */
    static String write(MessageRequest r, boolean stream) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            write(g, r, stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    static void write(JsonGenerator g, MessageRequest r, boolean stream) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", r.model());
        g.writeNumberField("max_tokens", r.maxTokens());
        g.writeArrayFieldStart("messages");
        for (MessageParam m : r.messages()) {
            g.writeStartObject();
            g.writeStringField("role", m.role().wireName());
            g.writeArrayFieldStart("content");
            for (ContentBlockParam b : m.content()) writeBlock(g, b);
            g.writeEndArray();
            if (m.effort() != null) {
                g.writeObjectFieldStart("output_config");
                g.writeStringField("effort", m.effort());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (r.systemTextOrNull() != null) {
            g.writeStringField("system", r.systemTextOrNull());
        } else if (r.systemBlocksOrNull() != null) {
            g.writeArrayFieldStart("system");
            for (TextParam t : r.systemBlocksOrNull()) writeBlock(g, t);
            g.writeEndArray();
        }
        if (!r.tools().isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (ToolParam t : r.tools()) writeTool(g, t);
            g.writeEndArray();
        }
        ToolChoice tc = r.toolChoiceOrNull();
        if (tc != null) {
            g.writeObjectFieldStart("tool_choice");
            g.writeStringField("type", tc.type());
            if (tc.name() != null) g.writeStringField("name", tc.name());
            if (tc.disableParallelToolUse()) g.writeBooleanField("disable_parallel_tool_use", true);
            g.writeEndObject();
        }
        ThinkingConfig th = r.thinkingOrNull();
        if (th != null) {
            g.writeObjectFieldStart("thinking");
            g.writeStringField("type", th.type());
            if (th.enabled()) g.writeNumberField("budget_tokens", th.budgetTokens());
            g.writeEndObject();
        }
        if (r.temperatureOrNull() != null) g.writeNumberField("temperature", r.temperatureOrNull());
        if (r.topPOrNull() != null) g.writeNumberField("top_p", r.topPOrNull());
        if (r.topKOrNull() != null) g.writeNumberField("top_k", r.topKOrNull());
        if (r.stopSequencesOrNull() != null) {
            g.writeArrayFieldStart("stop_sequences");
            for (String s : r.stopSequencesOrNull()) g.writeString(s);
            g.writeEndArray();
        }
        if (r.userIdOrNull() != null) {
            g.writeObjectFieldStart("metadata");
            g.writeStringField("user_id", r.userIdOrNull());
            g.writeEndObject();
        }
        g.writeBooleanField("stream", stream);
        for (Map.Entry<String, Object> e : r.extra().entrySet()) {
            g.writeFieldName(e.getKey());
            Json.writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeBlock(JsonGenerator g, ContentBlockParam block) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", block.type());
        Map<String, Object> cacheControl = writeFields(g, block);
        if (cacheControl != null) {
            g.writeFieldName("cache_control");
            Json.writeValue(g, cacheControl);
        }
        g.writeEndObject();
    }

    /**
     * Writes the fields of the block's kind. {@return its cache control, or null} An if/else chain
     * rather than a pattern switch: a type switch costs a fresh JVM's first request a few
     * milliseconds of bootstrap linking.
     */
    private static Map<String, Object> writeFields(JsonGenerator g, ContentBlockParam block) throws IOException {
        if (block instanceof TextParam t) {
            g.writeStringField("text", t.text());
            if (!t.citations().isEmpty()) {
                g.writeArrayFieldStart("citations");
                for (Citation c : t.citations()) Json.writeValue(g, c.json());
                g.writeEndArray();
            }
            return t.cacheControl();
        }
        if (block instanceof ImageParam i) {
            g.writeFieldName("source");
            Json.writeValue(g, i.source());
            return i.cacheControl();
        }
        if (block instanceof DocumentParam d) {
            g.writeFieldName("source");
            Json.writeValue(g, d.source());
            if (d.title() != null) g.writeStringField("title", d.title());
            if (d.context() != null) g.writeStringField("context", d.context());
            if (d.citationsEnabled() != null) {
                g.writeObjectFieldStart("citations");
                g.writeBooleanField("enabled", d.citationsEnabled());
                g.writeEndObject();
            }
            return d.cacheControl();
        }
        if (block instanceof ToolUseParam t) {
            g.writeStringField("id", t.id());
            g.writeStringField("name", t.name());
            g.writeFieldName("input");
            Json.writeValue(g, t.input());
            return t.cacheControl();
        }
        if (block instanceof ToolResultParam t) {
            g.writeStringField("tool_use_id", t.toolUseId());
            if (t.text() != null) {
                g.writeStringField("content", t.text());
            } else {
                g.writeArrayFieldStart("content");
                for (ContentBlockParam b : t.blocks()) writeBlock(g, b);
                g.writeEndArray();
            }
            if (t.isError()) g.writeBooleanField("is_error", true);
            return t.cacheControl();
        }
        if (block instanceof ThinkingParam t) {
            g.writeStringField("thinking", t.thinking());
            g.writeStringField("signature", t.signature());
            return null;
        }
        if (block instanceof RedactedThinkingParam r) {
            g.writeStringField("data", r.data());
            return null;
        }
        if (block instanceof CompactionParam c) {
            g.writeFieldName("content");
            if (c.content() == null) g.writeNull();
            else g.writeString(c.content());
            if (c.encryptedContent() != null) g.writeStringField("encrypted_content", c.encryptedContent());
            return null;
        }
        if (block instanceof VerbatimParam f) {
            for (java.util.Map.Entry<String, Object> e : f.json().entrySet()) {
                if (e.getKey().equals("type")) continue;
                g.writeFieldName(e.getKey());
                Json.writeValue(g, e.getValue());
            }
            return null;
        }
        throw new AssertionError(
                "unexpected content block class: " + block.getClass().getName());
    }

    private static void writeTool(JsonGenerator g, ToolParam tool) throws IOException {
        if (tool instanceof CustomTool c) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            if (c.description() != null) g.writeStringField("description", c.description());
            g.writeFieldName("input_schema");
            Json.writeValue(g, c.inputSchema());
            if (c.cacheControl() != null) {
                g.writeFieldName("cache_control");
                Json.writeValue(g, c.cacheControl());
            }
            g.writeEndObject();
        } else if (tool instanceof ServerTool s) {
            Json.writeValue(g, s.json());
        } else {
            throw new AssertionError("unexpected tool class: " + tool.getClass().getName());
        }
    }
}
