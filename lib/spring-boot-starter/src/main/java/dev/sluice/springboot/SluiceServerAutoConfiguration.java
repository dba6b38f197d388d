package dev.sluice.springboot;

import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.chat.Hedging;
import dev.sluice.client.StreamObserver;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.relay.http.Route;
import dev.sluice.relay.http.ServerSpec;
import dev.sluice.server.ChatPage;
import dev.sluice.server.RelayServlet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With {@code sluice.server.enabled=true} in a servlet web application: {@code sluice-server}'s
 * {@link RelayServlet} — the relay's API (SSE and WebSocket), the chat page, the AI SDK's UI
 * message stream, AG-UI and the OpenAI-compatible gateway — on the application's own container at
 * {@code sluice.server.path}, with the Host, Origin, token and limit rules of {@code sluice serve}
 * set by {@code sluice.server.*} ({@link SluiceServerProperties}). The relay streams from the
 * {@link SluiceProviders}; the provider {@code sluice.fallback} names first streams through the
 * fallback chain, as {@code serve --fallback} does; with {@link AgentTool} beans, every prompt of
 * the relay runs through the tool runner with them. The relay and the API are assembled from a
 * {@link ServerSpec} built from the properties, as {@code serve} builds its own from its flags. The
 * {@link ServerSpec}, the {@link Relay}, the {@link RelayHttpApi} and the servlet's registration
 * (named {@code sluiceRelayServlet}) each give way to the application's own.
 *
 * <p>Beyond loopback ({@code server.address} unset or not a loopback address) a token is required,
 * as {@code serve} requires one: startup fails naming {@code sluice.server.token} unless one is set
 * or {@code sluice.server.no-token=true} says otherwise.
 */
@AutoConfiguration(after = SluiceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RelayServlet.class, ServletRegistrationBean.class})
@ConditionalOnBooleanProperty("sluice.server.enabled")
public class SluiceServerAutoConfiguration {
    private static final Log ACCESS = LogFactory.getLog("dev.sluice.relay.access");
    private static final int MAX_TURNS = 5;

    /** Creates the auto-configuration; Spring calls it. */
    public SluiceServerAutoConfiguration() {}

    /**
     * The server's specification from {@code sluice.server.*}: the providers offered (the default
     * first), the routes, the limits and rules; the relay and the HTTP API below are assembled from it.
     */
    @Bean
    @ConditionalOnMissingBean
    ServerSpec sluiceServerSpec(
            SluiceProperties properties,
            SluiceProviders providers,
            ObjectProvider<FallbackChain> chain,
            ObjectProvider<AgentTool> tools,
            ObjectProvider<StreamObserver> observers,
            ObjectProvider<ApiKeyStore> keys,
            Environment environment) {
        SluiceServerProperties server = properties.getServer();
        ServerSpec.Builder spec = ServerSpec.builder();
        List<AgentTool> agentTools = tools.orderedStream().toList();
        if (!agentTools.isEmpty()) {
            spec.sources(provider -> {
                ToolRunner.Builder runner = ToolRunner.builder(provider).maxTurns(MAX_TURNS);
                agentTools.forEach(runner::tool);
                return RelaySource.toolRunner(runner.build());
            });
        }
        List<SluiceProviders.Named> offered = offered(properties, providers, chain.getIfUnique());
        for (SluiceProviders.Named p : offered) {
            ChatProvider client = providers.named(p.name()).orElseThrow().provider();
            @SuppressWarnings("ReferenceEquality") // identity: the provider's own client, not sluice.fallback's chain
            boolean own = client == p.provider();
            if (own) spec.provider(p.name(), p.model(), client);
            else spec.provider(p.name(), p.model(), client, null, p.provider()); // through sluice.fallback's chain
            ProviderCatalog.named(p.name())
                    .flatMap(ProviderCatalog::makersOwnApi)
                    .ifPresent(maker -> spec.ownApi(p.name(), maker));
        }
        routes(server, providers)
                .forEach(route ->
                        check("sluice.server.routes." + route.alias(), route.targets(), () -> spec.route(route)));
        String hedge = properties.getHedgeAfter();
        spec.routeChains(c -> {
            if (hedge != null && !hedge.isBlank()) c.hedging(Hedging.parse(hedge)); // checked with sluice.fallback's
            observers.orderedStream().forEach(c::observer);
        });
        check(
                "sluice.server.failover-cooldown",
                server.getFailoverCooldown(),
                () -> spec.failoverCooldown(server.getFailoverCooldown()));
        check("sluice.server.max-streams", server.getMaxStreams(), () -> spec.maxStreams(server.getMaxStreams()));
        check("sluice.server.replay-bytes", server.getReplayBytes(), () -> spec.replayBytes(server.getReplayBytes()));
        check("sluice.server.heartbeat", server.getHeartbeat(), () -> spec.heartbeat(server.getHeartbeat()));
        check(
                "sluice.server.resume-window",
                server.getResumeWindow(),
                () -> spec.resumeWindow(server.getResumeWindow()));
        check(
                "sluice.server.max-streams-per-client",
                server.getMaxStreamsPerClient(),
                () -> spec.maxStreamsPerClient(server.getMaxStreamsPerClient()));
        check(
                "sluice.server.max-creations-per-minute",
                server.getMaxCreationsPerMinute(),
                () -> spec.maxCreationsPerMinute(server.getMaxCreationsPerMinute()));
        check(
                "sluice.server.max-failed-resumes-per-minute",
                server.getMaxFailedResumesPerMinute(),
                () -> spec.maxFailedResumesPerMinute(server.getMaxFailedResumesPerMinute()));
        check("sluice.server.max-tokens", server.getMaxTokens(), () -> spec.maxTokens(server.getMaxTokens()));
        check("sluice.server.body-timeout", server.getBodyTimeout(), () -> spec.bodyTimeout(server.getBodyTimeout()));
        check(
                "sluice.server.max-request-bytes",
                server.getMaxRequestBytes(),
                () -> spec.maxRequestBytes(server.getMaxRequestBytes()));
        models(server, offered).forEach(spec::models);
        for (String proxies : server.getTrustedProxies())
            check("sluice.server.trusted-proxies", proxies, () -> spec.trustedProxy(proxies));
        if (server.isAccessLog()) spec.accessLog(ACCESS::info);
        spec.page(server.isPage() ? ChatPage.assets() : null).gateway(server.isGateway());
        if (server.isGateway()) { // with the gateway off, its settings are not read
            check(
                    "sluice.server.answer-timeout",
                    server.getAnswerTimeout(),
                    () -> spec.answerTimeout(server.getAnswerTimeout()));
            spec.responsesWebSocket(server.isResponsesWebSocket());
        }
        String token = requiredToken(server, environment.getProperty("server.address"));
        try {
            spec.token(token);
        } catch (IllegalArgumentException e) { // its message never shows the token
            throw new InvalidConfigurationPropertyValueException("sluice.server.token", "(hidden)", e.getMessage());
        }
        // the token is the admin key: keys minted at /v1/keys, in the application's store or in memory
        if (token != null && server.isGateway()) spec.keys(keys.getIfAvailable(ApiKeyStore::inMemory));
        for (String origin : server.getAllowedOrigins())
            check("sluice.server.allowed-origins", origin, () -> spec.allowOrigin(origin));
        for (String host : server.getAllowedHosts())
            check("sluice.server.allowed-hosts", host, () -> spec.allowHost(host));
        return spec.build();
    }

    @Bean
    @ConditionalOnMissingBean({Relay.class, RelayHttpApi.class})
    Relay sluiceRelay(ServerSpec spec) {
        return spec.relay();
    }

    @Bean
    @ConditionalOnMissingBean
    RelayHttpApi sluiceRelayRoutes(Relay relay, ServerSpec spec) {
        return spec.api(relay).build();
    }

    /**
     * {@return the routes of sluice.server.routes, each alias's targets resolved as sluice.fallback's}
     *
     * @throws InvalidConfigurationPropertyValueException naming the route's property for an alias that is a
     *     provider's name or not a name, no target, or a target that does not resolve
     */
    static List<Route> routes(SluiceServerProperties server, SluiceProviders providers) {
        List<Route> routes = new ArrayList<>();
        server.getRoutes().forEach((alias, targets) -> {
            String property = "sluice.server.routes." + alias;
            if (providers.named(alias).isPresent()
                    || ProviderCatalog.named(alias).isPresent())
                throw new InvalidConfigurationPropertyValueException(
                        property, targets, "the alias is a provider's name");
            List<Route.Target> resolved = SluiceAutoConfiguration.resolve(property, targets, providers).stream()
                    .map(t -> new Route.Target(t.name(), t.model()))
                    .toList();
            check(property, targets, () -> routes.add(new Route(alias, resolved)));
        });
        return routes;
    }

    @Bean
    @ConditionalOnMissingBean(name = "sluiceRelayServlet")
    ServletRegistrationBean<RelayServlet> sluiceRelayServlet(RelayHttpApi routes, SluiceProperties properties) {
        ServletRegistrationBean<RelayServlet> servlet = new ServletRegistrationBean<>(
                new RelayServlet(routes), mapping(properties.getServer().getPath()));
        servlet.setName("sluice");
        servlet.setAsyncSupported(true); // a stream's response holds no container thread while it is silent
        return servlet;
    }

    /**
     * {@return the providers the relay and the gateway offer, the default first: the one
     * sluice.server.provider names, else the one sluice.fallback names first (streaming through the
     * chain), else the first configured}
     */
    static List<SluiceProviders.Named> offered(
            SluiceProperties properties, SluiceProviders providers, @Nullable FallbackChain chain) {
        if (providers.all().isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(
                    "sluice.server.enabled",
                    true,
                    "the relay has no provider to stream from: set sluice.anthropic.api-key (or base-url), or another"
                            + " provider's, or define a client bean");
        }
        List<SluiceProviders.Named> offered = new ArrayList<>(providers.all());
        ProviderCatalog.Target chainFirst =
                chain != null && !properties.getFallback().isEmpty()
                        ? SluiceAutoConfiguration.target(
                                "sluice.fallback",
                                properties.getFallback(),
                                properties.getFallback().getFirst())
                        : null;
        String chained = chainFirst == null ? null : chainFirst.provider().id();
        for (int i = 0; i < offered.size(); i++) {
            SluiceProviders.Named p = offered.get(i);
            if (chain != null && chainFirst != null && p.name().equals(chained))
                offered.set(
                        i,
                        new SluiceProviders.Named(
                                p.name(), chain, chainFirst.model().orElse(p.model())));
        }
        String first = properties.getServer().getProvider() != null
                ? properties.getServer().getProvider()
                : chained;
        if (first != null) {
            String name = first;
            SluiceProviders.Named p = offered.stream()
                    .filter(n -> n.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new InvalidConfigurationPropertyValueException(
                            "sluice.server.provider",
                            name,
                            "no provider of that name has a client; configured: "
                                    + providers.all().stream()
                                            .map(SluiceProviders.Named::name)
                                            .toList()));
            offered.remove(p);
            offered.addFirst(p);
        }
        return offered;
    }

    /** {@return each provider's model list: its model, or sluice.server.models' list; none for "*"} */
    private static Map<String, Set<String>> models(SluiceServerProperties server, List<SluiceProviders.Named> offered) {
        Map<String, Set<String>> lists = new LinkedHashMap<>();
        offered.forEach(p -> lists.put(p.name(), Set.of(p.model())));
        server.getModels().forEach((name, models) -> {
            if (!lists.containsKey(name)) {
                throw new InvalidConfigurationPropertyValueException(
                        "sluice.server.models." + name,
                        models,
                        "no provider of that name has a client; configured: " + lists.keySet());
            }
            Set<String> allowed = new LinkedHashSet<>();
            models.stream().filter(m -> !m.isBlank()).forEach(m -> allowed.add(m.strip()));
            if (allowed.isEmpty()) {
                throw new InvalidConfigurationPropertyValueException(
                        "sluice.server.models." + name, models, "names no model");
            }
            if (allowed.equals(Set.of("*"))) lists.remove(name);
            else lists.put(name, allowed);
        });
        return lists;
    }

    /**
     * {@return the token required of callers, or null for none} Beyond loopback one is required,
     * unless sluice.server.no-token says otherwise, as sluice serve requires one.
     */
    static @Nullable String requiredToken(SluiceServerProperties server, @Nullable String address) {
        Placeholders.refuseUnresolved("sluice.server.token", server.getToken());
        String token = server.getToken() == null || server.getToken().isBlank() ? null : server.getToken();
        if (token != null && server.isNoToken()) {
            throw new InvalidConfigurationPropertyValueException(
                    "sluice.server.no-token",
                    true,
                    "sluice.server.token and sluice.server.no-token=true contradict each other: remove one");
        }
        if (token != null || server.isNoToken() || isLoopback(address)) return token;
        throw new InvalidConfigurationPropertyValueException(
                "sluice.server.token",
                null,
                "the server listens beyond loopback (server.address is "
                        + (address == null || address.isBlank() ? "unset: every address" : address.strip())
                        + "), where anyone who reaches it could spend your API keys: set sluice.server.token (16 characters"
                        + " or more), bind server.address to 127.0.0.1, or set sluice.server.no-token=true");
    }

    private static boolean isLoopback(@Nullable String address) {
        if (address == null || address.isBlank()) return false;
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationPropertyValueException("server.address", address, "cannot be resolved");
        }
    }

    /** {@return the servlet mapping of the path: "/" is "/*", "/sluice" and "/sluice/" are "/sluice/*"} */
    static String mapping(String path) {
        String p = path == null ? "" : path.strip();
        if (!p.startsWith("/")
                || p.contains("*")
                || p.contains("?")
                || p.contains("#")
                || p.contains("..")
                || p.contains("//")
                || p.chars().anyMatch(c -> c <= ' ')) {
            throw new InvalidConfigurationPropertyValueException(
                    "sluice.server.path",
                    path,
                    "must be a path such as /sluice (or / for the root), without wildcards, spaces, '?', '#' or '..'");
        }
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p + "/*";
    }

    private static void check(String property, Object value, Supplier<?> setter) {
        try {
            var unused = setter.get(); // the setter checks the value
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    /**
     * On Tomcat: the connection's peer kept for the relay before Tomcat's {@code RemoteIpValve}
     * (forward-headers-strategy {@code native}) rewrites the request's address ({@link PeerAddressValve}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"org.apache.catalina.valves.ValveBase", "org.springframework.boot.tomcat.TomcatWebServerFactory"})
    static class TomcatPeerAddress {
        @Bean
        static PeerAddressValve.First sluicePeerAddressValve() {
            return new PeerAddressValve.First();
        }
    }
}
