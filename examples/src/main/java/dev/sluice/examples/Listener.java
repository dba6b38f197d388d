package dev.sluice.examples;

import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockStop;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.client.StreamListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Callbacks instead of a loop: {@code listen} runs a {@link StreamListener} over the stream. */
public final class Listener {
    private Listener() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client(), System.out);
        }
    }

    /** Streams a reply through callbacks; {@return the callbacks' names in the order they came, deltas folded} */
    static List<String> run(AnthropicClient client, PrintStream out) {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("How should I practise the piano?")
                .build();
        List<String> calls = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.listen(new StreamListener<StreamEvent, Message>() {
                @Override
                public void onText(String delta, CharSequence textSoFar) {
                    out.print(delta);
                    if (calls.isEmpty() || !calls.getLast().equals("onText")) calls.add("onText");
                }

                @Override
                public void onEvent(StreamEvent event, Message snapshot) {
                    if (event instanceof ContentBlockStop(int index)) {
                        out.println();
                        calls.add("block done: " + snapshot.content().get(index).type());
                    }
                }

                @Override
                public void onResult(Message message) {
                    out.println(
                            "[" + message.stopReason() + ", " + message.usage().outputTokens() + " output tokens]");
                    calls.add("onResult");
                }

                @Override
                public void onError(SluiceException error) {
                    out.println("[failed: " + error.getMessage() + "]");
                    calls.add("onError");
                }

                @Override
                public void onEnd() {
                    calls.add("onEnd");
                }
            });
        }
        return calls;
    }
}
