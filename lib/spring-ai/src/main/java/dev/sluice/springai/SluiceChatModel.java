package dev.sluice.springai;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Spring AI {@link ChatModel} (and {@link StreamingChatModel}) over any Sluice
 * {@link ChatProvider}: a provider client, or a {@link FallbackChain} that fails over between them.
 *
 * <pre>{@code
 * ChatModel model = SluiceChatModel.builder()
 *         .provider(AnthropicClient.fromEnv())
 *         .model("claude-sonnet-5-5")
 *         .build();
 * String answer = ChatClient.create(model).prompt("Why is the sky blue?").call().content();
 * }</pre>
 *
 * <p><b>Streaming.</b> {@link #stream(Prompt)} runs on Sluice's stream: the request is opened on a
 * virtual thread, and the chunks reach the {@code Flux} through the stream's
 * {@linkplain EventStream#publisher() publisher}, also on a virtual thread, as the subscriber
 * requests them: no Reactor thread waits for the network, and a subscriber that stops requesting
 * stops the socket's reads. Disposing the {@code Flux} cancels the stream and closes its connection
 * at once, while it is still connecting or waiting for its first event too. Each response carries
 * the text (or thinking) of one chunk; the last carries the tool calls, the finish reason, the
 * usage and the ids.
 *
 * <p><b>Tools.</b> Tool calls come back in the last response's {@code AssistantMessage}
 * ({@code getToolCalls()}, complete) for Spring AI's {@code ToolCallingAdvisor} or
 * {@code ToolCallingManager} to run; the next prompt's {@code ToolResponseMessage} goes back to the
 * provider as tool results. The model runs no tool itself.
 *
 * <p><b>Metadata.</b> {@code ChatResponseMetadata}: {@code id} is Sluice's request id (what the
 * provider's support asks for; the response's own id where the provider sent none), also under
 * {@code requestId}, with the provider's response id under {@code responseId}; {@code model}; and
 * {@code usage} (prompt tokens including cache reads and writes, which are given apart too; the
 * native usage is Sluice's {@link dev.sluice.chat.Usage}). A fallback chain's switches are under
 * {@code failovers}. The generation's {@code finishReason} is the name of Sluice's
 * {@link dev.sluice.chat.FinishReason.Kind} ({@code STOP}, {@code LENGTH}, {@code TOOL_CALLS},
 * {@code CONTENT_FILTER}, {@code REFUSAL}, ...), the provider's own under
 * {@code providerFinishReason}, and a refusal's words under {@code finishMessage}. The assistant
 * message's {@code thinking} property holds the model's visible reasoning (streamed: each chunk's,
 * then the whole in the last response); the provider state a later turn needs back (thinking
 * signatures) rides along in the message and goes back with it.
 *
 * <p><b>Errors</b> are Sluice's typed {@link dev.sluice.SluiceException}s, carrying the request id
 * and the partial answer ({@code partial(dev.sluice.chat.ChatResponse.class)}): thrown by
 * {@link #call}, signalled by {@link #stream}'s {@code Flux}. An answer cut short without failing
 * (its chunk limit reached) is an error too, never passed off as whole. A prompt that cannot be sent
 * (an option Sluice has no field for, media, no model) is an {@link IllegalArgumentException}.
 *
 * <p><b>Options</b> are {@link SluiceChatOptions}; see {@link #getOptions()} for how a prompt's
 * options meet the model's defaults.
 *
 * <p>Threading: immutable and safe to share; each call opens its own stream.
 */
public final class SluiceChatModel implements ChatModel, StreamingChatModel {
    private static final AtomicLong OPENERS = new AtomicLong();
    /** The model name sent to a fallback chain, which replaces it with each target's. */
    private static final String FALLBACK_MODEL = "fallback-chain";

    private final ChatProvider provider;
    private final SluiceChatOptions defaults;
    private final @Nullable StreamOptions streamOptions;

    private SluiceChatModel(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider, checked by build()");
        SluiceChatOptions.Builder options =
                b.defaultOptions == null ? SluiceChatOptions.builder() : b.defaultOptions.mutate();
        if (b.model != null) options.model(b.model);
        else if (options.build().getModel() == null && provider instanceof FallbackChain) options.model(FALLBACK_MODEL);
        this.defaults = options.build();
        this.streamOptions = b.streamOptions;
    }

    /** {@return a builder; {@link Builder#provider} is required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the model's default options: the builder's {@link Builder#defaultOptions} with its
     * {@link Builder#model}} Spring AI's {@code ChatClient} starts each prompt's options from these
     * (its {@code mutate()}) and combines the request's into them. A prompt given to {@link #call}
     * or {@link #stream} directly is taken this way: without options, these; with
     * {@link SluiceChatOptions}, those as they are (their model, when unset, is the default's); with
     * another {@link ChatOptions} type, these combined with its values.
     */
    @Override
    public SluiceChatOptions getOptions() {
        return defaults;
    }

    /**
     * Streams the answer on the calling thread and returns it whole.
     *
     * @throws IllegalArgumentException if the prompt cannot be sent (see the class description)
     * @throws dev.sluice.SluiceException if the request or the stream fails, or the answer is cut
     *     short; with the request id and the partial answer
     */
    @Override
    public ChatResponse call(Prompt prompt) {
        ChatRequest request = request(prompt);
        try (EventStream<MessageChunk> chunks = provider.stream(request, controller())) {
            ResponseMapping mapping = new ResponseMapping(chunks, false);
            for (MessageChunk chunk : chunks) mapping.accept(chunk);
            return mapping.last();
        }
    }

    /**
     * {@return the answer as it streams, opened when subscribed} See the class description for
     * threading, cancel and the responses. Errors, the prompt's included, are signalled.
     */
    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return Flux.defer(() -> {
            ChatRequest request = request(prompt);
            StreamController controller = controller();
            AtomicBoolean cancelled = new AtomicBoolean();
            return Flux.usingWhen(
                            open(request, controller),
                            chunks -> responses(chunks, cancelled),
                            chunks -> Mono.fromRunnable(chunks::close))
                    .doOnCancel(() -> {
                        cancelled.set(true);
                        controller.cancel("the Flux was cancelled");
                    });
        });
    }

    private ChatRequest request(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        ChatOptions given = prompt.getOptions();
        SluiceChatOptions options = switch (given) {
            case null -> defaults;
            case SluiceChatOptions s
            when s.getModel() == null -> s.mutate().model(defaults.getModel()).build();
            case SluiceChatOptions s -> s;
            default -> defaults.mutate().combineWith(given.mutate()).build();
        };
        return PromptMapping.request(prompt, options);
    }

    private StreamController controller() {
        return streamOptions == null ? StreamController.create() : StreamController.of(streamOptions);
    }

    /** Opens the stream on a virtual thread; the controller's cancel aborts the opening (and closes what it opened). */
    private Mono<EventStream<MessageChunk>> open(ChatRequest request, StreamController controller) {
        return Mono.create(sink -> Thread.ofVirtual()
                .name("sluice-spring-ai-open-" + OPENERS.incrementAndGet())
                .start(() -> {
                    EventStream<MessageChunk> chunks;
                    try {
                        chunks = provider.stream(request, controller);
                    } catch (RuntimeException e) {
                        if (!controller.isCancelled()) sink.error(e); // else the subscriber cancelled: nobody to tell
                        return;
                    }
                    sink.success(chunks);
                    if (controller.isCancelled()) chunks.close(); // cancelled while opening: nobody takes it
                }));
    }

    private static Flux<ChatResponse> responses(EventStream<MessageChunk> chunks, AtomicBoolean cancelled) {
        ResponseMapping mapping = new ResponseMapping(chunks, true);
        return JdkFlowAdapter.flowPublisherToFlux(chunks.publisher())
                .<ChatResponse>handle((chunk, sink) -> {
                    ChatResponse response = mapping.delta(chunk);
                    if (response != null) sink.next(response);
                })
                // the publisher may still complete after the subscriber's cancel: nobody is there for the last response
                .concatWith(Mono.fromCallable(() -> cancelled.get() ? null : mapping.last()));
    }

    @Override
    public String toString() {
        return "SluiceChatModel[" + provider + ", " + defaults + "]";
    }

    /** Builds a {@link SluiceChatModel}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private @Nullable ChatProvider provider;
        private @Nullable String model;
        private @Nullable SluiceChatOptions defaultOptions;
        private @Nullable StreamOptions streamOptions;

        private Builder() {}

        /**
         * Sets the provider that streams the answers: a client ({@code AnthropicClient},
         * {@code OpenAiClient}, its {@code responses()}, {@code GeminiClient}) or a {@link FallbackChain}.
         * Required. The model does not close it.
         *
         * @param provider the provider
         * @return this builder
         * @throws NullPointerException if provider is null
         */
        public Builder provider(ChatProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Sets the default model, as the provider names it. Needed unless every prompt names one,
         * or the provider is a {@link FallbackChain} (whose targets name theirs).
         *
         * @param model the model's name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
            this.model = model;
            return this;
        }

        /**
         * Sets the default options; a {@link #model} set here wins over theirs.
         *
         * @param options the default options
         * @return this builder
         * @throws NullPointerException if options is null
         */
        public Builder defaultOptions(SluiceChatOptions options) {
            this.defaultOptions = Objects.requireNonNull(options, "defaultOptions");
            return this;
        }

        /**
         * Sets the timeouts and limits each stream runs under, instead of the provider's defaults.
         *
         * @param options the stream options
         * @return this builder
         * @throws NullPointerException if options is null
         */
        public Builder streamOptions(StreamOptions options) {
            this.streamOptions = Objects.requireNonNull(options, "streamOptions");
            return this;
        }

        /**
         * {@return the model}
         *
         * @throws IllegalArgumentException if no provider was set
         */
        public SluiceChatModel build() {
            if (provider == null) {
                throw new IllegalArgumentException(
                        "provider is required: call provider(..) with a Sluice client or a FallbackChain");
            }
            return new SluiceChatModel(this);
        }
    }
}
