package dev.sluice.relay.http;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import dev.sluice.relay.RelayStore;
import dev.sluice.relay.StartRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One specification of a relay server — the relay, its admission, the gateway and the HTTP API —
 * that {@code sluice serve} fills from its flags and the Boot starter from its properties, each
 * setting's default declared here once; {@link #relay()} and {@link #api(Relay)} assemble it. Its
 * providers are offered to the page and the gateway; each {@link Route} becomes one fallback chain,
 * shared by the page and the gateway, whose target that broke off mid-answer is asked last for the
 * {@linkplain Builder#failoverCooldown cooldown}; the gateway's doors get each chain
 * {@linkplain FallbackChain#continuingOnly() continuing only} (their clients cannot discard what they
 * read), and a bare model id goes to the provider that is its maker's own API ({@link
 * Builder#ownApi}). How a server listens (its port, connections, header timeout) is the server's.
 *
 * <p>Immutable and safe from any thread once built; {@link #relay()} makes a new relay each call.
 *
 * <p>Why this file is long: it is where each setting of the server is declared, once: nearly all of
 * it is {@link Builder}'s setters, one per setting, each with its default, its check and its Javadoc
 * (what {@code serve}'s usage and the Boot starter's properties name), and the copy that keeps a
 * built specification from changing with its builder.
 */
public final class ServerSpec {
    /** Streams running at once, in all, by default. */
    public static final int DEFAULT_MAX_STREAMS = 32;
    /** Streams started per client address and minute, by default. */
    public static final int DEFAULT_MAX_CREATIONS_PER_MINUTE = 30;
    /** The largest {@code maxTokens} a request may ask for, by default. */
    public static final int DEFAULT_MAX_TOKENS = 8192;
    /** Each stream's replay buffer in UTF-8 bytes, by default. */
    public static final long DEFAULT_REPLAY_BYTES = 256 * 1024;

    private final Builder b; // a copy of the builder's, never changed
    private final Map<String, FallbackChain> routeChains;

    private ServerSpec(Builder b) {
        this.b = b;
        Map<String, FallbackChain> chains = new LinkedHashMap<>();
        for (Route r : b.routes) {
            FallbackChain.Builder chain = FallbackChain.builder().cooldown(b.failoverCooldown);
            b.routeChain.accept(chain);
            for (Route.Target t : r.targets()) {
                Offered p = b.providers.get(t.provider());
                if (p == null)
                    throw new IllegalArgumentException("the route " + r.alias() + " names " + t.provider()
                            + ", which is not a provider of the server; it has "
                            + String.join(", ", b.providers.keySet()));
                chain.target(t.name(), p.client(), t.model());
            }
            chains.put(r.alias(), chain.build());
        }
        this.routeChains = Map.copyOf(chains);
    }

    /** {@return a builder with every setting at its default and no provider} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the replay buffer's events for a buffer of {@code bytes}: one per 128 bytes, 16 to
     * 100,000}
     */
    public static int replayEvents(long bytes) {
        return (int) Math.max(16, Math.min(100_000, bytes / 128));
    }

    /** {@return the streams running at once, in all} */
    public int maxStreams() {
        return b.limits.maxStreams();
    }

    /** {@return each stream's replay buffer in bytes} */
    public long replayBytes() {
        return b.replayBytes;
    }

    /** {@return the relay's limits: streams, replay and prompt size} */
    public RelayLimits limits() {
        return b.limits;
    }

    /** {@return how long a route's target that broke off mid-answer is asked last} */
    public Duration failoverCooldown() {
        return b.failoverCooldown;
    }

    /** {@return each route's chain, by alias, as the page streams from it} */
    public Map<String, FallbackChain> routeChains() {
        return routeChains;
    }

    /**
     * {@return a new relay: the limits, heartbeat, resume window and store, a source for each
     * provider (the default first) and each route} The caller closes it.
     */
    public Relay relay() {
        Relay.Builder relay =
                Relay.builder().limits(b.limits).heartbeat(b.heartbeat).resumeWindow(b.resumeWindow);
        if (b.store != null) relay.store(b.store);
        for (Offered p : b.providers.values()) {
            ChatProvider streamed = p.served() != null ? p.served() : p.client();
            Relay.SourceFactory source = p.source() != null ? p.source() : b.sources.apply(streamed);
            if (source == null) relay.provider(p.name(), streamed, p.model());
            else relay.source(p.name(), p.model(), source);
        }
        for (Route r : b.routes) {
            ChatProvider chain = Objects.requireNonNull(routeChains.get(r.alias()));
            Relay.SourceFactory source = b.sources.apply(chain);
            if (source == null) relay.provider(r.alias(), chain, r.first().model());
            else relay.source(r.alias(), r.first().model(), source);
        }
        return relay.build();
    }

    /**
     * {@return the HTTP API's builder over {@code relay}: its admission (limits per client, body,
     * models, proxies, access log), the gateway with the providers and routes (unless switched off),
     * the token (with the keys, when a token and the gateway are on), origins, hosts, the page and the
     * Responses WebSocket} A server adds where it is bound and builds it.
     *
     * @param relay the relay, typically {@link #relay()}'s; it must have every provider and route
     * @throws IllegalArgumentException if the relay lacks a provider or route of the specification
     */
    public RelayHttpApi.Builder api(Relay relay) {
        RelayAdmission.Builder http = RelayAdmission.builder(relay)
                .maxStreamsPerClient(b.maxStreamsPerClient)
                .maxCreationsPerMinute(b.maxCreationsPerMinute)
                .maxFailedResumesPerMinute(b.maxFailedResumesPerMinute)
                .maxTokens(b.maxTokens)
                .maxRequestBytes(b.maxRequestBytes)
                .bodyTimeout(b.bodyTimeout)
                .accessLog(b.accessLog);
        b.models.forEach(http::models);
        b.trustedProxies.forEach(http::trustedProxy);
        RelayAdmission admission = http.build();
        RelayHttpApi.Builder api =
                RelayHttpApi.builder(admission).page(b.page).token(b.token).responsesWebSocket(b.responsesWebSocket);
        if (b.gateway) {
            GatewayHttp.Builder gateway = GatewayHttp.builder(admission).answerTimeout(b.answerTimeout);
            for (Offered p : b.providers.values()) {
                ChatProvider served = p.served() != null ? p.served() : p.client();
                // the doors' clients cannot discard what they read: a broken-off answer is not restarted for them
                gateway.provider(p.name(), served instanceof FallbackChain c ? c.continuingOnly() : served);
            }
            b.ownApis.forEach(gateway::ownApi);
            routeChains.forEach((alias, chain) -> gateway.route(alias, chain.continuingOnly()));
            api.gateway(gateway.build());
            if (b.token != null) api.keys(b.keys); // the token is the admin key
        }
        b.allowedOrigins.forEach(api::allowOrigin);
        b.allowedHosts.forEach(api::allowHost);
        return api;
    }

    /** A provider offered: its client, and what the page and the gateway stream from when not that. */
    private record Offered(
            String name,
            String model,
            ChatProvider client,
            Relay.@Nullable SourceFactory source,
            @Nullable ChatProvider served) {}

    /**
     * Builds a {@link ServerSpec}. Each setter checks its argument at once, naming the setting.
     * Not thread-safe.
     */
    public static final class Builder {
        private RelayLimits limits = RelayLimits.defaults().withMaxStreams(DEFAULT_MAX_STREAMS);
        private long replayBytes = DEFAULT_REPLAY_BYTES;
        private Duration heartbeat = Relay.DEFAULT_HEARTBEAT;
        private Duration resumeWindow = Relay.DEFAULT_RESUME_WINDOW;
        private int maxStreamsPerClient = RelayAdmission.DEFAULT_MAX_STREAMS_PER_CLIENT;
        private int maxCreationsPerMinute = DEFAULT_MAX_CREATIONS_PER_MINUTE;
        private int maxFailedResumesPerMinute = RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private int maxRequestBytes = RelayAdmission.DEFAULT_MAX_REQUEST_BYTES;
        private Duration bodyTimeout = RelayAdmission.DEFAULT_BODY_TIMEOUT;
        private Duration answerTimeout = GatewayHttp.DEFAULT_ANSWER_TIMEOUT;
        private Duration failoverCooldown = FallbackChain.DEFAULT_COOLDOWN;
        private boolean responsesWebSocket = true;
        private boolean gateway = true;
        private @Nullable String token;
        private ApiKeyStore keys = ApiKeyStore.inMemory();
        private @Nullable RelayStore store;
        private @Nullable Consumer<String> accessLog;
        private @Nullable Function<String, byte @Nullable []> page;
        private final List<String> allowedOrigins = new ArrayList<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private final List<String> trustedProxies = new ArrayList<>();
        private final Map<String, Set<String>> models = new LinkedHashMap<>();
        private final Map<String, Offered> providers = new LinkedHashMap<>();
        private final Map<String, ModelCapabilities.Maker> ownApis = new LinkedHashMap<>();
        private final List<Route> routes = new ArrayList<>();
        private Function<ChatProvider, Relay.@Nullable SourceFactory> sources = p -> null;
        private Consumer<FallbackChain.Builder> routeChain = c -> {};

        private Builder() {}

        /**
         * Sets the streams running at once, in all.
         *
         * @param n positive; default {@value ServerSpec#DEFAULT_MAX_STREAMS}
         * @return this builder
         * @throws IllegalArgumentException if n is not positive
         */
        public Builder maxStreams(int n) {
            limits = limits.withMaxStreams(n);
            return this;
        }

        /**
         * Sets each stream's replay buffer; its events are {@link ServerSpec#replayEvents} of it.
         *
         * @param bytes UTF-8 bytes, positive; default {@value ServerSpec#DEFAULT_REPLAY_BYTES}
         * @return this builder
         * @throws IllegalArgumentException if bytes is not positive
         */
        public Builder replayBytes(long bytes) {
            limits = limits.withReplay(replayEvents(bytes), bytes);
            replayBytes = bytes;
            return this;
        }

        /**
         * Sets the most characters of a request's messages and system prompt.
         *
         * @param chars positive; default {@link RelayLimits#defaults()}'s
         * @return this builder
         * @throws IllegalArgumentException if chars is not positive
         */
        public Builder maxPromptChars(int chars) {
            limits = limits.withMaxPromptChars(chars);
            return this;
        }

        /**
         * Sets the time without an event before a client gets a ping ({@link Relay.Builder#heartbeat}).
         *
         * @param interval positive; default {@link Relay#DEFAULT_HEARTBEAT}
         * @return this builder
         * @throws IllegalArgumentException if interval is not positive
         */
        public Builder heartbeat(Duration interval) {
            heartbeat = positive("heartbeat", interval);
            return this;
        }

        /**
         * Sets how long a stream whose client left keeps running for a resume ({@link
         * Relay.Builder#resumeWindow}).
         *
         * @param window zero (cancel at once) or more; default {@link Relay#DEFAULT_RESUME_WINDOW}
         * @return this builder
         * @throws IllegalArgumentException if window is negative
         */
        public Builder resumeWindow(Duration window) {
            if (Objects.requireNonNull(window, "resumeWindow").isNegative())
                throw new IllegalArgumentException("resumeWindow must not be negative: " + window);
            resumeWindow = window;
            return this;
        }

        /**
         * Sets the streams running at once per client address ({@link RelayAdmission.Builder#maxStreamsPerClient}).
         *
         * @param n positive; default {@link RelayAdmission#DEFAULT_MAX_STREAMS_PER_CLIENT}
         * @return this builder
         * @throws IllegalArgumentException if n is not positive
         */
        public Builder maxStreamsPerClient(int n) {
            maxStreamsPerClient = positive("maxStreamsPerClient", n);
            return this;
        }

        /**
         * Sets the streams started per client address and minute, 429 past them.
         *
         * @param n zero (no limit) or more; default {@value ServerSpec#DEFAULT_MAX_CREATIONS_PER_MINUTE}
         * @return this builder
         * @throws IllegalArgumentException if n is negative
         */
        public Builder maxCreationsPerMinute(int n) {
            if (n < 0) throw new IllegalArgumentException("maxCreationsPerMinute must not be negative: " + n);
            maxCreationsPerMinute = n;
            return this;
        }

        /**
         * Sets the chat resumes per client address and minute that find no chat of the client's.
         *
         * @param n zero (no limit) or more; default {@link RelayAdmission#DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE}
         * @return this builder
         * @throws IllegalArgumentException if n is negative
         */
        public Builder maxFailedResumesPerMinute(int n) {
            if (n < 0) throw new IllegalArgumentException("maxFailedResumesPerMinute must not be negative: " + n);
            maxFailedResumesPerMinute = n;
            return this;
        }

        /**
         * Sets the largest {@code maxTokens} a request may ask for.
         *
         * @param n 1 to {@link StartRequest#MAX_TOKENS_LIMIT}; default {@value ServerSpec#DEFAULT_MAX_TOKENS}
         * @return this builder
         * @throws IllegalArgumentException if n is out of range
         */
        public Builder maxTokens(int n) {
            if (n < 1 || n > StartRequest.MAX_TOKENS_LIMIT)
                throw new IllegalArgumentException(
                        "maxTokens must be 1 to " + StartRequest.MAX_TOKENS_LIMIT + ": " + n);
            maxTokens = n;
            return this;
        }

        /**
         * Sets the largest request body.
         *
         * @param bytes positive; default {@link RelayAdmission#DEFAULT_MAX_REQUEST_BYTES}
         * @return this builder
         * @throws IllegalArgumentException if bytes is not positive
         */
        public Builder maxRequestBytes(int bytes) {
            maxRequestBytes = positive("maxRequestBytes", bytes);
            return this;
        }

        /**
         * Sets how long a request's body may take to arrive whole, 408 past it.
         *
         * @param timeout positive; default {@link RelayAdmission#DEFAULT_BODY_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if timeout is not positive
         */
        public Builder bodyTimeout(Duration timeout) {
            bodyTimeout = positive("bodyTimeout", timeout);
            return this;
        }

        /**
         * Sets how long the gateway waits for an answer asked without a stream ({@link
         * GatewayHttp.Builder#answerTimeout}).
         *
         * @param timeout positive; default {@link GatewayHttp#DEFAULT_ANSWER_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if timeout is not positive
         */
        public Builder answerTimeout(Duration timeout) {
            answerTimeout = positive("the answer timeout", timeout);
            return this;
        }

        /**
         * Sets how long a route's target whose answer broke off is asked last by that route
         * ({@link FallbackChain.Builder#cooldown}), so that a client's retry goes to the next.
         *
         * @param cooldown zero (none) or more; default {@link FallbackChain#DEFAULT_COOLDOWN}
         * @return this builder
         * @throws IllegalArgumentException if cooldown is negative
         */
        public Builder failoverCooldown(Duration cooldown) {
            if (Objects.requireNonNull(cooldown, "failoverCooldown").isNegative())
                throw new IllegalArgumentException("the failover cooldown must not be negative: " + cooldown);
            failoverCooldown = cooldown;
            return this;
        }

        /**
         * Switches the Responses API's WebSocket door on (the default) or off: its upgrade is then
         * answered 426 ({@link RelayHttpApi.Builder#responsesWebSocket}).
         *
         * @param on whether {@code /v1/responses} takes a WebSocket
         * @return this builder
         */
        public Builder responsesWebSocket(boolean on) {
            responsesWebSocket = on;
            return this;
        }

        /**
         * Switches the gateway's doors on (the default) or off.
         *
         * @param on whether the gateway is served
         * @return this builder
         */
        public Builder gateway(boolean on) {
            gateway = on;
            return this;
        }

        /**
         * Sets the token required of every API request and of the page.
         *
         * @param token the token, null for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if it is not fit to be a token ({@link RequestGuard#checkToken}; its
         *     message never shows it)
         */
        public Builder token(@Nullable String token) {
            this.token = token == null ? null : RequestGuard.checkToken(token);
            return this;
        }

        /**
         * Sets where minted keys live, served at {@code /v1/keys} when a token and the gateway are on.
         *
         * @param store the store; default {@link ApiKeyStore#inMemory()}
         * @return this builder
         */
        public Builder keys(ApiKeyStore store) {
            keys = Objects.requireNonNull(store, "keys");
            return this;
        }

        /**
         * Sets where streams are kept and shared ({@link Relay.Builder#store}).
         *
         * @param store the store, null for the relay's own in memory (the default)
         * @return this builder
         */
        public Builder store(@Nullable RelayStore store) {
            this.store = store;
            return this;
        }

        /**
         * Sets where the access log's lines go, one per stream.
         *
         * @param lines what takes each line, null for no log (the default)
         * @return this builder
         */
        public Builder accessLog(@Nullable Consumer<String> lines) {
            accessLog = lines;
            return this;
        }

        /**
         * Serves a page and its assets ({@link RelayHttpApi.Builder#page}).
         *
         * @param assets the page's files by name, null for no page (the default)
         * @return this builder
         */
        public Builder page(@Nullable Function<String, byte @Nullable []> assets) {
            page = assets;
            return this;
        }

        /**
         * Lets the pages of another origin call the API.
         *
         * @param origin the origin
         * @return this builder
         * @throws IllegalArgumentException if it is not an origin
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(RequestGuard.checkOrigin(origin));
            return this;
        }

        /**
         * Answers to another {@code Host} name.
         *
         * @param name the host name
         * @return this builder
         * @throws IllegalArgumentException if it is not a host name
         */
        public Builder allowHost(String name) {
            allowedHosts.add(RequestGuard.checkHostName(name));
            return this;
        }

        /**
         * Trusts reverse proxies' {@code X-Forwarded-For} ({@link RelayAdmission.Builder#trustedProxy}).
         *
         * @param cidrs addresses or CIDR ranges, comma-separated
         * @return this builder
         * @throws IllegalArgumentException if one is not an address or range
         */
        public Builder trustedProxy(String cidrs) {
            TrustedProxies.parse(cidrs);
            trustedProxies.add(cidrs);
            return this;
        }

        /**
         * Sets the models a provider offers, others refused ({@link RelayAdmission.Builder#models});
         * a provider without a list offers any model.
         *
         * @param provider the provider's name
         * @param allowed its models; not empty
         * @return this builder
         * @throws IllegalArgumentException if allowed is empty
         */
        public Builder models(String provider, Set<String> allowed) {
            Objects.requireNonNull(provider, "provider");
            if (allowed.isEmpty())
                throw new IllegalArgumentException("the models of " + provider + " must not be empty");
            models.put(provider, Set.copyOf(allowed));
            return this;
        }

        /**
         * Sets how the page's streams run from a client: through a tool runner, say. By default (or
         * where it gives null) each streams from the client as it answers.
         *
         * @param sources the relay's source for a provider's or route's client
         * @return this builder
         */
        public Builder sources(Function<ChatProvider, Relay.@Nullable SourceFactory> sources) {
            this.sources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /**
         * Sets what each route's chain has beyond its targets and the cooldown: hedging, observers.
         *
         * @param settings applied to each route's chain builder
         * @return this builder
         */
        public Builder routeChains(Consumer<FallbackChain.Builder> settings) {
            routeChain = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Offers a provider to the page and the gateway; the first added is the page's default.
         *
         * @param name its name
         * @param model its default model
         * @param client its client, which routes naming it use too
         * @return this builder
         * @throws IllegalArgumentException if a name or model is blank, or the name was added
         */
        public Builder provider(String name, String model, ChatProvider client) {
            return add(new Offered(name, model, Objects.requireNonNull(client, "client"), null, null));
        }

        /**
         * Offers a provider whose page and gateway stream from something other than its client (a
         * fallback chain from the model asked for); routes naming it use its client.
         *
         * @param name its name
         * @param model its default model
         * @param client its client, which routes naming it use
         * @param source what the page's streams run from; null: {@code served} through {@link #sources}
         * @param served what the gateway (and the page, without a source) streams from; a {@link
         *     FallbackChain} is served to the gateway {@linkplain FallbackChain#continuingOnly() continuing only}
         * @return this builder
         * @throws IllegalArgumentException if a name or model is blank, or the name was added
         */
        public Builder provider(
                String name,
                String model,
                ChatProvider client,
                Relay.@Nullable SourceFactory source,
                ChatProvider served) {
            return add(new Offered(
                    name,
                    model,
                    Objects.requireNonNull(client, "client"),
                    source,
                    Objects.requireNonNull(served, "served")));
        }

        /**
         * Says that a provider added is its maker's own API ({@link GatewayHttp.Builder#ownApi}).
         *
         * @param name the provider's name, as added
         * @param maker the maker
         * @return this builder
         * @throws IllegalArgumentException if no provider of that name was added
         */
        public Builder ownApi(String name, ModelCapabilities.Maker maker) {
            if (!providers.containsKey(name)) throw new IllegalArgumentException("no provider " + name + " was added");
            ownApis.put(name, Objects.requireNonNull(maker, "maker"));
            return this;
        }

        /**
         * Offers a route: its alias on every door and the page, a fallback chain over its targets.
         *
         * @param route the route
         * @return this builder
         * @throws IllegalArgumentException if the alias is a provider's or another route's
         */
        public Builder route(Route route) {
            Objects.requireNonNull(route, "route");
            if (providers.containsKey(route.alias())
                    || routes.stream().anyMatch(r -> r.alias().equals(route.alias())))
                throw new IllegalArgumentException("the alias '" + route.alias() + "' is taken: name it otherwise");
            routes.add(route);
            return this;
        }

        /**
         * {@return the specification, each route's chain built over its providers' clients}
         *
         * @throws IllegalArgumentException if a route names a provider not added
         * @throws IllegalStateException if no provider was added
         */
        public ServerSpec build() {
            if (providers.isEmpty()) throw new IllegalStateException("the server needs a provider: call provider(..)");
            return new ServerSpec(copy());
        }

        /** {@return a copy, so that the specification built does not change with this builder} */
        private Builder copy() {
            Builder c = new Builder();
            c.limits = limits;
            c.replayBytes = replayBytes;
            c.heartbeat = heartbeat;
            c.resumeWindow = resumeWindow;
            c.maxStreamsPerClient = maxStreamsPerClient;
            c.maxCreationsPerMinute = maxCreationsPerMinute;
            c.maxFailedResumesPerMinute = maxFailedResumesPerMinute;
            c.maxTokens = maxTokens;
            c.maxRequestBytes = maxRequestBytes;
            c.bodyTimeout = bodyTimeout;
            c.answerTimeout = answerTimeout;
            c.failoverCooldown = failoverCooldown;
            c.responsesWebSocket = responsesWebSocket;
            c.gateway = gateway;
            c.token = token;
            c.keys = keys;
            c.store = store;
            c.accessLog = accessLog;
            c.page = page;
            c.allowedOrigins.addAll(allowedOrigins);
            c.allowedHosts.addAll(allowedHosts);
            c.trustedProxies.addAll(trustedProxies);
            c.models.putAll(models);
            c.providers.putAll(providers);
            c.ownApis.putAll(ownApis);
            c.routes.addAll(routes);
            c.sources = sources;
            c.routeChain = routeChain;
            return c;
        }

        private Builder add(Offered p) {
            if (p.name().isBlank() || p.model().isBlank())
                throw new IllegalArgumentException("a provider needs a name and a model: " + p.name());
            if (providers.containsKey(p.name()))
                throw new IllegalArgumentException("a provider named " + p.name() + " was already added");
            providers.put(p.name(), p);
            return this;
        }

        private static int positive(String name, int n) {
            if (n < 1) throw new IllegalArgumentException(name + " must be positive: " + n);
            return n;
        }

        private static Duration positive(String name, Duration d) {
            if (Objects.requireNonNull(d, name).isNegative() || d.isZero())
                throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
