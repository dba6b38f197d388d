package dev.sluice.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * docs/langchain4j.md's whole program for a cancel before the first token: the answer, or, when no
 * token comes within the wait (the first argument, in milliseconds), a cancel; run by {@code WholeProgramsTest}.
 */
public class CancelWhenSilent {
    public static void main(String[] args) throws InterruptedException {
        long waitMillis = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) { // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
            SluiceStreamingChatModel model = SluiceStreamingChatModel.builder()
                    .provider(anthropic)
                    .model("claude-sonnet-5-5")
                    .build();
            ChatRequest request = ChatRequest.builder()
                    .messages(UserMessage.from("Why is the sea salty?"))
                    .build();

            CountDownLatch firstToken = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            StreamingHandle handle = model.stream(request, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String text) {
                    firstToken.countDown();
                    System.out.print(text);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.countDown();
                }

                @Override
                public void onError(Throwable error) {
                    System.out.print("failed: " + error.getMessage()); // a SluiceException, with the answer so far
                    firstToken.countDown();
                    done.countDown();
                }
            });
            if (!firstToken.await(waitMillis, TimeUnit.MILLISECONDS)) {
                handle.cancel(); // no token yet: the connection closes now, and the handler hears nothing more
                System.out.println("no token within " + waitMillis + " ms: cancelled");
                return;
            }
            done.await();
            System.out.println();
        }
    }
}
