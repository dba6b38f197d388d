package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.util.function.Consumer;

/** README task 2: cancel a stream from another thread (a Stop button), even while it connects. */
public final class CancelAStream {
    private CancelAStream() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            System.out.println(run(example.client(), stop -> Thread.ofVirtual().start(stop)));
        }
    }

    /** {@return how the stream ended} {@code onStopPressed} stands for a UI's button: it runs the action when pressed. */
    static EndReason run(AnthropicClient client, Consumer<Runnable> onStopPressed) {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addUserMessage("Tell me about the history of Rome.")
                .build();
        StreamController controller = StreamController.create(); // before the call
        onStopPressed.accept(() -> controller.cancel("stopped by the user")); // any thread, any time
        try (MessageStream stream = client.messages().stream(request, controller)) {
            stream.text().forEach(System.out::print); // ends quietly when cancelled
            return stream.endReason().orElseThrow(); // CANCELLED, or COMPLETED
        }
    }
}
