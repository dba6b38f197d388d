package dev.sluice.langchain4j;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.atLeastOnce;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import org.mockito.InOrder;

/**
 * LangChain4j's own suite for a {@link StreamingChatModel}, run on {@link SluiceStreamingChatModel}
 * against the fake server in one API's format (a subclass per API). Switched off: only what the
 * fake or Sluice's neutral request has no room for (JSON without a schema).
 */
abstract class StreamingSuite extends AbstractStreamingChatModelIT {
    abstract SuiteTargets target();

    SluiceStreamingChatModel.Builder builder() {
        return SluiceStreamingChatModel.builder().provider(target().client());
    }

    @Override
    protected List<StreamingChatModel> models() {
        return List.of(builder().model(target().model).build());
    }

    @Override
    public StreamingChatModel createModelWith(ChatModelListener listener) {
        return builder().model(target().model).listeners(List.of(listener)).build();
    }

    @Override
    protected StreamingChatModel createModelWith(ChatRequestParameters parameters) {
        SluiceStreamingChatModel.Builder b = builder().defaultRequestParameters(parameters);
        if (parameters.modelName() == null) b.model(target().model);
        return b.build();
    }

    @Override
    protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
        return ChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
    }

    @Override
    protected String customModelName() {
        return target().otherModel;
    }

    @Override
    protected void verifyToolCallbacks(StreamingChatResponseHandler handler, InOrder io, String id) {
        io.verify(handler, atLeast(0)).onPartialResponse(any(), any());
        io.verify(handler, atLeastOnce()).onPartialToolCall(argThat(p -> p.id().equals(id)), any());
        io.verify(handler)
                .onCompleteToolCall(argThat(c -> c.toolExecutionRequest().id().equals(id)));
    }

    @Override
    protected void verifyToolCallbacks(StreamingChatResponseHandler handler, InOrder io, String id1, String id2) {
        verifyToolCallbacks(handler, io, id1);
        io.verify(handler, atLeastOnce()).onPartialToolCall(argThat(p -> p.id().equals(id2) && p.index() == 1), any());
        io.verify(handler)
                .onCompleteToolCall(argThat(c -> c.toolExecutionRequest().id().equals(id2) && c.index() == 1));
    }

    @Override
    protected boolean supportsJsonResponseFormat() {
        return false; // Sluice's structured output needs a schema
    }

    @Override
    protected boolean supportsJsonResponseFormatWithSchema() {
        return true; // the default, stated: the suite's JSON schema tests run
    }

    @Override
    protected boolean supportsSingleImageInputAsBase64EncodedString() {
        return true; // the neutral request carries images (#98), so the suite's image tests run
    }

    @Override
    protected boolean supportsSingleImageInputAsPublicURL() {
        return true;
    }
}
