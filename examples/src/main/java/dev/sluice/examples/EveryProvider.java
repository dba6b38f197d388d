package dev.sluice.examples;

import dev.sluice.client.StreamListener;
import dev.sluice.gemini.Content;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.gemini.GenerateContentRequest;
import dev.sluice.gemini.GenerateContentResponse;
import dev.sluice.gemini.GenerateContentStream;
import dev.sluice.gemini.Part;
import dev.sluice.openai.ChatCompletion;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The three providers alike: OpenAI's and Gemini's streams have what Anthropic's has (the text as
 * it arrives, a snapshot at any moment, the final result, callbacks), and every call takes reusable
 * {@link StreamOptions} or a {@link StreamController} made before the request is sent. Runs against
 * the embedded fake server, which speaks all three APIs.
 */
public final class EveryProvider {
    private EveryProvider() {}

    public static void main(String[] args) {
        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(70).start();
                OpenAiClient openai = OpenAiClient.builder()
                        .apiKey("fake")
                        .baseUrl(fake.baseUrl().toString())
                        .build();
                GeminiClient gemini = GeminiClient.builder()
                        .apiKey("fake")
                        .baseUrl(fake.baseUrl().toString())
                        .build()) {
            System.out.println(openAiText(openai, System.out).choices().get(0).finishReason());
            System.out.println(geminiWithCallbacks(gemini, System.out).usageMetadata());
            System.out.println(cancelWhileConnecting(openai));
        }
    }

    /** OpenAI: the text as it arrives, then the whole completion. */
    static ChatCompletion openAiText(OpenAiClient client, PrintStream out) {
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-6-luna")
                .addMessage(ChatCompletionMessage.user("How do tides work?"))
                .build();
        StreamOptions patient =
                StreamOptions.builder().idleTimeout(Duration.ofSeconds(30)).build(); // reusable
        try (ChatCompletionStream stream = client.chat().stream(request, patient)) {
            stream.text().forEach(out::print);
            return stream.result();
        }
    }

    /** Gemini: callbacks instead of a loop, then the whole response. */
    static GenerateContentResponse geminiWithCallbacks(GeminiClient client, PrintStream out) {
        GenerateContentRequest request = GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("Why is the sky blue?")))
                .build();
        try (GenerateContentStream stream = client.streamGenerateContent("gemini-3.8-flash", request)) {
            return stream.listen(new StreamListener<>() {
                @Override
                public void onText(String delta, CharSequence textSoFar) {
                    out.print(delta);
                }

                @Override
                public void onResult(GenerateContentResponse whole) {
                    out.println();
                }
            });
        }
    }

    /** A Stop button pressed before the request is even sent: nothing is sent, the stream ends cancelled. */
    static EndReason cancelWhileConnecting(OpenAiClient client) {
        StreamController controller = StreamController.create(); // the client's options
        controller.cancel("stopped by the user");
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model("gpt-6-luna")
                .addMessage(ChatCompletionMessage.user("Never mind."))
                .build();
        try (ChatCompletionStream stream = client.chat().stream(request, controller)) {
            return stream.endReason().orElseThrow();
        }
    }
}
