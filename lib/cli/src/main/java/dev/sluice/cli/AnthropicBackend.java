package dev.sluice.cli;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextDelta;
import dev.sluice.anthropic.ThinkingDelta;
import dev.sluice.client.ClientOptions;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code --provider anthropic}: the full-fidelity Messages stream, so the request id and raw stop reason are shown. */
final class AnthropicBackend implements StreamBackend {
    private final AnthropicClient client;

    private AnthropicBackend(AnthropicClient client) {
        this.client = client;
    }

    /** The most continuations of one stream under {@code --resume}. */
    static final int MAX_RESUMES = 3;

    static StreamBackend connect(ClientOptions options) {
        return new AnthropicBackend(AnthropicClient.builder().options(options).build());
    }

    /** {@code --resume}: streams that lose their connection after text are continued. */
    static StreamBackend connectResuming(ClientOptions options) {
        return new AnthropicBackend(AnthropicClient.builder()
                .options(options)
                .resume(ResumePolicy.upTo(MAX_RESUMES))
                .build());
    }

    @Override
    public Outcome stream(Request request, StreamController controller, Sink sink) {
        if (request.effort() != null
                || request.thinking()
                || request.cache()
                || !request.files().isEmpty()) { // the neutral layer's mapping for the model
            return new ChatBackend(client, client).stream(request, controller, sink);
        }
        MessageRequest.Builder r = MessageRequest.builder()
                .model(request.model())
                .maxTokens(request.maxTokens())
                .addUserMessage(request.prompt());
        if (request.system() != null) r.system(request.system());
        try (MessageStream stream = client.messages().stream(r.build(), controller)) {
            for (StreamEvent event : stream) {
                if (event instanceof ContentBlockDelta(int index, var delta)) {
                    switch (delta) {
                        case TextDelta(String text) -> sink.text(text);
                        case ThinkingDelta t -> sink.otherDelta();
                        case InputJsonDelta j -> sink.otherDelta();
                        default -> {}
                    }
                }
            }
            Optional<Message> message =
                    Optional.of(stream.snapshot()).filter(m -> !m.id().isEmpty()); // empty before message_start
            return new Outcome(
                    stream.endReason().orElse(EndReason.COMPLETED),
                    message.map(Message::stopReason),
                    count(message.map(m -> m.usage().inputTokens())),
                    count(message.map(m -> m.usage().outputTokens())),
                    stream.requestId(),
                    stream.resumes().count(),
                    message.map(m -> m.usage().cacheReadInputTokens())
                            .map(n -> n == null ? 0L : n)
                            .orElse(0L),
                    message.map(m -> m.usage().cacheCreationInputTokens())
                            .map(n -> n == null ? 0L : n)
                            .orElse(0L));
        }
    }

    private static OptionalLong count(Optional<Long> n) {
        return n.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public void close() {
        client.close();
    }
}
