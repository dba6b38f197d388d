package dev.sluice.providers;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.chat.ProviderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FallbackChain} over {@code PROVIDER:MODEL} targets (each named so), every target on its
 * provider's client, and the clients it connected for them, which {@link #close()} closes: what the
 * tool's {@code --fallback} and Flink SQL's {@code 'fallback'} build from the catalog's targets.
 *
 * <pre>{@code
 * Map<String, String> env = System.getenv();
 * try (ProviderChain chain = ProviderChain.builder()
 *         .connect(p -> p.connect(p.options(env).build(), env))   // one client per provider
 *         .target(ProviderCatalog.ANTHROPIC, "claude-sonnet-5-5")
 *         .target(ProviderCatalog.OPENAI, "gpt-6-luna")
 *         .build()) {
 *     chain.chain().stream(request).forEach(...);
 * }
 * }</pre>
 *
 * <p>Closing is idempotent; the chain's streams are the caller's to close first. Any thread.
 */
public final class ProviderChain implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProviderChain.class.getName());

    private final FallbackChain chain;
    private final List<ProviderClient> connected;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProviderChain(FallbackChain chain, List<ProviderClient> connected) {
        this.chain = chain;
        this.connected = connected;
    }

    /** {@return a builder: targets, then the clients they run on} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the chain over the targets, in the order added} */
    public FallbackChain chain() {
        return chain;
    }

    /** Closes the clients this chain connected (not those given to it), each once; a failure to close is logged. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) closeAll(connected);
    }

    private static void closeAll(List<ProviderClient> clients) {
        for (ProviderClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "closing the " + c.providerName() + " client of a fallback chain failed: "
                                + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Builds a {@link ProviderChain}. Each target runs on a client given for it alone
     * ({@link #target(ProviderCatalog, String, ChatProvider)}), else on its provider's: the one given
     * ({@link #client}), else the one {@link #connect} opens, once per provider, at {@link #build()}.
     */
    public static final class Builder {
        private record Entry(
                ProviderCatalog provider,
                String model,
                @Nullable ChatProvider own) {
            String name() {
                return provider.id() + ":" + model;
            }
        }

        private final List<Entry> targets = new ArrayList<>();
        private final Map<ProviderCatalog, ChatProvider> given = new LinkedHashMap<>();
        private @Nullable Function<ProviderCatalog, ? extends ProviderClient> connect;
        private @Nullable Hedging hedging;
        private Duration cooldown = Duration.ZERO;

        private Builder() {}

        /**
         * Sets how a provider's client is opened, for the providers without one given: called once per
         * provider at {@link #build()}; the chain closes what it returns.
         *
         * @param connect the provider's client, opened (such as {@code p -> p.connect(p.options(env).build(), env)})
         * @return this builder
         */
        public Builder connect(Function<ProviderCatalog, ? extends ProviderClient> connect) {
            this.connect = Objects.requireNonNull(connect, "connect");
            return this;
        }

        /**
         * Gives the client of a provider's targets: the caller's, which the chain never closes.
         *
         * @param provider the provider
         * @param client its client
         * @return this builder
         */
        public Builder client(ProviderCatalog provider, ChatProvider client) {
            given.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(client, "client"));
            return this;
        }

        /**
         * Adds a target on its provider's client; one already added (the same {@code PROVIDER:MODEL}) is left out.
         *
         * @param provider the provider
         * @param model the model
         * @return this builder
         * @throws IllegalArgumentException if the model is blank
         */
        public Builder target(ProviderCatalog provider, String model) {
            return add(new Entry(Objects.requireNonNull(provider, "provider"), model(model), null));
        }

        /**
         * Adds a target on a client of its own, the caller's (the chain never closes it), not its provider's
         * other targets'; one already added (the same {@code PROVIDER:MODEL}) is left out.
         *
         * @param provider the provider
         * @param model the model
         * @param client the target's client
         * @return this builder
         * @throws IllegalArgumentException if the model is blank
         */
        public Builder target(ProviderCatalog provider, String model, ChatProvider client) {
            return add(new Entry(
                    Objects.requireNonNull(provider, "provider"),
                    model(model),
                    Objects.requireNonNull(client, "client")));
        }

        /**
         * Sets the chain's hedging.
         *
         * @param hedging when to start the next target beside a slow first one; null, not to hedge
         * @return this builder
         */
        public Builder hedging(@Nullable Hedging hedging) {
            this.hedging = hedging;
            return this;
        }

        /**
         * Sets the chain's cooldown ({@link FallbackChain.Builder#cooldown}).
         *
         * @param cooldown how long a target that failed mid-answer is asked last; zero for none
         * @return this builder
         * @throws IllegalArgumentException if cooldown is negative
         */
        public Builder cooldown(Duration cooldown) {
            if (Objects.requireNonNull(cooldown, "cooldown").isNegative())
                throw new IllegalArgumentException("the cooldown must not be negative: " + cooldown);
            this.cooldown = cooldown;
            return this;
        }

        /**
         * Opens the clients the targets need and builds the chain. If opening one fails, those already
         * opened are closed and the failure thrown.
         *
         * @return the chain
         * @throws IllegalStateException if there is no target, or a provider has no client and no
         *     {@link #connect} was given
         * @throws RuntimeException what {@link #connect}'s function throws
         */
        public ProviderChain build() {
            if (targets.isEmpty()) throw new IllegalStateException("a chain needs a target: call target(..)");
            List<ProviderClient> connected = new ArrayList<>();
            Map<ProviderCatalog, ChatProvider> clients = new LinkedHashMap<>(given);
            try {
                FallbackChain.Builder b =
                        FallbackChain.builder().hedging(hedging).cooldown(cooldown);
                for (Entry t : targets) {
                    ChatProvider client = t.own();
                    if (client == null) client = clients.get(t.provider());
                    if (client == null) {
                        if (connect == null)
                            throw new IllegalStateException(
                                    "no client for " + t.provider() + ": call client(..) or connect(..)");
                        ProviderClient opened = Objects.requireNonNull(connect.apply(t.provider()), "connect's client");
                        connected.add(opened);
                        clients.put(t.provider(), opened);
                        client = opened;
                    }
                    b.target(t.name(), client, t.model());
                }
                return new ProviderChain(b.build(), List.copyOf(connected));
            } catch (RuntimeException e) {
                closeAll(connected);
                throw e;
            }
        }

        private Builder add(Entry e) {
            Set<String> names = new HashSet<>();
            for (Entry t : targets) names.add(t.name());
            if (!names.contains(e.name())) targets.add(e);
            return this;
        }

        private static String model(String model) {
            if (Objects.requireNonNull(model, "model").isBlank())
                throw new IllegalArgumentException("model must not be blank");
            return model;
        }
    }
}
