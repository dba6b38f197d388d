package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonOut;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link MessageRequest} as the Messages API's JSON request body, with {@link JsonOut}
 * (the same text Jackson's generator gives, without loading Jackson). Stateless.
 */
final class RequestJson {
    private RequestJson() {}

    /** {@return the compact JSON body, with {@code "stream"} set as given} */
    static String write(MessageRequest r, boolean stream) {
        JsonOut g = new JsonOut();
        write(g, r, stream);
        return g.toString();
    }

    static void write(JsonOut g, MessageRequest r, boolean stream) {
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
            if (m.effort() != null) { // a system message's own effort (build-with-claude/effort-per-message)
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
            if (th.display() != null) g.writeStringField("display", th.display());
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
        Map<String, Object> format = r.outputFormatOrNull();
        String effort = r.effortOrNull();
        boolean typedConfig = format != null || effort != null;
        for (Map.Entry<String, Object> e : r.extra().entrySet()) {
            if (typedConfig && e.getKey().equals("output_config")) continue; // written with the format, below
            g.writeFieldName(e.getKey());
            g.writeValue(e.getValue());
        }
        if (typedConfig) writeOutputConfig(g, format, effort, r.extra().get("output_config"));
        g.writeEndObject();
    }

    /** {@code output_config}: the members given as an extra field, then the effort, then the format. */
    private static void writeOutputConfig(
            JsonOut g, @Nullable Map<String, Object> schema, @Nullable String effort, @Nullable Object extraConfig) {
        g.writeObjectFieldStart("output_config");
        if (extraConfig instanceof Map<?, ?> members) {
            for (Map.Entry<?, ?> e : members.entrySet()) {
                if (effort != null && "effort".equals(e.getKey())) continue;
                g.writeFieldName((String) e.getKey());
                g.writeValue(e.getValue());
            }
        }
        if (effort != null) g.writeStringField("effort", effort);
        if (schema == null) {
            g.writeEndObject();
            return;
        }
        g.writeObjectFieldStart("format");
        g.writeStringField("type", "json_schema");
        g.writeFieldName("schema");
        g.writeValue(schema);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeBlock(JsonOut g, ContentBlockParam block) {
        g.writeStartObject();
        g.writeStringField("type", block.type());
        Map<String, Object> cacheControl = writeFields(g, block);
        if (cacheControl != null) {
            g.writeFieldName("cache_control");
            g.writeValue(cacheControl);
        }
        g.writeEndObject();
    }

    /**
     * Writes the fields of the block's kind. {@return its cache control, or null}
     */
    private static @Nullable Map<String, Object> writeFields(JsonOut g, ContentBlockParam block) {
        if (block instanceof TextParam t) {
            g.writeStringField("text", t.text());
            if (!t.citations().isEmpty()) {
                g.writeArrayFieldStart("citations");
                for (Citation c : t.citations()) g.writeValue(c.json());
                g.writeEndArray();
            }
            return t.cacheControl();
        }
        if (block instanceof ImageParam i) {
            g.writeFieldName("source");
            g.writeValue(i.source());
            return i.cacheControl();
        }
        if (block instanceof DocumentParam d) {
            g.writeFieldName("source");
            g.writeValue(d.source());
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
            g.writeValue(t.input());
            return t.cacheControl();
        }
        if (block instanceof ToolResultParam t) {
            g.writeStringField("tool_use_id", t.toolUseId());
            if (t.text() != null) {
                g.writeStringField("content", t.text());
            } else {
                g.writeArrayFieldStart("content");
                for (ContentBlockParam b : Objects.requireNonNull(t.blocks(), "text or blocks")) writeBlock(g, b);
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
            for (Map.Entry<String, Object> e : f.json().entrySet()) {
                if (e.getKey().equals("type")) continue;
                g.writeFieldName(e.getKey());
                g.writeValue(e.getValue());
            }
            return null;
        }
        throw new AssertionError(
                "unexpected content block class: " + block.getClass().getName());
    }

    private static void writeTool(JsonOut g, ToolParam tool) {
        if (tool instanceof CustomTool c) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            if (c.description() != null) g.writeStringField("description", c.description());
            g.writeFieldName("input_schema");
            g.writeValue(c.inputSchema());
            if (c.cacheControl() != null) {
                g.writeFieldName("cache_control");
                g.writeValue(c.cacheControl());
            }
            if (c.eagerInputStreaming() != null) g.writeBooleanField("eager_input_streaming", c.eagerInputStreaming());
            if (c.strict() != null) g.writeBooleanField("strict", c.strict());
            if (c.deferLoading() != null) g.writeBooleanField("defer_loading", c.deferLoading());
            if (c.inputExamples() != null) {
                g.writeFieldName("input_examples");
                g.writeValue(c.inputExamples());
            }
            if (c.allowedCallers() != null) {
                g.writeFieldName("allowed_callers");
                g.writeValue(c.allowedCallers());
            }
            g.writeEndObject();
        } else if (tool instanceof ServerTool s) {
            g.writeValue(s.json());
        } else {
            throw new AssertionError("unexpected tool class: " + tool.getClass().getName());
        }
    }
}
