package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings both models' builders share; each setter checks its argument. Not thread-safe.
 *
 * @param <B> the builder's own type
 */
abstract class SluiceModelBuilder<B extends SluiceModelBuilder<B>> {
    private @Nullable ChatProvider provider;
    private @Nullable String model;
    private ChatRequestParameters defaults = DefaultChatRequestParameters.EMPTY;
    private List<ChatModelListener> listeners = List.of();
    private @Nullable Integer thinkingBudget;

    SluiceModelBuilder() {}

    abstract B self();

    /**
     * Sets what streams the answers: a Sluice client ({@code AnthropicClient}, {@code OpenAiClient},
     * its {@code responses()}, {@code GeminiClient}) or a {@link FallbackChain}. Required. The
     * model does not close it.
     *
     * @param provider the provider
     * @return this builder
     * @throws NullPointerException if provider is null
     */
    public B provider(ChatProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        return self();
    }

    /**
     * Sets the model asked when a request names none (its {@code modelName} parameter). Required,
     * unless the provider is a {@link FallbackChain}, whose targets name their models, or the
     * default request parameters name one.
     *
     * @param model the model's name as the provider knows it, e.g. {@code claude-sonnet-5-5}
     * @return this builder
     * @throws NullPointerException if model is null
     * @throws IllegalArgumentException if model is blank
     */
    public B model(String model) {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
        this.model = model;
        return self();
    }

    /**
     * Sets the parameters every request starts from; a request's own parameters override them one
     * by one. A {@link #model(String) model} set on the builder overrides their {@code modelName}.
     *
     * @param parameters the default parameters
     * @return this builder
     * @throws NullPointerException if parameters is null
     * @throws dev.langchain4j.exception.UnsupportedFeatureException if they set a parameter Sluice
     *     does not send ({@code topP}, {@code topK}, the penalties, a JSON response format without schema)
     */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        Requests.checkSupported(parameters);
        this.defaults = parameters;
        return self();
    }

    /**
     * Sets the listeners told of each request, response and error, as LangChain4j's contract for
     * {@code ChatModelListener} says.
     *
     * @param listeners the listeners, in order
     * @return this builder
     * @throws NullPointerException if listeners or one of them is null
     */
    public B listeners(List<ChatModelListener> listeners) {
        this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
        return self();
    }

    /**
     * Sets how many tokens the model may spend thinking before each answer, turning thinking on
     * where the provider needs it turned on (Anthropic: at least 1024, below the maximum output
     * tokens; Gemini: its thinking budget; OpenAI's Chat Completions ignores it). The thinking
     * streams to {@code onPartialThinking} and comes back in the {@code AiMessage}'s
     * {@code thinking()}, its signatures in its attributes for the next turn.
     *
     * @param tokens the thinking budget in tokens
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public B thinkingBudget(int tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("thinkingBudget must be positive: " + tokens);
        this.thinkingBudget = tokens;
        return self();
    }

    Settings settings() {
        if (provider == null) {
            throw new IllegalArgumentException(
                    "provider is required: call provider(..) with a Sluice client or a FallbackChain");
        }
        ChatRequestParameters merged = model == null
                ? defaults
                : DefaultChatRequestParameters.builder()
                        .overrideWith(defaults)
                        .modelName(model)
                        .build();
        if (merged.modelName() == null && !(provider instanceof FallbackChain)) {
            throw new IllegalArgumentException("model is required: call model(..) with the model's name as "
                    + provider.getClass().getSimpleName() + " knows it");
        }
        return new Settings(provider, merged, listeners, thinkingBudget);
    }
}
