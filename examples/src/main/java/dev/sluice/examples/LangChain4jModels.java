package dev.sluice.examples;

import static dev.langchain4j.model.LambdaStreamingResponseHandler.onPartialResponseAndErrorBlocking;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.langchain4j.SluiceChatModel;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What docs/langchain4j.md's whole programs ({@link SaltySea}, {@link WholeAnswer}, {@link CancelWhenSilent})
 * and the README show, as methods the tests drive in process: Sluice as LangChain4j's streaming and
 * blocking models, over a fallback chain of two providers; and a stream cancelled when its first token is late.
 */
public final class LangChain4jModels {
    private LangChain4jModels() {}

    /** Streams the answer to {@code out} and returns it whole. */
    static String stream(ChatProvider anthropic, ChatProvider openai, PrintStream out) throws Exception {
        FallbackChain chain = FallbackChain.builder()
                .target(anthropic, "claude-sonnet-5-5")
                .target(openai, "gpt-6-luna")
                .build();
        SluiceStreamingChatModel model =
                SluiceStreamingChatModel.builder().provider(chain).build();

        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Why is the sea salty?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                out.print(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) { // a SluiceException: partial() has the answer so far
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        out.println();
        out.println(
                response.metadata().modelName() + ", " + response.tokenUsage().outputTokenCount() + " tokens");
        return response.aiMessage().text();
    }

    /** The README's example: prints the answer as it streams, and waits for its end. */
    static void printAnswer(ChatProvider anthropic) throws InterruptedException {
        StreamingChatModel model = SluiceStreamingChatModel.builder()
                .provider(anthropic) // a Sluice client, or a FallbackChain
                .model("claude-sonnet-5-5")
                .build();
        onPartialResponseAndErrorBlocking(
                model, "Why is the sea salty?", System.out::print, Throwable::printStackTrace);
    }

    /** Asks for an answer whole, as a ChatModel does. */
    static String chat(ChatProvider anthropic) {
        ChatModel model = SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-5-5")
                .build();
        return model.chat("Why is the sea salty?");
    }

    /** Streams, but cancels (closing the connection) when no token came within the wait; returns whether it did. */
    static boolean cancelWhenSilent(SluiceStreamingChatModel model, long waitMillis) throws InterruptedException {
        CountDownLatch firstToken = new CountDownLatch(1);
        ChatRequest request = ChatRequest.builder()
                .messages(UserMessage.from("Why is the sea salty?"))
                .build();
        StreamingHandle handle = model.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                firstToken.countDown();
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {}

            @Override
            public void onError(Throwable error) {}
        });
        if (!firstToken.await(waitMillis, TimeUnit.MILLISECONDS)) {
            handle.cancel(); // no token yet: the connection closes now, and the handler hears nothing more
            return true;
        }
        return false;
    }
}
