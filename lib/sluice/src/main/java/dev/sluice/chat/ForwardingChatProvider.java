package dev.sluice.chat;

import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider that is another one but for how it opens streams: its rate limits, whether it continues
 * an assistant turn and whether it refuses new streams are the other's. The one shape of
 * {@link ChatProvider#peeking} and {@link ChatProvider#withEffort}.
 */
final class ForwardingChatProvider implements ChatProvider {
    /** Opens a stream of the wrapped provider, its own way. */
    @FunctionalInterface
    interface Opener {
        EventStream<MessageChunk> stream(ChatProvider provider, ChatRequest request, StreamController controller);
    }

    private final ChatProvider provider;
    private final Opener opener;

    ForwardingChatProvider(ChatProvider provider, Opener opener) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return opener.stream(provider, request, controller);
    }

    @Override
    public Optional<dev.sluice.client.RateLimits> rateLimits() {
        return provider.rateLimits();
    }

    @Override
    public boolean continuesAssistantTurn() {
        return provider.continuesAssistantTurn();
    }

    @Override
    public boolean continuesAssistantTurn(String model) {
        return provider.continuesAssistantTurn(model);
    }

    @Override
    public boolean refusesNewStreams() {
        return provider.refusesNewStreams();
    }
}
