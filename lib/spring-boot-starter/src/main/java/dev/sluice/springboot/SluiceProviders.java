package dev.sluice.springboot;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.Effort;
import dev.sluice.models.ModelCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The providers the application streams from, by name ({@code anthropic}, {@code openai},
 * {@code openai-responses}, {@code gemini}, {@code bedrock}), each with the model asked of it: the clients the
 * starter made from {@code sluice.*}, or the application's own client beans, which take their
 * place. The fallback chain, the relay's servlet and the framework models are made from it. With an
 * effort ({@code sluice.effort}), each provider it hands out sends every request that names no effort
 * at that one ({@link ChatProvider#withEffort}). Immutable and thread-safe.
 */
public final class SluiceProviders {
    private final List<Named> given; // as the constructor took them
    private final List<Named> providers; // as handed out: with the effort, when there is one

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
        this(providers, null);
    }

    /**
     * Providers that send every request naming no effort at {@code effort}.
     *
     * @param providers the providers, in the order they are offered
     * @param effort the effort of every request that names none, or null to leave requests as they are
     * @throws IllegalArgumentException if two have one name, or a provider's model cannot take the
     *     effort at all (the message names the model: {@link ModelCatalog#checkEffort})
     */
    public SluiceProviders(List<Named> providers, @Nullable Effort effort) {
        List<String> names = new ArrayList<>();
        List<Named> out = new ArrayList<>();
        for (Named n : providers) {
            if (names.contains(n.name())) throw new IllegalArgumentException("two providers are named " + n.name());
            names.add(n.name());
            if (effort != null) ModelCatalog.checkEffort(n.model(), effort);
            out.add(effort == null ? n : new Named(n.name(), ChatProvider.withEffort(n.provider(), effort), n.model()));
        }
        this.given = List.copyOf(providers);
        this.providers = List.copyOf(out);
        this.effort = effort;
    }

    private final @Nullable Effort effort;

    /** {@return the effort every request that names none is sent at, if there is one} */
    public Optional<Effort> effort() {
        return Optional.ofNullable(effort);
    }

    /** {@return the providers, in order} */
    public List<Named> all() {
        return providers;
    }

    /** {@return the provider of that name, if there is one} */
    public Optional<Named> named(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * {@return the entry of this provider (the same instance, as given or as handed out), if it is one
     * of them} Its provider is the one handed out: with the effort, when there is one.
     */
    @SuppressWarnings("ReferenceEquality") // identity: the entry of this very client, not of an equal one
    public Optional<Named> of(ChatProvider provider) {
        for (int i = 0; i < providers.size(); i++) {
            if (given.get(i).provider() == provider || providers.get(i).provider() == provider)
                return Optional.of(providers.get(i));
        }
        return Optional.empty();
    }

    /** Names the providers and their models; a client's own {@code toString()} never shows its key. */
    @Override
    public String toString() {
        return "SluiceProviders"
                + providers.stream().map(p -> p.name() + ":" + p.model()).toList()
                + (effort == null ? "" : ", effort " + effort.wireName());
    }
}
