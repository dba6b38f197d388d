package dev.sluice.openai;

import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.openai.ChatCompletion.Choice;
import dev.sluice.openai.ChatCompletion.FunctionToolCall;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;

/**
 * Writes a {@link ChatCompletion} as the API's own {@code chat.completion} object, with
 * {@link JsonOut} (no Jackson). Stateless.
 */
final class CompletionJson {
    private CompletionJson() {}

    static String write(ChatCompletion c) {
        JsonOut out = new JsonOut();
        out.writeStartObject();
        out.writeStringField("id", c.id());
        out.writeStringField("object", "chat.completion");
        out.writeFieldName("created");
        out.writeNumber(c.created());
        out.writeStringField("model", c.model());
        if (c.systemFingerprint() != null) out.writeStringField("system_fingerprint", c.systemFingerprint());
        if (c.serviceTier() != null) out.writeStringField("service_tier", c.serviceTier());
        out.writeArrayFieldStart("choices");
        for (Choice choice : c.choices()) choice(out, choice);
        out.writeEndArray();
        if (c.usage() != null) usage(out, c.usage());
        out.writeEndObject();
        return out.toString();
    }

    private static void choice(JsonOut out, Choice choice) {
        out.writeStartObject();
        out.writeNumberField("index", choice.index());
        out.writeObjectFieldStart("message");
        ChatCompletion.Message m = choice.message();
        out.writeStringField("role", m.role());
        out.writeStringField("content", m.content());
        out.writeStringField("refusal", m.refusal());
        if (!m.toolCalls().isEmpty()) {
            out.writeArrayFieldStart("tool_calls");
            for (FunctionToolCall call : m.toolCalls()) toolCall(out, call);
            out.writeEndArray();
        }
        if (m.reasoningContent() != null) out.writeStringField("reasoning_content", m.reasoningContent());
        if (m.reasoning() != null) out.writeStringField("reasoning", m.reasoning());
        if (!m.reasoningDetails().isEmpty()) {
            out.writeFieldName("reasoning_details");
            out.writeValue(m.reasoningDetails());
        }
        out.writeEndObject();
        out.writeFieldName("logprobs");
        out.writeValue(choice.logprobs());
        out.writeStringField("finish_reason", choice.finishReason());
        out.writeEndObject();
    }

    /**
     * A call in the API's shape: a custom tool's as {@code {"type":"custom","custom":{"name","input"}}},
     * any other as {@code {"type":T,"function":{"name","arguments"}}}, plus
     * {@code function.arguments_error} when the arguments are not a valid JSON object.
     */
    private static void toolCall(JsonOut out, FunctionToolCall call) {
        out.writeStartObject();
        out.writeStringField("id", call.id());
        out.writeStringField("type", call.type());
        boolean custom = call.type().equals(ToolCallChunk.CUSTOM);
        out.writeObjectFieldStart(custom ? "custom" : "function");
        out.writeStringField("name", call.name());
        out.writeStringField(custom ? "input" : "arguments", call.arguments());
        if (call.argumentsError() != null) out.writeStringField("arguments_error", call.argumentsError());
        out.writeEndObject();
        out.writeEndObject();
    }

    /** Usage; the details objects only when they have a count to show (the counts kept are cached and reasoning tokens). */
    private static void usage(JsonOut out, CompletionUsage u) {
        out.writeObjectFieldStart("usage");
        out.writeFieldName("prompt_tokens");
        out.writeNumber(u.promptTokens());
        out.writeFieldName("completion_tokens");
        out.writeNumber(u.completionTokens());
        out.writeFieldName("total_tokens");
        out.writeNumber(u.totalTokens());
        if (u.cachedTokens() > 0) {
            out.writeObjectFieldStart("prompt_tokens_details");
            out.writeFieldName("cached_tokens");
            out.writeNumber(u.cachedTokens());
            out.writeEndObject();
        }
        if (u.reasoningTokens() > 0) {
            out.writeObjectFieldStart("completion_tokens_details");
            out.writeFieldName("reasoning_tokens");
            out.writeNumber(u.reasoningTokens());
            out.writeEndObject();
        }
        out.writeEndObject();
    }
}
