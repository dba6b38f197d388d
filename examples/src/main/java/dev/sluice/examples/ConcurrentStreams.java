package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many streams at once, one virtual thread each, written as plain blocking code; one client
 * serves them all.
 */
public final class ConcurrentStreams {
    private ConcurrentStreams() {}

    private static final List<String> TOPICS = List.of("the ocean", "bread", "sleep", "coffee", "Java threads");

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        try (ExampleClient example = ExampleClient.open()) {
            List<Message> replies = run(example.client(), 100);
            long chars = replies.stream().mapToLong(m -> m.text().length()).sum();
            System.out.println(replies.size() + " streams completed, " + chars + " characters in all");
        }
    }

    /** Runs {@code n} streams concurrently; {@return their final messages, in request order} */
    static List<Message> run(AnthropicClient client, int n) throws InterruptedException, ExecutionException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Message>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MessageRequest request = MessageRequest.builder()
                        .model(ExampleClient.MODEL)
                        .maxTokens(256)
                        .addUserMessage("Tell me about " + TOPICS.get(i % TOPICS.size()))
                        .build();
                futures.add(threads.submit(() -> {
                    try (MessageStream stream = client.messages().stream(request)) {
                        return stream.result();
                    }
                }));
            }
            List<Message> replies = new ArrayList<>();
            for (Future<Message> f : futures) replies.add(f.get());
            return replies;
        }
    }
}
