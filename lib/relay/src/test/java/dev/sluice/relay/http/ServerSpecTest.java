package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.FallbackChain;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The server's specification: each setting's default, its checks as it is set, the routes resolved
 * into chains over the providers' clients, and the relay and HTTP API it assembles. Over real
 * sockets, from {@code serve} and the Boot starter: {@code ServeRouteFailoverTest}, {@code
 * SluiceServerGatewayTest}.
 */
class ServerSpecTest {
    /** A client that is never asked: the specification only wires it. */
    private static final ChatProvider CLIENT = (request, controller) -> {
        throw new IllegalStateException("never streamed");
    };

    private static ServerSpec.Builder twoProviders() {
        return ServerSpec.builder().provider("anthropic", "claude-a", CLIENT).provider("openai", "gpt-b", CLIENT);
    }

    @Test
    void defaults_declaredOnce_reachTheRelayAndTheApi() {
        ServerSpec spec = twoProviders().build();
        assertEquals(ServerSpec.DEFAULT_MAX_STREAMS, spec.maxStreams());
        assertEquals(ServerSpec.DEFAULT_REPLAY_BYTES, spec.replayBytes());
        assertEquals(FallbackChain.DEFAULT_COOLDOWN, spec.failoverCooldown());
        try (Relay relay = spec.relay()) {
            assertEquals(Map.of("anthropic", "claude-a", "openai", "gpt-b"), relay.providers());
            assertEquals(Relay.DEFAULT_HEARTBEAT, relay.heartbeat());
            assertEquals(ServerSpec.DEFAULT_MAX_STREAMS, relay.limits().maxStreams());
            assertEquals(RelayLimits.defaults().maxPromptChars(), relay.limits().maxPromptChars());
            RelayHttpApi api = spec.api(relay).build();
            assertEquals(ServerSpec.DEFAULT_MAX_TOKENS, api.admission().maxTokens());
            assertEquals(
                    RelayAdmission.DEFAULT_MAX_REQUEST_BYTES, api.admission().maxRequestBytes());
            assertEquals(RelayAdmission.DEFAULT_BODY_TIMEOUT, api.admission().bodyTimeout());
            assertFalse(api.requiresToken());
            assertTrue(api.keys().isEmpty());
        }
    }

    @Test
    void replayEvents_onePer128Bytes_within16And100000() {
        assertEquals(2048, ServerSpec.replayEvents(ServerSpec.DEFAULT_REPLAY_BYTES));
        assertEquals(16, ServerSpec.replayEvents(1));
        assertEquals(100_000, ServerSpec.replayEvents(1L << 30));
    }

    @Test
    void badSetting_refusedAsItIsSet_namingIt() {
        ServerSpec.Builder b = ServerSpec.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxStreamsPerClient(0))
                .getMessage()
                .contains("maxStreamsPerClient"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxCreationsPerMinute(-1))
                .getMessage()
                .contains("maxCreationsPerMinute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.failoverCooldown(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("cooldown"));
        assertThrows(IllegalArgumentException.class, () -> b.maxTokens(0));
        assertThrows(IllegalArgumentException.class, () -> b.answerTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.trustedProxy("10.0.0.0/99"));
        assertThrows(IllegalArgumentException.class, () -> b.allowOrigin("not an origin"));
        assertThrows(IllegalStateException.class, b::build); // no provider
    }

    @Test
    void route_oneChainSharedByThePageAndTheGateway_withTheCooldown() {
        ServerSpec spec = twoProviders()
                .failoverCooldown(Duration.ofSeconds(5))
                .route(new Route(
                        "fast",
                        List.of(new Route.Target("anthropic", "claude-c"), new Route.Target("openai", "gpt-b"))))
                .build();
        FallbackChain chain = spec.routeChains().get("fast");
        assertEquals(List.of("anthropic:claude-c", "openai:gpt-b"), chain.targetNames());
        try (Relay relay = spec.relay()) {
            assertEquals("claude-c", relay.providers().get("fast"));
            spec.api(relay).build(); // the gateway takes the route over the relay's provider of that name
        }
    }

    @Test
    void route_aliasTakenOrUnknownProvider_refused() {
        Route onOpenai = new Route("openai", List.of(new Route.Target("openai", "gpt-b")));
        assertThrows(IllegalArgumentException.class, () -> twoProviders().route(onOpenai));
        Route nobody = new Route("fast", List.of(new Route.Target("mistral", "m")));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> twoProviders().route(nobody).build())
                .getMessage()
                .contains("mistral"));
        assertThrows(IllegalArgumentException.class, () -> new Route("a b", List.of(new Route.Target("openai", "x"))));
        assertThrows(IllegalArgumentException.class, () -> new Route("fast", List.of()));
        Route.Target t = new Route.Target("openai", "x");
        assertThrows(IllegalArgumentException.class, () -> new Route("fast", List.of(t, t)));
    }

    @Test
    void builtSpecification_doesNotChangeWithItsBuilder() {
        ServerSpec.Builder b = twoProviders().models("openai", Set.of("gpt-b"));
        ServerSpec spec = b.build();
        b.maxStreams(3).models("anthropic", Set.of("claude-a")).gateway(false);
        assertEquals(ServerSpec.DEFAULT_MAX_STREAMS, spec.maxStreams());
        try (Relay relay = spec.relay()) {
            assertEquals(
                    Set.of("openai"),
                    spec.api(relay).build().admission().models().keySet());
        }
    }

    @Test
    void tokenAndGateway_keysServed_gatewayOff_none() {
        String token = "a-token-of-sixteen-chars";
        ServerSpec withGateway = twoProviders().token(token).build();
        ServerSpec without = twoProviders().token(token).gateway(false).build();
        try (Relay a = withGateway.relay();
                Relay b = without.relay()) {
            assertTrue(withGateway.api(a).build().keys().isPresent());
            assertTrue(without.api(b).build().keys().isEmpty());
        }
    }
}
