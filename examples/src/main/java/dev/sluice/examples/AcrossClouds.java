package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.MessageChunk;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.stream.EventStream;
import dev.sluice.vertex.VertexAccess;

/**
 * docs/clouds.md, "Failover across clouds": one Claude answer that goes on from Anthropic's API to
 * Claude on Amazon Bedrock, then on Google Vertex AI, as one stream. The model is each cloud's id of
 * the catalog's current Claude ({@link ProviderCatalog#defaultModel()}), which takes no prefill: an
 * answer cut after content starts again on the next cloud, and the chunk's
 * {@code failover().reset()} says to drop the text so far. {@code AcrossCloudsTest} runs it against
 * the test kit's fakes, cut on the first two.
 */
public final class AcrossClouds {
    private AcrossClouds() {}

    static String run(AnthropicClient anthropic, AwsAccess aws, VertexAccess vertex) {
        try (AnthropicClient bedrock = AnthropicClient.builder().bedrock(aws).build();
                AnthropicClient onVertex =
                        AnthropicClient.builder().vertex(vertex).build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic.providerName(), anthropic, ProviderCatalog.ANTHROPIC.defaultModel())
                    .target(bedrock.providerName(), bedrock, ProviderCatalog.BEDROCK_ANTHROPIC.defaultModel())
                    .target(onVertex.providerName(), onVertex, ProviderCatalog.VERTEX_ANTHROPIC.defaultModel())
                    .build();
            ChatRequest request = ChatRequest.builder()
                    .model(ProviderCatalog.ANTHROPIC.defaultModel())
                    .maxTokens(1024)
                    .addMessage(ChatMessage.user("Why is the sky blue?"))
                    .build();
            StringBuilder answer = new StringBuilder();
            try (EventStream<MessageChunk> chunks = chain.stream(request)) {
                for (MessageChunk chunk : chunks) {
                    if (chunk.failover() != null && chunk.failover().reset())
                        answer.setLength(0); // restarted, not continued
                    answer.append(chunk.text());
                }
            }
            return answer.toString();
        }
    }

    /** Anthropic's API, then Bedrock, then Vertex AI, each as the environment configures it. */
    public static void main(String[] args) {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) {
            System.out.println(run(anthropic, AwsAccess.fromEnv(), VertexAccess.fromEnv()));
        }
    }
}
