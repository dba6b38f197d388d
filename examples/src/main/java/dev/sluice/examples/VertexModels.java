package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.vertex.VertexAccess;

/**
 * docs/clouds.md's Google Vertex AI examples: Gemini ({@code vertex}) and Claude
 * ({@code vertex-anthropic}) on Vertex AI, from the environment Google's own SDKs read. Run by
 * {@code VertexModelsTest} against the test kit's fake Vertex AI.
 */
public final class VertexModels {
    private VertexModels() {}

    public static void main(String[] args) {
        VertexAccess vertex =
                VertexAccess.fromEnv(); // GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION, Application Default Credentials
        gemini(vertex);
        System.out.println();
        claude(vertex);
        System.out.println();
    }

    static void gemini(VertexAccess vertex) {
        try (GeminiClient gemini = GeminiClient.builder().vertex(vertex).build();
                EventStream<MessageChunk> chunks = gemini.stream(ChatRequest.builder()
                        .model("gemini-3.8-flash")
                        .addMessage(ChatMessage.user("Why is the sky blue?"))
                        .build())) {
            for (MessageChunk chunk : chunks) System.out.print(chunk.text());
        }
    }

    static void claude(VertexAccess vertex) {
        try (AnthropicClient claude = AnthropicClient.builder().vertex(vertex).build();
                MessageStream stream = claude.messages().stream(MessageRequest.builder()
                        .model("claude-sonnet-5-5")
                        .maxTokens(1024)
                        .addUserMessage("Why is the sky blue?")
                        .build())) {
            stream.text().forEach(System.out::print);
        }
    }
}
