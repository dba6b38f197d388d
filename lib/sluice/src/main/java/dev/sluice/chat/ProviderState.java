package dev.sluice.chat;

import java.util.Objects;

/**
 * Opaque state a provider attaches to a response and needs back, unchanged, when that response is
 * repeated in a later request: Anthropic's thinking blocks with their signatures (the API refuses a
 * tool loop's next turn without them), Gemini's thought signatures. The provider's own chunk
 * mapper fills it in (on the last chunks of a response; the {@link ChunkAggregator} keeps the
 * latest), {@link ChatMessage#assistant(ChatResponse)} carries it into the next request, and the
 * same provider's request mapper reads it back. Another provider ignores it.
 *
 * <p>The data is the provider's business and may change between releases: store it only to send
 * it back to the same provider; do not parse it. It is plain text, so it serialises as it is.
 *
 * @param provider which provider made it: {@code anthropic}, {@code gemini} (OpenAI's Chat
 *     Completions needs none)
 * @param data the state, as text (JSON, in practice)
 */
public record ProviderState(String provider, String data) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if provider is blank
     */
    public ProviderState {
        Objects.requireNonNull(provider, "provider");
        if (provider.isBlank()) throw new IllegalArgumentException("provider must not be blank");
        Objects.requireNonNull(data, "data");
    }

    /** {@return the provider and the size of the data; the data itself (signatures) is left out} */
    @Override
    public String toString() {
        return "ProviderState[provider=" + provider + ", " + data.length() + " chars]";
    }
}
