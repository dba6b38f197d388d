package dev.sluice.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Set;

/** What both models answer about themselves, from their {@link Settings}. Immutable. */
abstract class SluiceModel {
    final Settings settings;

    SluiceModel(Settings settings) {
        this.settings = settings;
    }

    /** {@return the parameters every request starts from, the builder's model among them} */
    public ChatRequestParameters defaultRequestParameters() {
        return settings.defaults();
    }

    /** {@return the listeners told of each request, response and error} */
    public List<ChatModelListener> listeners() {
        return settings.listeners();
    }

    /** {@return the API the provider speaks: ANTHROPIC, OPEN_AI or GOOGLE_AI_GEMINI for a Sluice client, else OTHER} */
    public ModelProvider provider() {
        return settings.modelProvider();
    }

    /** {@return RESPONSE_FORMAT_JSON_SCHEMA: a JSON schema response format is sent natively or as a forced tool call} */
    public Set<Capability> supportedCapabilities() {
        return Settings.CAPABILITIES;
    }
}
