package dev.sluice.openai;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderFile;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.internal.call.client.ToolImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps provider-neutral {@link ChatRequest}s onto Chat Completions {@link ChatCompletionRequest}s
 * (and a neutral tool, tool choice and response format onto OpenAI's, for the Responses mapping
 * too); {@link RequestJson} writes them. Stateless.
 */
final class OpenAiRequests {
    /**
     * The model names OpenAI documents structured output for: gpt-4o (not its 2024-05-13 snapshot)
     * and gpt-4o-mini, gpt-4.1 and later 4.x, gpt-5 and later, the o-series from o1 (not
     * o1-preview, o1-mini).
     */
    private static final Pattern NATIVE = Pattern.compile(
            "(?!gpt-4o-2024-05-13)gpt-4o(-.*)?|gpt-4\\.[1-9].*|gpt-([5-9]|\\d{2,})([.-].*)?|(?!o1-preview|o1-mini)o\\d+([.-].*)?");

    private OpenAiRequests() {}

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
     * server's reasoning, from {@link OpenAiChunks}) in a tool-call turn — from a user's text to
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
        return StructuredOutputs.plan(request, mode, OpenAiRequests::nativeStructuredOutput);
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
                    if (!m.documents().isEmpty() || !m.files().isEmpty())
                        b.addMessage(ChatCompletionMessage.user(
                                m.text(),
                                m.images().stream().map(Image::asUrl).toList(),
                                files(m, provider),
                                m.documents().stream()
                                        .filter(Document::isAudio)
                                        .map(OpenAiRequests::audio)
                                        .toList()));
                    else if (!m.images().isEmpty())
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
                                .map(OpenAiRequests::toolCall)
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
        PromptCache cache = chat.promptCache();
        if (cache != null && cache.key() != null) b.extra("prompt_cache_key", cache.key());
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

    /**
     * {@return a document as a {@code file} part} @throws IllegalArgumentException for a type other
     * than PDF, the one Chat Completions reads
     */
    private static ChatCompletionMessage.FilePart file(Document d) {
        if (!d.isPdf())
            throw new IllegalArgumentException(
                    "OpenAI Chat Completions reads files of the type application/pdf, not " + d.mediaType());
        return new ChatCompletionMessage.FilePart(d.filenameOrDefault(), d.asDataUrl());
    }

    /**
     * {@return a user message's documents but audio as {@code file} parts (their bytes), then its
     * provider files ({@code file_id})} @throws IllegalArgumentException for a document other than
     * PDF, another provider's file, or an image given by id (Chat Completions takes images as URLs only)
     */
    private static List<ChatCompletionMessage.FilePart> files(ChatMessage m, String provider) {
        List<ChatCompletionMessage.FilePart> files = new ArrayList<>();
        for (Document d : m.documents()) if (!d.isAudio()) files.add(file(d));
        for (ProviderFile f : m.files()) {
            f.checkProvider(provider);
            if (f.isImage())
                throw new IllegalArgumentException("OpenAI Chat Completions takes an image by URL or bytes, not by file"
                        + " id (" + f.id() + "): send its bytes, or use the Responses API");
            files.add(ChatCompletionMessage.FilePart.ofId(f.id()));
        }
        return files;
    }

    /**
     * {@return an audio clip as an {@code input_audio} part} @throws IllegalArgumentException for a
     * format other than WAV and MP3, the ones Chat Completions reads
     */
    static ChatCompletionMessage.AudioPart audio(Document d) {
        String format = d.audioFormat().orElse("");
        if (!format.equals("wav") && !format.equals("mp3"))
            throw new IllegalArgumentException(
                    "OpenAI reads audio of the types audio/wav and audio/mpeg (mp3), not " + d.mediaType());
        return new ChatCompletionMessage.AudioPart(d.data(), format);
    }

    private static ChatCompletionMessage.ToolCallParam toolCall(ToolCall c) {
        String arguments = c.arguments().isBlank() ? "{}" : c.arguments();
        return new ChatCompletionMessage.ToolCallParam(c.id(), c.name(), arguments);
    }
}
