package dev.sluice.anthropic;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.PromptCache;
import dev.sluice.chat.ProviderFile;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice.Auto;
import dev.sluice.chat.ToolChoice.Named;
import dev.sluice.chat.ToolChoice.None;
import dev.sluice.chat.ToolChoice.Required;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.internal.call.client.ClaudeThinking;
import dev.sluice.internal.call.client.StructuredOutputs;
import dev.sluice.models.AnthropicApiVersion;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps a provider-neutral {@link ChatRequest} to a Messages API {@link MessageRequest}:
 *
 * <ul>
 *   <li>the model as it is; the system prompt as the {@code system} string, left out when empty;
 *   <li>{@code max_tokens}, which the API requires: the request's, or {@value #DEFAULT_MAX_TOKENS}
 *       when it has none;
 *   <li>{@code temperature}, which the API allows from 0 to 1: a higher one is refused here,
 *       before anything is sent;
 *   <li>each message in order: a user message's tool results as {@code tool_result} blocks (a
 *       result with images as {@code image} blocks, then its text, in the block's {@code content}),
 *       then its images, then its text as a text block (the API wants the results first in the
 *       message that answers the calls); an assistant message's text as a text block, then its tool calls as
 *       {@code tool_use} blocks with their parsed arguments as input; empty text is left out. An
 *       assistant message with Anthropic {@link ProviderState} (from {@link AnthropicChunks}:
 *       a response that thought, compacted, fell back or ran server tools) gets its thinking,
 *       redacted-thinking, compaction, fallback, server-tool and MCP blocks back, unchanged and where they were ({@code encrypted_content}
 *       and signatures byte for byte), the text at the place of the response's first text block and each tool
 *       call at the place of its {@code tool_use} block (text or calls the state does not place
 *       follow in the usual order); state of another provider (by name: each cloud route names its
 *       own, {@link AnthropicRoute#provider()}) is ignored;
 *   <li>{@code thinkingBudget} as {@code "thinking":{"type":"enabled","budget_tokens":N}}; the
 *       API wants {@code max_tokens} above the budget, so a request without {@code maxTokens}
 *       sends the budget plus {@value #DEFAULT_MAX_TOKENS};
 *   <li>each tool as a custom tool with its {@code input_schema}; an empty description is left out;
 *   <li>the tool choice as {@code tool_choice} ({@code auto}, {@code none}, {@code any} for
 *       required, {@code tool} with its name), sent only with tools; a forced one ({@code any} or
 *       {@code tool}) with a thinking budget is refused here, as the API refuses it;
 *   <li>the response format as {@code "output_config":{"format":{"type":"json_schema","schema":S}}}
 *       for a model with structured output ({@link #nativeStructuredOutput}), else as a forced tool
 *       call (see {@link StructuredOutputs#plan});
 *   <li>the stop sequences, left out when there are none.
 * </ul>
 *
 * <p>Stateless.
 */
final class AnthropicRequests {
    /** The {@code max_tokens} sent when the {@link ChatRequest} has none. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private AnthropicRequests() {}

    /**
     * {@return whether the model takes {@code output_config.format}}, as the {@link ModelCatalog}
     * says (Claude Opus 4.5, Sonnet 4.5, Haiku 4.5 and every later family, Fable and Mythos
     * included); a Claude id the catalog does not know is taken as a current model, which does.
     * Older models (Claude 3.x, Opus 4 and 4.1, Sonnet 4) and ids that are not Claude's get the
     * forced tool call.
     */
    static boolean nativeStructuredOutput(String model) {
        return ModelCatalog.find(model)
                .filter(c -> c.maker() == ModelCapabilities.Maker.ANTHROPIC)
                .map(ModelCapabilities::nativeStructuredOutput)
                .orElseGet(() -> StructuredOutputs.modelName(model).contains("claude-"));
    }

    /** {@return the request with structured output decided by model} @see #toMessageRequest(ChatRequest, StructuredOutputMode) */
    static MessageRequest toMessageRequest(ChatRequest request) {
        return toMessageRequest(request, StructuredOutputMode.AUTO);
    }

    /**
     * {@return the Messages API request for the chat request}
     *
     * @throws IllegalArgumentException if the temperature is above 1, a tool call's arguments are
     *     not a valid JSON object, {@code maxTokens} is not above the thinking budget, Anthropic
     *     provider state is not the mapper's own, or a tool's name or schema is not one the API takes (a name of
     *     1 to 64 letters, digits, {@code _} or {@code -}; a schema with {@code "type": "object"}),
     *     or a forced tool choice goes with a thinking budget
     * @throws NullPointerException if {@code request} is null
     */
    static MessageRequest toMessageRequest(ChatRequest chat, StructuredOutputMode mode) {
        return toMessageRequest(chat, mode, AnthropicChunks.PROVIDER);
    }

    /**
     * {@return the Messages API request for the chat request, reading back only the provider state
     * named {@code provider} (the route's {@link AnthropicRoute#provider()})}
     *
     * @throws IllegalArgumentException as {@link #toMessageRequest(ChatRequest, StructuredOutputMode)}
     * @throws NullPointerException if an argument is null
     */
    static MessageRequest toMessageRequest(ChatRequest chat, StructuredOutputMode mode, String provider) {
        return toMessageRequest(chat, mode, provider, AnthropicApiVersion.V2023_06_01);
    }

    /**
     * {@return the Messages API request for the chat request, as {@link #toMessageRequest(ChatRequest,
     * StructuredOutputMode, String)}, following what the {@code anthropic-version} it goes with
     * accepts: no temperature under a version without sampling parameters ({@code 2026-10-21})}
     *
     * @throws IllegalArgumentException as {@link #toMessageRequest(ChatRequest, StructuredOutputMode)}
     * @throws NullPointerException if an argument is null
     */
    static MessageRequest toMessageRequest(
            ChatRequest chat, StructuredOutputMode mode, String provider, AnthropicApiVersion version) {
        Objects.requireNonNull(chat, "request");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(provider, "provider");
        StructuredOutputs.Plan plan = StructuredOutputs.plan(chat, mode, AnthropicRequests::nativeStructuredOutput);
        ChatRequest request = plan.request();
        ModelCapabilities caps = ModelCatalog.find(request.model()).orElse(null);
        ClaudeThinking thinking = ClaudeThinking.plan(request, caps);
        Integer budget = thinking.budget();
        if (caps != null && request.maxTokens() != null) caps.checkMaxOutputTokens(request.maxTokens());
        if (caps != null
                && request.effort() != null
                && request.maxTokens() == null
                && budget != null
                && caps.maxOutputTokens() > 0
                && budget + DEFAULT_MAX_TOKENS > caps.maxOutputTokens()) {
            budget = caps.maxOutputTokens() - DEFAULT_MAX_TOKENS; // an effort's budget, kept within the model's output
        }
        int maxTokens = request.maxTokens() != null
                ? request.maxTokens()
                : budget != null ? budget + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
        if (budget != null && maxTokens <= budget && request.thinkingBudget() == null) {
            if (maxTokens <= ThinkingConfig.MIN_BUDGET_TOKENS) {
                throw new IllegalArgumentException("maxTokens (" + maxTokens + ") leaves no room for thinking on "
                        + request.model() + ", which thinks with a budget of at least 1024 tokens below max_tokens:"
                        + " raise maxTokens, or leave the effort out");
            }
            budget = maxTokens - 1; // an effort's budget, kept under the limit asked for
        }
        MessageRequest.Builder b =
                MessageRequest.builder().model(request.model()).maxTokens(maxTokens);
        if (budget != null) {
            if (maxTokens <= budget) {
                throw new IllegalArgumentException("maxTokens (" + maxTokens + ") must be above the thinkingBudget ("
                        + budget + ") for Anthropic: raise maxTokens or leave it unset");
            }
            b.thinking(ThinkingConfig.enabled(budget));
        } else if (thinking.type() != null) {
            b.thinking(
                    switch (thinking.type()) {
                        case "adaptive" ->
                            thinking.display() == null
                                    ? ThinkingConfig.adaptive()
                                    : ThinkingConfig.adaptive(thinking.display());
                        case "between_tools" -> ThinkingConfig.betweenTools();
                        default -> ThinkingConfig.disabled();
                    });
        }
        if (thinking.effort() != null) b.effort(thinking.effort());
        boolean thinks =
                budget != null || "adaptive".equals(thinking.type()) || "between_tools".equals(thinking.type());
        ChatMessage last = request.messages().getLast();
        // a prefill is text the caller wrote; an assistant turn sent back with its state (a pause_turn's
        // server-tool blocks, a fallback's) is a continuation the API takes
        if (caps != null && last.role() == ChatMessage.Role.ASSISTANT && last.providerState() == null)
            caps.checkPrefill(request.model());
        PromptCache cache = request.promptCache();
        if (!request.system().isEmpty()) {
            if (cache != null && cache.system())
                b.system(List.of(TextParam.of(request.system()).withCacheControl(EPHEMERAL)));
            else b.system(request.system());
        }
        MessageParam turn = null; // consecutive messages of one role: one turn, each message's blocks apart
        for (ChatMessage m : request.messages()) {
            MessageParam next = m.cacheMark() ? marked(message(m, provider)) : message(m, provider);
            if (turn != null && turn.role() == next.role()) {
                List<ContentBlockParam> blocks = new ArrayList<>(turn.content());
                blocks.addAll(next.content());
                turn = new MessageParam(turn.role(), blocks, next.effort() != null ? next.effort() : turn.effort());
            } else {
                if (turn != null) b.addMessage(turn);
                turn = next;
            }
        }
        if (turn != null) b.addMessage(turn);
        for (Tool t : request.tools()) {
            b.addTool(CustomTool.of(t.name(), t.description().isEmpty() ? null : t.description(), t.inputSchema()));
        }
        if (request.toolChoice() != null && !request.tools().isEmpty()) {
            ToolChoice choice = toolChoice(request.toolChoice());
            boolean forced = choice.type().equals("any") || choice.type().equals("tool");
            // a model that refuses a forced choice: ClaudeChecks, where every Messages request is sent
            if (thinks && forced) {
                throw new IllegalArgumentException("Anthropic refuses a forced tool choice (tool_choice "
                        + choice.type()
                        + ") with thinking: "
                        + (plan.formatTool() != null
                                ? "the response format goes as a forced tool call on " + request.model() + "; leave the"
                                        + " thinkingBudget out, or use a model with structured output (Claude 4.5 or later)"
                                : "leave the thinkingBudget or the tool choice out"));
            }
            b.toolChoice(choice);
        }
        if (request.responseFormat() != null)
            b.outputFormat(request.responseFormat().schema());
        Double temperature = request.temperature();
        if (temperature != null
                && version.sampling()
                && (caps == null || caps.sampling())) { // left out where the model or the API version refuses it
            if (temperature > 1) {
                throw new IllegalArgumentException("temperature must be within 0..1 for Anthropic, not " + temperature);
            }
            b.temperature(temperature);
        }
        if (!request.stopSequences().isEmpty()) b.stopSequences(request.stopSequences());
        return b.build();
    }

    private static ToolChoice toolChoice(dev.sluice.chat.ToolChoice choice) {
        return switch (choice) {
            case Auto a -> ToolChoice.auto();
            case None n -> ToolChoice.none();
            case Required r -> ToolChoice.any();
            case Named(String name) -> ToolChoice.tool(name);
        };
    }

    /** {@return an image block: base64 bytes, or a URL the API fetches} @throws IllegalArgumentException for a media type the API does not take */
    private static ImageParam image(Image image) {
        if (image.url() != null) return ImageParam.url(image.url());
        try {
            return ImageParam.base64(Objects.requireNonNull(image.mediaType()), Objects.requireNonNull(image.data()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an image for Anthropic: " + e.getMessage(), e);
        }
    }

    /**
     * {@return a file of Anthropic's Files API: a {@code document} block, or an {@code image} block for
     * an image, with a {@code file} source} @throws IllegalArgumentException for another provider's file
     */
    private static ContentBlockParam file(ProviderFile f, String provider) {
        f.checkProvider(provider);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "file");
        source.put("file_id", f.id());
        return f.isImage() ? new ImageParam(source, null) : new DocumentParam(source, null, null, null, null);
    }

    /**
     * {@return a document block: a PDF as a base64 source, plain text as a text source; the filename as its title}
     *
     * @throws IllegalArgumentException for another media type, which the API does not read
     */
    private static DocumentParam document(Document d) {
        DocumentParam p;
        if (d.isPdf()) {
            p = DocumentParam.pdfBase64(d.data());
        } else if (d.mediaType().equals("text/plain")) {
            try {
                p = DocumentParam.text(new String(Base64.getDecoder().decode(d.data()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a text/plain document for Anthropic is not valid base64", e);
            }
        } else {
            throw new IllegalArgumentException(
                    "Anthropic reads documents of the types application/pdf and text/plain, not " + d.mediaType());
        }
        String filename = d.filename();
        return filename == null ? p : p.withTitle(filename);
    }

    /** {@return a tool_result block: its text, or its images (before the text) and text as blocks} */
    private static ToolResultParam toolResult(ToolResult r) {
        if (r.images().isEmpty())
            return r.isError()
                    ? ToolResultParam.error(r.toolCallId(), r.content())
                    : ToolResultParam.of(r.toolCallId(), r.content());
        List<ContentBlockParam> blocks = new ArrayList<>();
        for (Image image : r.images()) blocks.add(image(image));
        if (!r.content().isEmpty()) blocks.add(TextParam.of(r.content()));
        return new ToolResultParam(r.toolCallId(), null, blocks, r.isError(), null);
    }

    /** The {@code cache_control} a cache mark sends: the default five-minute cache. */
    private static final Map<String, Object> EPHEMERAL = Map.of("type", "ephemeral");

    /**
     * {@return the message with {@code cache_control} on its last block, where a block of that type
     * takes one} (text, image, document and tool_result blocks; thinking and tool_use blocks
     * replayed as they came are left as they are)
     */
    private static MessageParam marked(MessageParam m) {
        List<ContentBlockParam> content = new ArrayList<>(m.content());
        if (content.isEmpty()) return m;
        ContentBlockParam last = content.getLast();
        ContentBlockParam withMark = switch (last) {
            case TextParam t -> t.withCacheControl(EPHEMERAL);
            case ImageParam i -> i.withCacheControl(EPHEMERAL);
            case DocumentParam d -> d.withCacheControl(EPHEMERAL);
            case ToolResultParam r -> r.withCacheControl(EPHEMERAL);
            default -> last;
        };
        content.set(content.size() - 1, withMark);
        return new MessageParam(m.role(), content, m.effort());
    }

    private static MessageParam message(ChatMessage m, String provider) {
        List<ContentBlockParam> content = new ArrayList<>();
        return switch (m.role()) {
            case USER -> {
                for (ToolResult r : m.toolResults()) content.add(toolResult(r));
                for (Document d : m.documents()) content.add(document(d));
                for (ProviderFile f : m.files()) content.add(file(f, provider));
                for (Image image : m.images()) content.add(image(image));
                if (!m.text().isEmpty()) content.add(TextParam.of(m.text()));
                yield new MessageParam(MessageParam.Role.USER, content);
            }
            case ASSISTANT -> {
                ProviderState state = m.providerState();
                if (state != null && state.provider().equals(provider)) {
                    replay(m, state, content);
                } else {
                    if (!m.text().isEmpty()) content.add(TextParam.of(m.text()));
                    for (ToolCall call : m.toolCalls()) content.add(toolUse(call));
                }
                yield new MessageParam(MessageParam.Role.ASSISTANT, content);
            }
        };
    }

    /** The assistant's blocks in the order the state recorded, thinking blocks as they came. */
    private static void replay(ChatMessage m, ProviderState state, List<ContentBlockParam> content) {
        PartialJson.Result parsed = PartialJson.parse(state.data());
        if (!parsed.isValid() || !(parsed.value() instanceof List<?> blocks)) {
            throw new IllegalArgumentException(
                    "the Anthropic provider state of an assistant message is not the one"
                            + " Sluice wrote (a JSON array of blocks): send back the ChatMessage.assistant(response) as it came");
        }
        boolean textPlaced = m.text().isEmpty();
        Map<String, ToolCall> calls = new LinkedHashMap<>();
        for (ToolCall call : m.toolCalls()) calls.put(call.id(), call);
        for (Object o : blocks) {
            if (!(o instanceof Map<?, ?> block)) throw badState("a block is not an object");
            Object type = block.get("type");
            if ("thinking".equals(type)
                    && block.get("thinking") instanceof String thinking
                    && block.get("signature") instanceof String signature) {
                content.add(new ThinkingParam(thinking, signature));
            } else if ("redacted_thinking".equals(type) && block.get("data") instanceof String data) {
                content.add(new RedactedThinkingParam(data));
            } else if ("compaction".equals(type)) {
                content.add(new CompactionParam(
                        block.get("content") instanceof String c ? c : null,
                        block.get("encrypted_content") instanceof String e ? e : null));
            } else if ("text".equals(type)) {
                if (!textPlaced) content.add(TextParam.of(m.text()));
                textPlaced = true;
            } else if ("tool_use".equals(type) && block.get("id") instanceof String id) {
                ToolCall call = calls.remove(id);
                if (call != null && block.get("caller") instanceof Map<?, ?> caller) {
                    ToolUseParam use = toolUse(call);
                    Map<String, Object> withCaller = new LinkedHashMap<>();
                    withCaller.put("type", "tool_use");
                    withCaller.put("id", use.id());
                    withCaller.put("name", use.name());
                    withCaller.put("input", use.input());
                    withCaller.put("caller", caller);
                    content.add(new VerbatimParam(withCaller));
                } else if (call != null) {
                    content.add(toolUse(call));
                }
            } else if (type instanceof String) {
                content.add(new VerbatimParam(stringKeys(block))); // fallback, server-tool and MCP blocks, as they came
            } else {
                throw badState("a block has no type");
            }
        }
        if (!textPlaced) content.add(TextParam.of(m.text()));
        for (ToolCall call : calls.values()) content.add(toolUse(call));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> block) {
        return (Map<String, Object>) block; // PartialJson reads objects as Map<String, Object>
    }

    private static IllegalArgumentException badState(String what) {
        return new IllegalArgumentException("the Anthropic provider state of an assistant message is not the one Sluice"
                + " wrote (" + what + "): send back the ChatMessage.assistant(response) as it came");
    }

    /**
     * The call as a tool_use input: its arguments text parsed strictly (blank is {@code {}}), never
     * a best-effort value of a partial call's text, which would send values the model never wrote.
     */
    @SuppressWarnings("unchecked")
    private static ToolUseParam toolUse(ToolCall call) {
        PartialJson.Result parsed = call.arguments().isBlank()
                ? new PartialJson.Result(Map.of(), null)
                : PartialJson.parse(call.arguments());
        String error = call.argumentsError() != null ? call.argumentsError() : parsed.error();
        if (error != null || !(parsed.value() instanceof Map<?, ?> input)) {
            throw new IllegalArgumentException("the arguments of tool call " + call.id() + " (" + call.name()
                    + ") are not a valid JSON object, which Anthropic requires as a tool_use input: "
                    + (error != null ? error : "got " + describe(parsed.value())));
        }
        return ToolUseParam.of(call.id(), call.name(), (Map<String, Object>) input);
    }

    private static String describe(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
