package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.ContentBlockStart;
import dev.sluice.anthropic.ContentBlockStop;
import dev.sluice.anthropic.MessageDelta;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStart;
import dev.sluice.anthropic.MessageStop;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextDelta;
import java.io.PrintStream;

/** A plain {@code for} loop over the typed events, with a {@code switch} on the sealed types. */
public final class ForEachEvents {
    private ForEachEvents() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            run(example.client(), System.out);
        }
    }

    /** Streams one reply, printing each event; {@return the text of the reply} */
    static String run(AnthropicClient client, PrintStream out) {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("How do tides work?")
                .build();
        StringBuilder text = new StringBuilder();
        try (MessageStream stream = client.messages().stream(request)) {
            for (StreamEvent event : stream) {
                switch (event) {
                    case MessageStart start ->
                        out.println("[message " + start.message().id() + "]");
                    case ContentBlockStart start ->
                        out.println("[block " + start.index() + ": "
                                + start.contentBlock().type() + "]");
                    case ContentBlockDelta(int index, TextDelta(String piece)) -> {
                        out.print(piece);
                        text.append(piece);
                    }
                    case ContentBlockStop stop -> out.println();
                    case MessageDelta delta -> out.println("[stop reason: " + delta.stopReason() + "]");
                    case MessageStop stop -> out.println("[done]");
                    default -> {} // pings, other deltas, event types added later
                }
            }
        }
        return text.toString();
    }
}
