package dev.sluice.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.openai.Responses;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What both models are built with, checked by their builder; immutable.
 *
 * @param provider what streams the answers
 * @param defaults the default request parameters, the model's name among them (none for a fallback chain without one)
 * @param listeners LangChain4j's listeners, in order
 * @param thinkingBudget the thinking budget of every request, or null
 */
record Settings(
        ChatProvider provider,
        ChatRequestParameters defaults,
        List<ChatModelListener> listeners,
        @Nullable Integer thinkingBudget) {

    /** Sluice sends a JSON schema response format natively where the model has it, else as a forced tool call. */
    static final Set<Capability> CAPABILITIES = Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);

    Settings {
        listeners = List.copyOf(listeners);
    }

    /** {@return the neutral request for a LangChain4j request whose parameters already include the defaults} */
    ChatRequest request(dev.langchain4j.model.chat.request.ChatRequest request) {
        return Requests.of(
                request.messages(),
                request.parameters(),
                provider instanceof FallbackChain ? Requests.CHAIN_MODEL : null,
                thinkingBudget);
    }

    /**
     * {@return the provider as LangChain4j names it for listeners: where a Sluice client sends its
     * requests, a cloud's own value for a model reached through it (Claude on Bedrock
     * {@code AMAZON_BEDROCK}, on Vertex AI {@code GOOGLE_VERTEX_AI_ANTHROPIC}, on Microsoft Foundry
     * {@code MICROSOFT_FOUNDRY}; Gemini on Vertex AI {@code GOOGLE_VERTEX_AI_GEMINI}; Azure OpenAI
     * {@code MICROSOFT_FOUNDRY} too, as LangChain4j's official OpenAI module names an Azure endpoint, its
     * {@code AZURE_OPEN_AI} deprecated), else {@code OTHER}}
     */
    ModelProvider modelProvider() {
        return switch (provider) {
            case AnthropicClient a ->
                switch (a.providerName()) {
                    case "bedrock-anthropic" -> ModelProvider.AMAZON_BEDROCK;
                    case "vertex-anthropic" -> ModelProvider.GOOGLE_VERTEX_AI_ANTHROPIC;
                    case "foundry-anthropic" -> ModelProvider.MICROSOFT_FOUNDRY;
                    default -> ModelProvider.ANTHROPIC;
                };
            case OpenAiClient o -> openAi(o.providerName());
            case Responses r -> openAi(r.providerName());
            case GeminiClient g ->
                g.providerName().equals("vertex")
                        ? ModelProvider.GOOGLE_VERTEX_AI_GEMINI
                        : ModelProvider.GOOGLE_AI_GEMINI;
            case BedrockClient b -> ModelProvider.AMAZON_BEDROCK;
            default -> ModelProvider.OTHER;
        };
    }

    private static ModelProvider openAi(String providerName) {
        return providerName.startsWith("azure-") ? ModelProvider.MICROSOFT_FOUNDRY : ModelProvider.OPEN_AI;
    }
}
