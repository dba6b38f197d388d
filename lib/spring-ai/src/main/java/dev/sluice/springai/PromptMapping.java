package dev.sluice.springai;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/** A Spring AI {@link Prompt} with resolved {@link SluiceChatOptions} as Sluice's {@link ChatRequest}. Stateless. */
final class PromptMapping {
    private PromptMapping() {}

    static ChatRequest request(Prompt prompt, SluiceChatOptions options) {
        refuseUnsupported("topP", options.getTopP());
        refuseUnsupported("topK", options.getTopK());
        refuseUnsupported("frequencyPenalty", options.getFrequencyPenalty());
        refuseUnsupported("presencePenalty", options.getPresencePenalty());
        if (options.getModel() == null) {
            throw new IllegalArgumentException("no model to ask: set one with SluiceChatModel.builder().model(..) or in"
                    + " the prompt's options");
        }
        ChatRequest.Builder b = ChatRequest.builder().model(options.getModel());
        List<String> system = new ArrayList<>();
        for (Message message : prompt.getInstructions()) {
            switch (message) {
                case SystemMessage s -> {
                    if (s.getText() != null && !s.getText().isBlank()) system.add(s.getText());
                }
                case UserMessage u -> b.addMessage(user(u));
                case AssistantMessage a -> {
                    ChatMessage m = assistant(a);
                    if (m != null) b.addMessage(m);
                }
                case ToolResponseMessage t ->
                    b.addMessage(ChatMessage.toolResults(t.getResponses().stream()
                            .map(r -> ToolResult.of(r.id(), r.responseData()))
                            .toList()));
                default ->
                    throw new IllegalArgumentException("a " + message.getMessageType() + " message ("
                            + message.getClass().getName() + ") cannot be sent by SluiceChatModel");
            }
        }
        b.system(String.join("\n\n", system));
        if (options.getToolCallbacks() != null) {
            for (ToolCallback callback : options.getToolCallbacks()) b.addTool(tool(callback.getToolDefinition()));
        }
        if (options.getMaxTokens() != null) b.maxTokens(options.getMaxTokens());
        if (options.getTemperature() != null) b.temperature(options.getTemperature());
        if (options.getStopSequences() != null) options.getStopSequences().forEach(b::addStopSequence);
        if (options.getThinkingBudget() != null) b.thinkingBudget(options.getThinkingBudget());
        if (options.getResponseFormat() != null) b.responseFormat(options.getResponseFormat());
        if (options.getToolChoice() != null) b.toolChoice(options.getToolChoice());
        return b.build();
    }

    private static void refuseUnsupported(String option, @Nullable Object value) {
        if (value != null) {
            throw new IllegalArgumentException(option + " is set (" + value + ") but Sluice's chat request has no "
                    + option + ": leave it unset for SluiceChatModel");
        }
    }

    /**
     * {@return the user's message with its media: images (bytes or a URL) as {@link Image}s, a PDF,
     * another document or audio as the neutral {@link Document}s, which each provider's client sends
     * in its own shape} @throws IllegalArgumentException for video, or a document or audio given by
     * URL (the neutral request carries their bytes)
     */
    private static ChatMessage user(UserMessage u) {
        String text = u.getText() == null ? "" : u.getText();
        if (u.getMedia().isEmpty()) return ChatMessage.user(text);
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (Media m : u.getMedia()) {
            String type = (m.getMimeType().getType() + "/" + m.getMimeType().getSubtype()).toLowerCase(Locale.ROOT);
            Object data = m.getData();
            if (type.startsWith("video/"))
                throw new IllegalArgumentException("a user message with video cannot be sent by SluiceChatModel:"
                        + " Sluice's chat request carries images, documents and audio; send a frame or a transcript");
            if (type.startsWith("image/")) {
                images.add(
                        data instanceof String url
                                ? Image.fromUrl(url)
                                : Image.base64(type, Base64.getEncoder().encodeToString(m.getDataAsByteArray())));
                continue;
            }
            if (data instanceof String)
                throw new IllegalArgumentException("SluiceChatModel sends a document or audio as its bytes, not by URL"
                        + " (" + type + "): give the Media a Resource or bytes");
            documents.add(
                    new Document(type, Base64.getEncoder().encodeToString(m.getDataAsByteArray()), name(m.getName())));
        }
        return ChatMessage.user(text, images, documents);
    }

    /** {@return a media's name as a file's name, or null where it has none} */
    private static @Nullable String name(@Nullable String name) {
        return name == null || name.isBlank() ? null : name;
    }

    /** {@return the assistant's turn with its tool calls and the provider state it came with; null if it holds nothing} */
    private static @Nullable ChatMessage assistant(AssistantMessage a) {
        List<ToolCall> calls = new ArrayList<>();
        for (AssistantMessage.ToolCall c : a.getToolCalls()) {
            calls.add(ToolCall.of(calls.size(), c.id(), c.name(), c.arguments() == null ? "" : c.arguments()));
        }
        String text = a.getText() == null ? "" : a.getText();
        ProviderState state = state(a.getMetadata().get(ResponseMapping.PROVIDER_STATE));
        if (text.isEmpty() && calls.isEmpty() && state == null) return null;
        return new ChatMessage(ChatMessage.Role.ASSISTANT, text, calls, List.of(), state);
    }

    /**
     * {@return the provider state as it came back, verbatim, with its route (the fallback chain's
     * target that made it): the object itself, or the map a chat memory that stores metadata as
     * JSON gives back ({@code provider}, {@code data}, {@code route}); null for anything else, which
     * is then not sent}
     */
    private static @Nullable ProviderState state(@Nullable Object value) {
        if (value instanceof ProviderState s) return s;
        if (!(value instanceof Map<?, ?> m)
                || !(m.get("provider") instanceof String provider)
                || provider.isBlank()
                || !(m.get("data") instanceof String data)) {
            return null;
        }
        Object r = m.get("route");
        List<String> route = new ArrayList<>();
        if (r != null) {
            if (!(r instanceof List<?> names)) return null;
            for (Object n : names) {
                if (!(n instanceof String name) || name.isBlank()) return null;
                route.add(name);
            }
        }
        return new ProviderState(provider, data, route);
    }

    @SuppressWarnings("unchecked")
    private static Tool tool(ToolDefinition definition) {
        PartialJson.Result schema = PartialJson.parse(definition.inputSchema());
        if (!schema.isValid() || !(schema.value() instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the input schema of tool " + definition.name()
                    + " is not a JSON object: " + (schema.isValid() ? definition.inputSchema() : schema.error()));
        }
        return new Tool(definition.name(), definition.description() == null ? "" : definition.description(), (Map<
                        String, Object>)
                schema.value());
    }
}
