package dev.sluice.client;

import java.util.Objects;

/**
 * What a stream is, as its {@link StreamObserver} sees it at the start.
 *
 * @param provider the provider, as the client names it ({@code ProviderClient.providerName()}, an id of
 *     {@code ProviderCatalog}: {@code anthropic}, {@code openai}, {@code gemini}, {@code bedrock},
 *     {@code vertex-anthropic}...; a Responses API stream its client's, {@code openai} or {@code azure-openai});
 *     {@code ProviderCatalog.genAiProviderName(provider)} is its name in OpenTelemetry's GenAI conventions
 * @param operation the operation, in OpenTelemetry's words: {@code "chat"} (Anthropic Messages, OpenAI Chat
 *     Completions) or {@code "generate_content"} (Gemini)
 * @param model the model the request asked for; empty when the client does not know it
 * @param serverAddress the host the request goes to (no path, never a key)
 * @param serverPort the port the request goes to
 * @param startNanos when the stream started, on the stream's clock ({@link dev.sluice.stream.StreamOptions#nanoTime()})
 * @param caller whom the stream is made for, as the code that opened it named it ({@link StreamCaller}: a
 *     gateway's minted key's id, never the key); empty when none was named
 */
public record StreamStart(
        String provider,
        String operation,
        String model,
        String serverAddress,
        int serverPort,
        long startNanos,
        String caller) {
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
        Objects.requireNonNull(caller, "caller");
        if (serverPort < 0 || serverPort > 65535)
            throw new IllegalArgumentException("serverPort out of range: " + serverPort);
    }

    /**
     * A stream's start with no caller named.
     *
     * @throws NullPointerException if a text is null
     * @throws IllegalArgumentException if the port is out of range
     */
    public StreamStart(
            String provider, String operation, String model, String serverAddress, int serverPort, long startNanos) {
        this(provider, operation, model, serverAddress, serverPort, startNanos, "");
    }
}
