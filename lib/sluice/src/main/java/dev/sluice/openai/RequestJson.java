package dev.sluice.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Image;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.internal.call.client.ToolImages;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Writes requests as Chat Completions JSON, and maps provider-neutral requests onto them. Stateless. */
final class RequestJson {
    /**
     * The model names OpenAI documents structured output for: gpt-4o (not its 2024-05-13 snapshot)
     * and gpt-4o-mini, gpt-4.1 and later 4.x, gpt-5 and later, the o-series from o1 (not
     * o1-preview, o1-mini).
     */
    private static final Pattern NATIVE = Pattern.compile(
            "(?!gpt-4o-2024-05-13)gpt-4o(-.*)?|gpt-4\\.[1-9].*|gpt-([5-9]|\\d{2,})([.-].*)?|(?!o1-preview|o1-mini)o\\d+([.-].*)?");

    private RequestJson() {}

    /**
     * {@return whether Chat Completions takes {@code response_format} {@code json_schema} for the
     * model} True for the names OpenAI documents it for ({@link #NATIVE}; a router's prefix such as
     * {@code openai/} is ignored): gpt-4o from its 2024-08-06 snapshot, gpt-4o-mini, gpt-4.1,
     * gpt-4.5, gpt-5 and later, o1, o3, o4-mini and later; false for older models (gpt-4-turbo,
     * gpt-3.5-turbo, o1-mini...) and names it does not know, such as an OpenAI-compatible server's;
     * and false for a model the {@link dev.sluice.models.ModelCatalog} lists without structured
     * outputs, as {@link ResponsesChat#nativeStructuredOutput} reads it (the name rule stays for the
     * names the table does not know).
     */
    static boolean nativeStructuredOutput(String model) {
        return NATIVE.matcher(StructuredOutputs.modelName(model)).matches()
                && ResponsesChat.nativeStructuredOutput(model);
    }

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
        if (!m.imageUrls().isEmpty()) {
            g.writeArrayFieldStart("content");
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

    /**
     * Maps a provider-neutral request: the system prompt as the first, {@code system}, message;
     * user and assistant text; an assistant's tool calls as {@code tool_calls}; each tool result
     * as its own {@code tool} message (a failed result's content prefixed with {@code "Error: "},
     * since Chat Completions has no error flag), and the images a tool returned, which a
     * {@code tool} message cannot carry (its content is text only), in a user message after the
     * results, naming the call (ChatCompletionToolMessageParam's content is a string or text parts:
     * OpenAI's API reference); tools as function tools; the tool choice, with
     * tools only; {@code maxTokens} as {@code max_completion_tokens}; the response format as
     * {@code response_format} {@code json_schema} for a model that takes it
     * ({@link #nativeStructuredOutput}), else as a forced call of a function named as the format,
     * {@code strict} as the format asks (see {@link StructuredOutputs#plan}). {@code thinkingBudget}
     * is not sent (Chat Completions has no token budget for reasoning; reasoning models reason
     * without being asked). An assistant message with {@code provider}'s state (an OpenAI-compatible
     * server's reasoning, from {@link OpenAiChunkMapper}) in a tool-call turn — from a user's text to
     * the next, the turn in which the model called a tool, its final answer included — gets that
     * reasoning back under the names it arrived with ({@code reasoning_content}, {@code reasoning},
     * {@code reasoning_details}, verbatim), as DeepSeek requires; outside such turns it is left out
     * (DeepSeek ignores it there); another provider's state is never sent. On a DeepSeek model
     * ({@link #deepSeek}), an assistant message of a tool-call turn without reasoning of this
     * provider (another target's before a failover, or a history written by hand) gets
     * {@value #DEEPSEEK_NO_REASONING} as its {@code reasoning_content}: DeepSeek answers 400 when
     * the field is missing, and its V4 models when it is empty (see
     * {@link #DEEPSEEK_NO_REASONING}).
     *
     * @param provider this client's provider name: only state of this provider is sent back
     */
    static ChatCompletionRequest fromChat(ChatRequest request, StructuredOutputMode mode, String provider) {
        return fromChat(plan(request, mode), provider);
    }

    /** {@return how a structured answer is asked of the request's model on Chat Completions: natively, or as a forced tool} */
    static StructuredOutputs.Plan plan(ChatRequest request, StructuredOutputMode mode) {
        return StructuredOutputs.plan(request, mode, RequestJson::nativeStructuredOutput);
    }

    /** As {@link #fromChat(ChatRequest, StructuredOutputMode, String)}, for a request already {@linkplain #plan planned}. */
    static ChatCompletionRequest fromChat(StructuredOutputs.Plan plan, String provider) {
        ChatRequest chat = plan.request();
        ChatCompletionRequest.Builder b = ChatCompletionRequest.builder().model(chat.model());
        if (!chat.system().isEmpty()) b.addMessage(ChatCompletionMessage.system(chat.system()));
        List<ChatMessage> messages = chat.messages();
        boolean[] toolTurn = toolTurns(messages);
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            switch (m.role()) {
                case USER -> {
                    for (ToolResult r : m.toolResults()) {
                        String text = r.isError() ? "Error: " + r.content() : r.content();
                        if (text.isEmpty() && !r.images().isEmpty()) text = ToolImages.FOLLOW;
                        b.addMessage(ChatCompletionMessage.tool(r.toolCallId(), text));
                    }
                    // a tool message takes text only: the images a tool returned follow the results as a user's
                    for (ToolResult r : m.toolResults()) {
                        if (!r.images().isEmpty())
                            b.addMessage(ChatCompletionMessage.user(
                                    ToolImages.note(r, r.toolCallId()),
                                    r.images().stream().map(Image::asUrl).toList()));
                    }
                    if (!m.images().isEmpty())
                        b.addMessage(ChatCompletionMessage.user(
                                m.text(), m.images().stream().map(Image::asUrl).toList()));
                    else if (!m.text().isEmpty()) b.addMessage(ChatCompletionMessage.user(m.text()));
                }
                case ASSISTANT -> {
                    ChatCompletionMessage a;
                    if (m.toolCalls().isEmpty()) {
                        a = ChatCompletionMessage.assistant(m.text());
                    } else {
                        List<ChatCompletionMessage.ToolCallParam> calls = m.toolCalls().stream()
                                .map(RequestJson::toolCall)
                                .toList();
                        a = ChatCompletionMessage.assistant(m.text().isEmpty() ? null : m.text(), calls);
                    }
                    ProviderState state = m.providerState();
                    if (toolTurn[i] && state != null && state.provider().equals(provider)) a = withReasoning(a, state);
                    if (toolTurn[i]
                            && a.reasoningContent() == null
                            && a.reasoning() == null
                            && a.reasoningDetails().isEmpty()
                            && deepSeek(chat.model())) {
                        a = a.withReasoning(
                                DEEPSEEK_NO_REASONING,
                                null,
                                List.of()); // no reasoning of this provider's: DeepSeek's stand-in
                    }
                    b.addMessage(a);
                }
            }
        }
        for (Tool t : chat.tools()) b.addTool(functionTool(t, plan.formatTool()));
        if (chat.toolChoice() != null && !chat.tools().isEmpty()) b.toolChoice(toolChoice(chat.toolChoice()));
        if (chat.responseFormat() != null) b.responseFormat(jsonSchema(chat.responseFormat()));
        Integer maxTokens = ReasoningEfforts.maxTokens(chat);
        if (maxTokens != null) b.maxCompletionTokens(maxTokens);
        if (chat.temperature() != null && ReasoningEfforts.sampling(chat)) b.temperature(chat.temperature());
        String effort = ReasoningEfforts.effort(chat);
        if (effort != null) b.reasoningEffort(effort);
        if (chat.stopSequences().size() > 4) {
            throw new IllegalArgumentException("OpenAI allows at most 4 stop sequences: "
                    + chat.stopSequences().size());
        }
        for (String s : chat.stopSequences()) b.addStop(s);
        return b.build();
    }

    /**
     * The {@code reasoning_content} sent on DeepSeek for an assistant message of a tool-call turn that
     * has no reasoning of this client's (another target answered it, or the application wrote it):
     * one space. DeepSeek's guide (https://api-docs.deepseek.com/guides/thinking_mode, "Tool
     * Calls") requires the reasoning of every tool-call turn back and documents no stand-in for
     * one it did not produce; a missing field is a 400 ("Missing `reasoning_content` field ..."),
     * and so, on the V4 models, is an empty one ("The `reasoning_content` in the thinking mode must
     * be passed back to the API.", NousResearch/hermes-agent#17341, HKUDS/nanobot#946), where a
     * non-empty one passes.
     */
    static final String DEEPSEEK_NO_REASONING = " ";

    /** {@return whether the model is DeepSeek's (by its name, as DeepSeek and the clouds serving it name it)} */
    static boolean deepSeek(String model) {
        return model != null && model.toLowerCase(Locale.ROOT).contains("deepseek");
    }

    /**
     * {@return for each message, whether it is in a tool-call turn: from a user message with text
     * to the next, a turn in which an assistant message calls a tool}
     */
    private static boolean[] toolTurns(List<ChatMessage> messages) {
        boolean[] in = new boolean[messages.size()];
        int start = 0;
        for (int i = 0; i <= messages.size(); i++) {
            boolean turnEnds = i == messages.size()
                    || (messages.get(i).role() == ChatMessage.Role.USER
                            && !messages.get(i).text().isEmpty());
            if (!turnEnds) continue;
            boolean calls = false;
            for (int k = start; k < i; k++)
                calls |= !messages.get(k).toolCalls().isEmpty();
            for (int k = start; k < i; k++) in[k] = calls;
            start = i;
        }
        return in;
    }

    /** {@return the assistant message with the reasoning of its state, under the names it arrived with} */
    private static ChatCompletionMessage withReasoning(ChatCompletionMessage m, ProviderState state) {
        Map<String, Object> echo = CompatibleReasoning.echo(state);
        if (echo.isEmpty()) return m;
        List<Object> details = echo.get("reasoning_details") instanceof List<?> l ? List.copyOf(l) : List.of();
        return m.withReasoning((String) echo.get("reasoning_content"), (String) echo.get("reasoning"), details);
    }

    /** {@return the tool as a function; the response format's own tool strict as the format asks} */
    static FunctionTool functionTool(Tool t, @Nullable ResponseFormat formatTool) {
        boolean strict =
                formatTool != null && formatTool.strict() && formatTool.name().equals(t.name());
        return new FunctionTool(t.name(), t.description(), t.inputSchema(), strict ? Boolean.TRUE : null);
    }

    /** {@return the neutral tool choice in OpenAI's terms, for Chat Completions and the Responses API alike} */
    static ChatCompletionToolChoice toolChoice(ToolChoice choice) {
        return switch (choice) {
            case ToolChoice.Auto a -> ChatCompletionToolChoice.auto();
            case ToolChoice.None n -> ChatCompletionToolChoice.none();
            case ToolChoice.Required r -> ChatCompletionToolChoice.required();
            case ToolChoice.Named(String name) -> ChatCompletionToolChoice.function(name);
        };
    }

    /** {@return the neutral response format as OpenAI's: strict when asked, else without strict} */
    static JsonSchemaFormat jsonSchema(ResponseFormat format) {
        return new JsonSchemaFormat(format.name(), "", format.schema(), format.strict() ? Boolean.TRUE : null);
    }

    private static ChatCompletionMessage.ToolCallParam toolCall(ToolCall c) {
        String arguments = c.arguments().isBlank() ? "{}" : c.arguments();
        return new ChatCompletionMessage.ToolCallParam(c.id(), c.name(), arguments);
    }
}
