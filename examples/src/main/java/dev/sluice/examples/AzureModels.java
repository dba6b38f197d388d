package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.azure.AzureAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.openai.OpenAiClient;

/**
 * docs/clouds.md's Microsoft Azure examples: GPT on Azure OpenAI (Chat Completions and the
 * Responses API) and Claude on Microsoft Foundry, reached as the environment says
 * ({@code AZURE_OPENAI_ENDPOINT} ..., {@code ANTHROPIC_FOUNDRY_RESOURCE} ...), and an access built from
 * the application's own Entra ID tokens. {@code AzureModelsTest} runs each against the test kit's fake Azure.
 */
public final class AzureModels {
    private AzureModels() {}

    public static void main(String[] args) {
        AzureAccess access = AzureAccess.fromEnv();
        System.out.println(openAi(access, "gpt-6-luna"));
        AzureAccess foundry = AzureAccess.foundryFromEnv();
        System.out.println(claude(foundry, "claude-sonnet-5-5"));
    }

    /** GPT on Azure OpenAI; {@code deployment} is the model deployment's name. */
    static String openAi(AzureAccess access, String deployment) {
        try (OpenAiClient client = OpenAiClient.builder().azure(access).build()) {
            ChatRequest request = ChatRequest.builder()
                    .model(deployment)
                    .addMessage(ChatMessage.user("What makes bread rise?"))
                    .build();
            String chat = client.chat(request).text(); // --provider azure-openai
            String responses = client.responses().chat(request).text(); // --provider azure-openai-responses
            return chat + "\n" + responses;
        }
    }

    /** Claude on Microsoft Foundry; {@code deployment} is the deployment's name. */
    static String claude(AzureAccess foundry, String deployment) {
        try (AnthropicClient client = AnthropicClient.builder().foundry(foundry).build()) {
            ChatRequest request = ChatRequest.builder()
                    .model(deployment)
                    .addMessage(ChatMessage.user("What makes bread rise?"))
                    .build();
            return client.chat(request).text(); // --provider foundry-anthropic
        }
    }

    /** An access with the application's own Entra ID tokens (docs/clouds.md, "Your own credentials object"). */
    static AzureAccess ownTokens(String endpoint, AccessTokenProvider tokens) {
        AzureAccess access = AzureAccess.builder()
                .endpoint(endpoint) // https://my-resource.openai.azure.com
                .tokenProvider(tokens) // cached; asked again 5 minutes before expiry
                .build();
        return access;
    }
}
