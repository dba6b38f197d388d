package dev.sluice.springboot;

import dev.sluice.chat.ChatProvider;
import dev.sluice.springai.SluiceChatModel;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * With {@code sluice-spring-ai} on the class path: a Spring AI {@link ChatModel}
 * ({@code dev.sluice.springai.SluiceChatModel}) over the primary {@link ChatProvider} — the
 * fallback chain, or the one client — asking the model its provider is configured with. It gives
 * way to any {@code ChatModel} of the application's (or of Spring AI's own starters).
 */
@AutoConfiguration(after = SluiceAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.sluice.springai.SluiceChatModel", "org.springframework.ai.chat.model.ChatModel"})
public class SluiceSpringAiAutoConfiguration {
    /** Creates the auto-configuration; Spring calls it. */
    public SluiceSpringAiAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    @ConditionalOnSingleCandidate(ChatProvider.class)
    SluiceChatModel sluiceSpringAiChatModel(ChatProvider provider, SluiceProviders providers) {
        SluiceChatModel.Builder model = SluiceChatModel.builder().provider(provider);
        providers
                .of(provider)
                .ifPresent(p -> model.provider(p.provider()).model(p.model())); // a chain's targets name their own
        return model.build();
    }
}
