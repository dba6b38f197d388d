package dev.sluice.chat;

import dev.sluice.client.RateLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A provider that is another one but for how it opens streams: its rate limits, whether it continues
 * an assistant turn and whether it refuses new streams are the other's. The one shape of
 * {@link ChatProvider#peeking} and {@link ChatProvider#withEffort}. One that only changes the request
 * ({@link #mapping}) asks the other for a whole answer ({@link ChatProvider#answer}) the same way, so
 * that a client that answers in one call not streamed still does; one that wraps the stream answers
 * by streaming and gathering, so that what it wraps sees every chunk. Neither passes a request body
 * through ({@link ChatProvider#passthrough()} is empty): a body passed as it came would skip what
 * the wrapper does to a request.
 */
final class ForwardingChatProvider implements ChatProvider {
    /** Opens a stream of the wrapped provider, its own way. */
    @FunctionalInterface
    interface Opener {
        EventStream<MessageChunk> stream(ChatProvider provider, ChatRequest request, StreamController controller);
    }

    private final ChatProvider provider;
    private final Opener opener;
    private final @Nullable UnaryOperator<ChatRequest> map; // what it does to a request, when that is all

    ForwardingChatProvider(ChatProvider provider, Opener opener) {
        this(provider, opener, null);
    }

    private ForwardingChatProvider(ChatProvider provider, Opener opener, @Nullable UnaryOperator<ChatRequest> map) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.map = map;
    }

    /** {@return the provider, each request mapped by {@code map} before it is streamed or answered whole} */
    static ForwardingChatProvider mapping(ChatProvider provider, UnaryOperator<ChatRequest> map) {
        Objects.requireNonNull(map, "map");
        return new ForwardingChatProvider(
                provider, (p, request, controller) -> p.stream(map.apply(request), controller), map);
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return opener.stream(provider, request, controller);
    }

    /** {@inheritDoc} A provider that only maps requests asks the other's own {@code answer} with the request mapped. */
    @Override
    public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
        UnaryOperator<ChatRequest> m = map;
        if (m == null) return ChatProvider.super.answer(request, controller, maxBytes);
        return provider.answer(m.apply(Objects.requireNonNull(request, "request")), controller, maxBytes);
    }

    @Override
    public Optional<RateLimits> rateLimits() {
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
