package dev.sluice.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolChoice;
import dev.sluice.chat.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j chat request as Sluice's provider-neutral {@link ChatRequest}; each provider client
 * then sends it in its own wire form. What the neutral request cannot carry is refused with
 * LangChain4j's {@link UnsupportedFeatureException} naming it, never dropped. Stateless.
 */
final class Requests {
    /**
     * The attributes of an {@link AiMessage} that carry Sluice's {@link ProviderState} (thinking
     * signatures) back, verbatim: its provider, its data, and, for a {@link dev.sluice.chat.FallbackChain}'s
     * answer, its route (the list of target names; absent for a plain client's), so that the chain
     * sends it back to the target that made it and to no other. Plain strings and a list of them, as
     * a chat memory store serialises them.
     */
    static final String STATE_PROVIDER = "sluice.providerState.provider";

    static final String STATE_DATA = "sluice.providerState.data";
    static final String STATE_ROUTE = "sluice.providerState.route";
    /** The model name a request to a {@link dev.sluice.chat.FallbackChain} carries: each target replaces it with its own. */
    static final String CHAIN_MODEL = "fallback-chain";

    private Requests() {}

    /**
     * {@return the neutral request}
     *
     * @param parameters the request's parameters, already merged with the model's defaults
     * @param defaultModel the model when the parameters name none, or null
     * @param thinkingBudget the thinking budget, or null
     * @throws UnsupportedFeatureException for content or parameters the neutral request has no room for
     * @throws IllegalArgumentException for a model missing or a value out of range
     */
    static ChatRequest of(
            List<dev.langchain4j.data.message.ChatMessage> messages,
            ChatRequestParameters parameters,
            @Nullable String defaultModel,
            @Nullable Integer thinkingBudget) {
        checkSupported(parameters);
        String model = parameters.modelName() != null ? parameters.modelName() : defaultModel;
        if (model == null) {
            throw new IllegalArgumentException(
                    "no model to ask: call model(..) on the builder or set modelName in the request's parameters");
        }
        ChatRequest.Builder b = ChatRequest.builder().model(model);
        List<String> system = new ArrayList<>();
        List<ToolResult> results = new ArrayList<>();
        for (dev.langchain4j.data.message.ChatMessage m : messages) {
            if (m instanceof ToolExecutionResultMessage r) {
                results.add(toolResult(r));
                continue;
            }
            if (!results.isEmpty()) {
                b.addMessage(ChatMessage.toolResults(results));
                results.clear();
            }
            switch (m) {
                case SystemMessage s -> system.add(s.text());
                case UserMessage u -> b.addMessage(user(u.contents()));
                case AiMessage a -> {
                    ChatMessage assistant = assistant(a);
                    if (assistant != null) b.addMessage(assistant);
                }
                default ->
                    throw new UnsupportedFeatureException("Sluice does not support " + m.type()
                            + " messages: send system," + " user, AI and tool execution result messages");
            }
        }
        if (!results.isEmpty()) b.addMessage(ChatMessage.toolResults(results));
        if (!system.isEmpty()) b.system(String.join("\n\n", system));
        if (parameters.temperature() != null) b.temperature(parameters.temperature());
        if (parameters.maxOutputTokens() != null) b.maxTokens(parameters.maxOutputTokens());
        for (String stop : parameters.stopSequences()) b.addStopSequence(stop);
        for (ToolSpecification t : parameters.toolSpecifications()) {
            b.addTool(new Tool(
                    t.name(), t.description() == null ? "" : t.description(), JsonSchemas.object(t.parameters())));
        }
        if (parameters.toolChoice() != null && !parameters.toolSpecifications().isEmpty()) {
            b.toolChoice(
                    switch (parameters.toolChoice()) {
                        case AUTO -> ToolChoice.auto();
                        case REQUIRED -> ToolChoice.required();
                        case NONE -> ToolChoice.none();
                    });
        }
        ResponseFormat format = responseFormat(parameters.responseFormat());
        if (format != null) b.responseFormat(format);
        if (thinkingBudget != null) b.thinkingBudget(thinkingBudget);
        return b.build();
    }

    /**
     * Refuses the common parameters the neutral request has no field for.
     *
     * @throws UnsupportedFeatureException naming the first one set
     */
    static void checkSupported(ChatRequestParameters p) {
        String unsupported = p.topP() != null
                ? "topP"
                : p.topK() != null
                        ? "topK"
                        : p.frequencyPenalty() != null
                                ? "frequencyPenalty"
                                : p.presencePenalty() != null ? "presencePenalty" : null;
        if (unsupported != null) {
            throw new UnsupportedFeatureException("Sluice does not support the " + unsupported + " parameter: its"
                    + " provider-neutral request has temperature, maxOutputTokens, stopSequences, tools, toolChoice and"
                    + " a JSON schema response format");
        }
        if (p.responseFormat() != null) responseFormat(p.responseFormat());
    }

    private static @Nullable ResponseFormat responseFormat(
            dev.langchain4j.model.chat.request.@Nullable ResponseFormat format) {
        if (format == null || format.type() == ResponseFormatType.TEXT) return null;
        if (format.jsonSchema() == null || format.jsonSchema().rootElement() == null) {
            throw new UnsupportedFeatureException("Sluice does not support the JSON response format without a schema:"
                    + " give the response format a JSON schema (structured output)");
        }
        String name = format.jsonSchema().name() == null
                ? "answer"
                : format.jsonSchema().name().replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.isEmpty()) name = "answer";
        if (name.length() > 64) name = name.substring(0, 64);
        return new ResponseFormat(name, JsonSchemas.of(format.jsonSchema().rootElement()), false);
    }

    /**
     * {@return a user's message: its text, its images ({@link ImageContent}: bytes or a URL), its PDFs
     * ({@link PdfFileContent}) and audio ({@link AudioContent}) as the neutral {@link Document}s,
     * which each provider's client sends in its own shape} @throws UnsupportedFeatureException for
     * another content (video), a PDF or audio given by URL (the neutral request carries their bytes),
     * or audio without its media type
     */
    private static ChatMessage user(List<Content> contents) {
        StringBuilder text = new StringBuilder();
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (Content c : contents) {
            switch (c) {
                case TextContent t -> {
                    if (!text.isEmpty()) text.append('\n');
                    text.append(t.text());
                }
                case ImageContent i -> {
                    var image = i.image();
                    if (image.url() != null)
                        images.add(Image.fromUrl(image.url().toString()));
                    else if (image.base64Data() != null && image.mimeType() != null)
                        images.add(Image.base64(image.mimeType(), image.base64Data()));
                    else
                        throw new UnsupportedFeatureException("Sluice sends an image as a URL or as its bytes with"
                                + " their media type: give ImageContent one of them");
                }
                case PdfFileContent p -> {
                    if (p.pdfFile().base64Data() == null)
                        throw new UnsupportedFeatureException("Sluice sends a PDF as its bytes, not by URL: give"
                                + " PdfFileContent the PDF's base64 data");
                    documents.add(Document.pdf(p.pdfFile().base64Data(), null));
                }
                case AudioContent a -> {
                    if (a.audio().base64Data() == null || a.audio().mimeType() == null)
                        throw new UnsupportedFeatureException("Sluice sends audio as its bytes with their media type"
                                + " (audio/wav, audio/mpeg), not by URL: give AudioContent both");
                    documents.add(Document.audio(a.audio().mimeType(), a.audio().base64Data(), null));
                }
                default ->
                    throw new UnsupportedFeatureException("Sluice does not support "
                            + c.type().name().toLowerCase(Locale.ROOT) + " content in messages ("
                            + c.getClass().getSimpleName() + "): send text, images, PDFs or audio");
            }
        }
        return ChatMessage.user(text.toString(), images, documents);
    }

    private static String text(List<Content> contents) {
        StringBuilder text = new StringBuilder();
        for (Content c : contents) {
            if (!(c instanceof TextContent t)) {
                throw new UnsupportedFeatureException(
                        "Sluice does not support " + c.type().name().toLowerCase(Locale.ROOT) + " content in messages ("
                                + c.getClass().getSimpleName() + "): send text only");
            }
            if (!text.isEmpty()) text.append('\n');
            text.append(t.text());
        }
        return text.toString();
    }

    private static @Nullable ChatMessage assistant(AiMessage a) {
        List<ToolCall> calls = new ArrayList<>();
        List<ToolExecutionRequest> requests = a.toolExecutionRequests();
        for (int i = 0; i < requests.size(); i++) {
            ToolExecutionRequest r = requests.get(i);
            calls.add(
                    ToolCall.of(i, r.id() == null ? "" : r.id(), r.name(), r.arguments() == null ? "" : r.arguments()));
        }
        @Nullable ProviderState state = null;
        Map<String, Object> attributes = a.attributes();
        if (attributes.get(STATE_PROVIDER) instanceof String provider
                && attributes.get(STATE_DATA) instanceof String data) {
            List<String> route = route(attributes.get(STATE_ROUTE));
            if (route != null) state = new ProviderState(provider, data, route);
        }
        String text = a.text() == null ? "" : a.text();
        if (text.isEmpty() && calls.isEmpty() && state == null) return null; // an empty turn: nothing to send
        return new ChatMessage(ChatMessage.Role.ASSISTANT, text, calls, List.of(), state);
    }

    /** {@return the route attribute's target names; empty when absent; null when it is not a list of names (the state is then not sent)} */
    private static @Nullable List<String> route(@Nullable Object attribute) {
        if (attribute == null) return List.of();
        if (!(attribute instanceof List<?> names)) return null;
        List<String> route = new ArrayList<>(names.size());
        for (Object n : names) {
            if (!(n instanceof String name) || name.isBlank()) return null;
            route.add(name);
        }
        return route;
    }

    private static ToolResult toolResult(ToolExecutionResultMessage r) {
        if (r.id() == null || r.id().isBlank()) {
            throw new IllegalArgumentException("the tool execution result of " + r.toolName()
                    + " has no id: Sluice sends" + " each result with the id of the call it answers");
        }
        return new ToolResult(r.id(), text(r.contents()), Boolean.TRUE.equals(r.isError()));
    }
}
