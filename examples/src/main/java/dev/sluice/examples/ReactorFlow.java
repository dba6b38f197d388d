package dev.sluice.examples;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import java.util.Objects;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * A Sluice stream consumed by Project Reactor through its own {@code Flow} adapter: {@link
 * EventStream#publisher()} is a {@code java.util.concurrent.Flow.Publisher}, and
 * {@link JdkFlowAdapter#flowPublisherToFlux} makes a {@link Flux} of it. Reactor's demand is the
 * stream's backpressure ({@code limitRate(32)} asks for 32 chunks at a time, and the socket is read
 * no faster than that); cancelling the Flux ({@code take}, {@code timeout}, a disposed subscription)
 * cancels the stream. RxJava works the same way through {@code FlowInterop.fromFlowPublisher}.
 * Needs {@code io.projectreactor:reactor-core} on the class path.
 */
public final class ReactorFlow {
    private ReactorFlow() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            String text = text(example.client(), "Tell me how rivers shape the land.")
                    .doOnNext(System.out::print)
                    .reduce("", String::concat)
                    .block();
            System.out.println();
            System.err.println(Objects.requireNonNull(text, "the reply").length() + " characters");
        }
    }

    /** {@return the reply's text pieces as a Flux; subscribing sends the request} */
    static Flux<String> text(ChatProvider provider, String prompt) {
        ChatRequest request = ChatRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(512)
                .addMessage(ChatMessage.user(prompt))
                .build();
        return Flux.defer(() -> JdkFlowAdapter.flowPublisherToFlux(
                        provider.stream(request).publisher()))
                .limitRate(32)
                .map(MessageChunk::text)
                .filter(t -> !t.isEmpty());
    }
}
