package dev.sluice.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.WireApi;
import dev.sluice.openai.Responses;
import dev.sluice.providers.ProviderCatalog;
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
        String name = switch (provider) {
            case ProviderClient c -> c.providerName();
            case Responses r -> r.providerName();
            default -> null;
        };
        return name == null
                ? ModelProvider.OTHER
                : ProviderCatalog.named(name).map(Settings::modelProvider).orElse(ModelProvider.OTHER);
    }

    /** {@return LangChain4j's value for a provider of Sluice's catalog: by the cloud it rides, else by its API} */
    static ModelProvider modelProvider(ProviderCatalog p) {
        return switch (p.cloud()) {
            case AWS -> ModelProvider.AMAZON_BEDROCK;
            case AZURE -> ModelProvider.MICROSOFT_FOUNDRY;
            case GOOGLE ->
                p.api() == WireApi.GENERATE_CONTENT
                        ? ModelProvider.GOOGLE_VERTEX_AI_GEMINI
                        : ModelProvider.GOOGLE_VERTEX_AI_ANTHROPIC;
            case NONE ->
                switch (p.api()) {
                    case MESSAGES -> ModelProvider.ANTHROPIC;
                    case CHAT_COMPLETIONS, RESPONSES -> ModelProvider.OPEN_AI;
                    case GENERATE_CONTENT -> ModelProvider.GOOGLE_AI_GEMINI;
                    case CONVERSE -> ModelProvider.AMAZON_BEDROCK;
                };
        };
    }
}
