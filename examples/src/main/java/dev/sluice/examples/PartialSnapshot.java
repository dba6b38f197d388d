package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code snapshot()} is the message built from the events received so far: it grows while the
 * stream runs, and may be read from any thread. {@code result()} is the complete one.
 */
public final class PartialSnapshot {
    private PartialSnapshot() {}

    /** The texts seen along the way, and the final message. */
    record Result(List<String> snapshots, Message message) {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            Result r = run(example.client(), 10);
            r.snapshots().forEach(s -> System.out.println(s.length() + " chars: " + s));
            System.out.println(r.message().stopReason() + ", " + r.message().usage());
        }
    }

    /** Streams a reply, taking a snapshot every {@code every} deltas. */
    static Result run(AnthropicClient client, int every) {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("How far away are the stars?")
                .build();
        List<String> snapshots = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(request)) {
            int deltas = 0;
            for (StreamEvent event : stream) {
                if (event instanceof ContentBlockDelta && ++deltas % every == 0) {
                    snapshots.add(stream.snapshot().text());
                }
            }
            return new Result(snapshots, stream.result());
        }
    }
}
