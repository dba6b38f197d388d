package dev.sluice.springboot;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.sluice.chat.ChatProvider;
import dev.sluice.langchain4j.SluiceChatModel;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * With {@code sluice-langchain4j} on the class path: LangChain4j's {@link StreamingChatModel}
 * ({@code SluiceStreamingChatModel}) and {@link ChatModel} ({@code SluiceChatModel}) over the
 * primary {@link ChatProvider} — the fallback chain, or the one client — asking the model its
 * provider is configured with. Each gives way to one of the application's of its LangChain4j type.
 */
@AutoConfiguration(after = SluiceAutoConfiguration.class)
@ConditionalOnClass(
        name = {"dev.sluice.langchain4j.SluiceStreamingChatModel", "dev.langchain4j.model.chat.StreamingChatModel"})
@ConditionalOnSingleCandidate(ChatProvider.class)
public class SluiceLangChain4jAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public SluiceLangChain4jAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(StreamingChatModel.class)
    SluiceStreamingChatModel sluiceStreamingChatModel(ChatProvider provider, SluiceProviders providers) {
        SluiceStreamingChatModel.Builder model =
                SluiceStreamingChatModel.builder().provider(provider);
        providers
                .of(provider)
                .ifPresent(p -> model.provider(p.provider()).model(p.model())); // a chain's targets name their own
        return model.build();
    }

    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    SluiceChatModel sluiceLangChain4jChatModel(ChatProvider provider, SluiceProviders providers) {
        SluiceChatModel.Builder model = SluiceChatModel.builder().provider(provider);
        providers.of(provider).ifPresent(p -> model.provider(p.provider()).model(p.model()));
        return model.build();
    }
}
