package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextDelta;
import dev.sluice.stream.EndReason;
import java.util.concurrent.CountDownLatch;

/**
 * Another thread (a "stop" button) cancels the stream: the loop simply ends, and the stream says
 * why. The connection is closed and the producer thread ends.
 */
public final class CancelFromAnotherThread {
    private CancelFromAnotherThread() {}

    /** What the reader got before the cancel, and how the stream ended. */
    record Result(String text, EndReason endReason, String cancelReason) {}

    public static void main(String[] args) throws InterruptedException {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client(), 5);
            System.out.println(r.text() + "\n[" + r.endReason() + ": " + r.cancelReason() + "]");
        }
    }

    /** Streams a reply and has another thread cancel it once {@code deltas} text deltas have arrived. */
    static Result run(AnthropicClient client, int deltas) throws InterruptedException {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("Tell me about the history of Rome.")
                .build();
        StringBuilder text = new StringBuilder();
        CountDownLatch enough = new CountDownLatch(deltas);
        try (MessageStream stream = client.messages().stream(request)) {
            Thread stopButton = Thread.ofVirtual().start(() -> {
                try {
                    enough.await();
                    stream.controller().cancel("the user pressed stop");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (StreamEvent event : stream) {
                if (event instanceof ContentBlockDelta(int index, TextDelta(String piece))) {
                    text.append(piece);
                    enough.countDown();
                }
            }
            stopButton.interrupt(); // in case the reply ended first
            stopButton.join();
            return new Result(
                    text.toString(),
                    stream.endReason().orElseThrow(),
                    stream.controller().cancelReason().orElse(""));
        }
    }
}
