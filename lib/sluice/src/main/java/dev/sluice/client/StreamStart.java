package dev.sluice.client;

import java.util.Objects;

/**
 * What a stream is, as its {@link StreamObserver} sees it at the start.
 *
 * @param provider the provider: {@code "anthropic"}, {@code "openai"}, {@code "gemini"}, or for a
 *     provider's API through Google Vertex AI {@code "vertex"} (Gemini) or {@code "vertex-anthropic"} (Claude)
 * @param operation the operation, in OpenTelemetry's words: {@code "chat"} (Anthropic Messages, OpenAI Chat
 *     Completions) or {@code "generate_content"} (Gemini)
 * @param model the model the request asked for; empty when the client does not know it
 * @param serverAddress the host the request goes to (no path, never a key)
 * @param serverPort the port the request goes to
 * @param startNanos when the stream started, on the stream's clock ({@link dev.sluice.stream.StreamOptions#nanoTime()})
 */
public record StreamStart(
        String provider, String operation, String model, String serverAddress, int serverPort, long startNanos) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if a text is null
     * @throws IllegalArgumentException if the port is out of range
     */
    public StreamStart {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serverAddress, "serverAddress");
        if (serverPort < 0 || serverPort > 65535)
            throw new IllegalArgumentException("serverPort out of range: " + serverPort);
    }

    /**
     * {@return the provider as OpenTelemetry's GenAI conventions name it ({@code gen_ai.provider.name}):
     * {@code anthropic}, {@code openai}, {@code gcp.gemini} for Gemini's API, {@code gcp.vertex_ai} for
     * Vertex AI (Gemini or Claude), {@code aws.bedrock} for Amazon Bedrock (Converse or Claude),
     * {@code azure.ai.openai} for Azure OpenAI, {@code azure.ai.inference} for Claude on Microsoft Foundry}
     */
    public String genAiProviderName() {
        return switch (provider) {
            case "gemini" -> "gcp.gemini"; // generativelanguage.googleapis.com, the AI Studio API
            case "vertex", "vertex-anthropic" -> "gcp.vertex_ai"; // aiplatform.googleapis.com
            case "bedrock", "bedrock-anthropic" -> "aws.bedrock"; // bedrock-runtime.{region}.amazonaws.com
            case "azure-openai" -> "azure.ai.openai"; // {resource}.openai.azure.com
            case "foundry-anthropic" -> "azure.ai.inference"; // {resource}.services.ai.azure.com
            default -> provider;
        };
    }
}
