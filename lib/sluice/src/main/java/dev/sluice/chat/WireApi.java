package dev.sluice.chat;

/**
 * The wire APIs Sluice speaks, one vocabulary for all that name one: the API a provider speaks
 * ({@code dev.sluice.providers.ProviderCatalog#api()}: which decoder reads its streams, which request
 * it takes), the API whose request bodies a provider carries as they came ({@link Passthrough#api()}),
 * and the API a gateway's front door speaks. Add a constant only for a new wire format.
 */
public enum WireApi {
    /** Anthropic's Messages API ({@code message_start}, {@code content_block_delta}...). */
    MESSAGES,
    /** OpenAI's Chat Completions ({@code chat.completion.chunk}). */
    CHAT_COMPLETIONS,
    /** OpenAI's Responses API ({@code response.output_text.delta}...). */
    RESPONSES,
    /** Gemini's {@code streamGenerateContent}. */
    GENERATE_CONTENT,
    /** Amazon Bedrock's Converse API (an AWS event stream, not Server-Sent Events). */
    CONVERSE
}
