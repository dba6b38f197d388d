package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.TextDelta;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A {@code java.util.stream} pipeline over the events; closing the Stream closes the HTTP stream. */
public final class StreamPipeline {
    private StreamPipeline() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            System.out.println(run(example.client()));
        }
    }

    /** {@return how often each word of four letters or more occurs in the reply} */
    static Map<String, Long> run(AnthropicClient client) {
        MessageRequest request = MessageRequest.builder()
                .model(ExampleClient.MODEL)
                .maxTokens(1024)
                .addUserMessage("How do I bake sourdough bread?")
                .build();
        String text;
        try (Stream<String> pieces = client.messages().stream(request).stream().mapMulti((event, sink) -> {
            if (event instanceof ContentBlockDelta(int index, TextDelta(String piece))) sink.accept(piece);
        })) {
            text = pieces.collect(Collectors.joining());
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+"))
                .filter(word -> word.length() >= 4)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }
}
