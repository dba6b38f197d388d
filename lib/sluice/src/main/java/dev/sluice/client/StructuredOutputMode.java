package dev.sluice.client;

/**
 * How a client sends a request's response format (structured output, the chat layer's
 * {@code ResponseFormat}): in the provider's native form, or as a forced call of a tool whose input
 * is the answer. Set it for every request of a client with
 * {@link ClientSettings#structuredOutput(StructuredOutputMode)}; each client's Javadoc says which
 * models {@link #AUTO} sends natively.
 */
public enum StructuredOutputMode {
    /**
     * Native where the provider documents structured output for the request's model, the forced
     * tool call for other models (and for model names the client does not know). The default.
     */
    AUTO,
    /**
     * Always native: for a model the client does not know to support it, such as an
     * OpenAI-compatible server's, or a new model. A model without it answers with an API error.
     */
    NATIVE,
    /** Always the forced tool call, which works on every model that can call tools. */
    TOOL
}
