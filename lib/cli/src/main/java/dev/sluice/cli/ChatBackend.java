package dev.sluice.cli;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Any {@link ChatProvider} as a {@link StreamBackend}, through the provider-neutral chunks: how
 * providers other than Anthropic plug into {@code sluice stream}, the request id included
 * ({@link EventStream#requestId()}).
 */
final class ChatBackend implements StreamBackend {
    private final ChatProvider provider;
    private final AutoCloseable client;

    /** @param client what to close at the end, usually the provider itself */
    ChatBackend(ChatProvider provider, AutoCloseable client) {
        this.provider = provider;
        this.client = client;
    }

    /** {@return the provider this backend streams from} */
    ChatProvider provider() {
        return provider;
    }

    @Override
    public Outcome stream(Request request, StreamController controller, Sink sink) {
        String stopReason = null;
        Usage usage = null;
        try (EventStream<MessageChunk> chunks = provider.stream(request(request), controller)) {
            for (MessageChunk chunk : chunks) {
                if (chunk.failover() != null) sink.failover(chunk.failover());
                if (chunk.hedge() != null) sink.hedge(chunk.hedge());
                if (!chunk.text().isEmpty()) sink.text(chunk.text());
                if (!chunk.thinking().isEmpty()) sink.thinking(chunk.thinking());
                for (int i = 0; i < chunk.toolCalls().size(); i++) sink.otherDelta();
                if (chunk.finishReason() != null)
                    stopReason = chunk.finishReason().raw();
                if (chunk.usage() != null) usage = chunk.usage();
            }
            return new Outcome(
                            chunks.endReason().orElse(EndReason.COMPLETED),
                            Optional.ofNullable(stopReason),
                            usage == null ? OptionalLong.empty() : OptionalLong.of(usage.inputTokens()),
                            usage == null ? OptionalLong.empty() : OptionalLong.of(usage.outputTokens()),
                            chunks.requestId())
                    .withCache(usage);
        }
    }

    /** {@return the command line's request on the provider-neutral layer: the model, the token limit, the system prompt and the prompt with its files} */
    static ChatRequest request(Request request) {
        ChatRequest.Builder r = ChatRequest.builder()
                .model(request.model())
                .maxTokens(request.maxTokens())
                .addMessage(request.files().message(request.prompt()));
        if (request.system() != null) r.system(request.system());
        if (request.effort() != null) r.effort(request.effort());
        if (request.thinking()) r.showThinking(true);
        if (request.cache())
            PromptCaching.mark(
                    r, request.model(), request.system(), request.files().message(request.prompt()));
        return r.build();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // closing a client after its stream ended: nothing left to report
        }
    }
}
