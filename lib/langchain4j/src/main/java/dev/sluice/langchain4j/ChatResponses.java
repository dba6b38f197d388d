package dev.sluice.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sluice's aggregated {@link ChatResponse} as LangChain4j's. A response format the client sent as a
 * forced tool call (a model without native structured output) comes back as the message's text,
 * as LangChain4j expects it, not as a tool call. Stateless.
 */
final class ChatResponses {
    private ChatResponses() {}

    /**
     * {@return LangChain4j's response for Sluice's}
     *
     * @param requestId the stream's request id, the response's id where the provider gives it none
     *     (Bedrock's Converse API), or null
     */
    static dev.langchain4j.model.chat.response.ChatResponse of(
            ChatResponse r, @Nullable ResponseFormat format, String requestModel, @Nullable String requestId) {
        StringBuilder text = new StringBuilder(r.text());
        List<ToolExecutionRequest> requests = new ArrayList<>();
        for (ToolCall call : r.toolCalls()) {
            if (isFormat(format, call.name())) {
                text.append(call.arguments());
            } else {
                requests.add(request(call.id(), call.name(), call.arguments()));
            }
        }
        AiMessage.Builder message = AiMessage.builder()
                .text(text.isEmpty() ? null : text.toString())
                .toolExecutionRequests(requests);
        if (!r.thinking().isEmpty()) message.thinking(r.thinking());
        if (r.providerState() != null) {
            ProviderState state = r.providerState();
            message.attributes(
                    state.route().isEmpty()
                            ? Map.of(Requests.STATE_PROVIDER, state.provider(), Requests.STATE_DATA, state.data())
                            : Map.of(
                                    Requests.STATE_PROVIDER,
                                    state.provider(),
                                    Requests.STATE_DATA,
                                    state.data(),
                                    Requests.STATE_ROUTE,
                                    state.route()));
        }
        FinishReason finish = finishReason(r.finishReason());
        if (finish == FinishReason.TOOL_EXECUTION && requests.isEmpty())
            finish = FinishReason.STOP; // only the format's call
        return dev.langchain4j.model.chat.response.ChatResponse.builder()
                .aiMessage(message.build())
                .metadata(ChatResponseMetadata.builder()
                        .id(!r.id().isEmpty() ? r.id() : requestId)
                        .modelName(
                                r.metadata().model().isEmpty()
                                        ? requestModel
                                        : r.metadata().model())
                        .tokenUsage(tokenUsage(r.usage()))
                        .finishReason(finish)
                        .build())
                .build();
    }

    static boolean isFormat(@Nullable ResponseFormat format, String toolName) {
        return format != null && format.name().equals(toolName);
    }

    /** {@return a LangChain4j tool call; empty arguments are the empty object, an unknown id null} */
    static ToolExecutionRequest request(@Nullable String id, String name, String arguments) {
        return ToolExecutionRequest.builder()
                .id(id == null || id.isEmpty() ? null : id)
                .name(name)
                .arguments(arguments.isBlank() ? "{}" : arguments)
                .build();
    }

    private static @Nullable FinishReason finishReason(dev.sluice.chat.@Nullable FinishReason reason) {
        if (reason == null) return null;
        return switch (reason.kind()) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_CALLS -> FinishReason.TOOL_EXECUTION;
            case CONTENT_FILTER, REFUSAL -> FinishReason.CONTENT_FILTER;
            case PAUSE_TURN, OTHER -> FinishReason.OTHER;
        };
    }

    /** Input tokens with the cache reads and writes, as LangChain4j counts them; counts past an int saturate. */
    private static @Nullable TokenUsage tokenUsage(@Nullable Usage usage) {
        if (usage == null) return null;
        int in = (int) Math.min(Integer.MAX_VALUE, usage.totalInputTokens());
        int out = (int) Math.min(Integer.MAX_VALUE, usage.outputTokens());
        return new TokenUsage(in, out, (int) Math.min(Integer.MAX_VALUE, (long) in + out));
    }
}
