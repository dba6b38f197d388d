package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.providers.ProviderCatalog;

/**
 * docs/clouds.md's OpenAI Responses and Claude's Messages on Bedrock's mantle host: one question to
 * each, through the environment's AWS access ({@code AWS_REGION} and credentials, or
 * {@code AWS_ENDPOINT_URL_BEDROCK_MANTLE}).
 */
final class OnBedrockMantle {
    private OnBedrockMantle() {}

    /**
     * Asks GPT through mantle's Responses API and Claude through mantle's Messages API.
     *
     * @throws dev.sluice.SluiceException if either request fails
     * @throws IllegalStateException if the environment configures no AWS region
     */
    @SuppressWarnings("UnusedVariable") // the page shows the two answers taken, not what is done with them
    static void askBoth() {
        AwsAccess aws = AwsAccess.fromEnv();
        try (OpenAiClient onMantle = OpenAiClient.builder()
                        .bedrock(aws.mantle(), ProviderCatalog::bedrockOpenAiPath)
                        .build();
                AnthropicClient claude =
                        AnthropicClient.builder().bedrock(aws.mantle()).build()) {
            String gpt = onMantle.responses()
                    .chat(ChatRequest.builder()
                            .model("openai.gpt-5.6-terra")
                            .addMessage(ChatMessage.user("Why is the sky blue?"))
                            .build())
                    .text();
            String opus = claude.chat(ChatRequest.builder()
                            .model("anthropic.claude-opus-4-8")
                            .maxTokens(1024)
                            .addMessage(ChatMessage.user("Why is the sky blue?"))
                            .build())
                    .text();
        }
    }
}
