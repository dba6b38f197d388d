package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/** Writes requests as Chat Completions JSON ({@link OpenAiRequests} maps provider-neutral requests onto them). Stateless. */
final class RequestJson {
    private RequestJson() {}

    /** {@return the streaming request body: the request's fields, then {@code stream} and {@code stream_options}} */
    static String streaming(ChatCompletionRequest r) {
        return write(r, true);
    }

    /** {@return the request body asking for one JSON answer: the request's fields, then {@code "stream": false}} */
    static String whole(ChatCompletionRequest r) {
        return write(r, false);
    }

    private static String write(ChatCompletionRequest r, boolean stream) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("model", r.model());
            g.writeArrayFieldStart("messages");
            for (ChatCompletionMessage m : r.messages()) message(g, m);
            g.writeEndArray();
            if (!r.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (FunctionTool t : r.tools()) tool(g, t);
                g.writeEndArray();
            }
            if (r.toolChoice() != null) {
                g.writeFieldName("tool_choice");
                if (r.toolChoice().functionName() == null) {
                    g.writeString(r.toolChoice().mode());
                } else {
                    g.writeStartObject();
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", r.toolChoice().functionName());
                    g.writeEndObject();
                    g.writeEndObject();
                }
            }
            if (r.responseFormat() != null) {
                g.writeFieldName("response_format");
                Json.writeValue(g, r.responseFormat());
            }
            if (r.temperature() != null)
                g.writeNumberField("temperature", new BigDecimal(r.temperature().toString()));
            if (r.topP() != null)
                g.writeNumberField("top_p", new BigDecimal(r.topP().toString()));
            if (r.maxCompletionTokens() != null) g.writeNumberField("max_completion_tokens", r.maxCompletionTokens());
            if (r.maxTokens() != null) g.writeNumberField("max_tokens", r.maxTokens());
            if (!r.stop().isEmpty()) {
                g.writeArrayFieldStart("stop");
                for (String s : r.stop()) g.writeString(s);
                g.writeEndArray();
            }
            if (r.n() != null) g.writeNumberField("n", r.n());
            if (r.seed() != null) g.writeNumberField("seed", r.seed());
            if (r.user() != null) g.writeStringField("user", r.user());
            for (Map.Entry<String, Object> e : r.extra().entrySet()) {
                g.writeFieldName(e.getKey());
                Json.writeValue(g, e.getValue());
            }
            g.writeBooleanField("stream", stream);
            if (stream) {
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void message(JsonGenerator g, ChatCompletionMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role());
        if (!m.imageUrls().isEmpty() || !m.files().isEmpty() || !m.audio().isEmpty()) {
            g.writeArrayFieldStart("content");
            for (ChatCompletionMessage.FilePart f : m.files()) {
                g.writeStartObject();
                g.writeStringField("type", "file");
                g.writeObjectFieldStart("file");
                if (f.fileId() != null) {
                    g.writeStringField("file_id", f.fileId());
                } else {
                    g.writeStringField("filename", f.filename());
                    g.writeStringField("file_data", f.fileData());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            for (ChatCompletionMessage.AudioPart a : m.audio()) {
                g.writeStartObject();
                g.writeStringField("type", "input_audio");
                g.writeObjectFieldStart("input_audio");
                g.writeStringField("data", a.data());
                g.writeStringField("format", a.format());
                g.writeEndObject();
                g.writeEndObject();
            }
            for (String url : m.imageUrls()) {
                g.writeStartObject();
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url", url);
                g.writeEndObject();
                g.writeEndObject();
            }
            if (m.content() != null && !m.content().isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", m.content());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (m.content() == null) g.writeNullField("content");
        else g.writeStringField("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ChatCompletionMessage.ToolCallParam c : m.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", c.name());
                g.writeStringField("arguments", c.arguments());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (m.toolCallId() != null) g.writeStringField("tool_call_id", m.toolCallId());
        if (m.reasoningContent() != null) g.writeStringField("reasoning_content", m.reasoningContent());
        if (m.reasoning() != null) g.writeStringField("reasoning", m.reasoning());
        if (!m.reasoningDetails().isEmpty()) {
            g.writeFieldName("reasoning_details");
            Json.writeValue(g, m.reasoningDetails());
        }
        g.writeEndObject();
    }

    private static void tool(JsonGenerator g, FunctionTool t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", t.name());
        if (!t.description().isEmpty()) g.writeStringField("description", t.description());
        g.writeFieldName("parameters");
        Json.writeValue(g, t.parameters());
        if (t.strict() != null) g.writeBooleanField("strict", t.strict());
        g.writeEndObject();
        g.writeEndObject();
    }
}
