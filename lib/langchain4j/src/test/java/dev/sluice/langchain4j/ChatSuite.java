package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelIT;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;

/**
 * LangChain4j's own suite for a {@link ChatModel}, run on {@link SluiceChatModel} against the fake
 * server in one API's format (a subclass per API), switched off where {@link StreamingSuite} is.
 */
abstract class ChatSuite extends AbstractChatModelIT {
    abstract SuiteTargets target();

    SluiceChatModel.Builder builder() {
        return SluiceChatModel.builder().provider(target().client());
    }

    @Override
    protected List<ChatModel> models() {
        return List.of(builder().model(target().model).build());
    }

    @Override
    protected ChatModel createModelWith(ChatRequestParameters parameters) {
        SluiceChatModel.Builder b = builder().defaultRequestParameters(parameters);
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
    protected boolean supportsJsonResponseFormat() {
        return false; // Sluice's structured output needs a schema
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
