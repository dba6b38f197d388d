package dev.sluice.springboot;

import dev.sluice.chat.ChatProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The providers the application streams from, by name ({@code anthropic}, {@code openai},
 * {@code openai-responses}, {@code gemini}, {@code bedrock}), each with the model asked of it: the clients the
 * starter made from {@code sluice.*}, or the application's own client beans, which take their
 * place. The fallback chain and the relay's servlet are made from it. Immutable and thread-safe.
 */
public final class SluiceProviders {
    private final List<Named> providers;

    /**
     * One provider.
     *
     * @param name its name, as {@code sluice.fallback} and the relay's requests name it
     * @param provider the client
     * @param model the model asked of it
     */
    public record Named(String name, ChatProvider provider, String model) {
        /** @throws NullPointerException if a component is null */
        public Named {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * @param providers the providers, in the order they are offered
     * @throws IllegalArgumentException if two have one name
     */
    public SluiceProviders(List<Named> providers) {
        List<String> names = new ArrayList<>();
        for (Named n : providers) {
            if (names.contains(n.name())) throw new IllegalArgumentException("two providers are named " + n.name());
            names.add(n.name());
        }
        this.providers = List.copyOf(providers);
    }

    /** {@return the providers, in order} */
    public List<Named> all() {
        return providers;
    }

    /** {@return the provider of that name, if there is one} */
    public Optional<Named> named(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** {@return the entry of this provider (the same instance), if it is one of them} */
    @SuppressWarnings("ReferenceEquality") // identity: the entry of this very client, not of an equal one
    public Optional<Named> of(ChatProvider provider) {
        return providers.stream().filter(p -> p.provider() == provider).findFirst();
    }

    /** Names the providers and their models; a client's own {@code toString()} never shows its key. */
    @Override
    public String toString() {
        return "SluiceProviders"
                + providers.stream().map(p -> p.name() + ":" + p.model()).toList();
    }
}
