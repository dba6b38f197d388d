package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records every callback as a line ("text: ..", "thinking: ..", "partial call: ..", "call: ..", "complete", "error"), and the outcome. */
class RecordingHandler implements StreamingChatResponseHandler {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> response = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        events.add("text: " + partial.text());
    }

    @Override
    public void onPartialThinking(PartialThinking partial, PartialThinkingContext context) {
        events.add("thinking: " + partial.text());
    }

    @Override
    public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
        events.add("partial call: " + partial.index() + " " + partial.name() + " " + partial.partialArguments());
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
        events.add("call: " + call.index() + " " + call.toolExecutionRequest().name() + " "
                + call.toolExecutionRequest().arguments());
    }

    @Override
    public void onCompleteResponse(ChatResponse complete) {
        events.add("complete");
        response.complete(complete);
    }

    @Override
    public void onError(Throwable e) {
        events.add("error");
        error.complete(e);
    }

    ChatResponse awaitResponse() throws Exception {
        return response.get(10, TimeUnit.SECONDS);
    }

    Throwable awaitError() throws Exception {
        return error.get(10, TimeUnit.SECONDS);
    }
}
