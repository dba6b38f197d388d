package dev.sluice.examples;

import dev.sluice.chat.ProviderClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.redis.RedisRelayStore;

/**
 * A relay for one of several nodes: its streams shared through Redis ({@code sluice-relay-redis}),
 * so that any node resumes, cancels and counts any node's streams (docs/relay.md, docs/serve.md).
 */
public final class RelayOnManyNodes {
    private RelayOnManyNodes() {}

    /**
     * {@return a relay that shares its streams through the Redis at {@code redisUrl}} On shutdown,
     * close the relay, then its store ({@code relay.store().close()}).
     *
     * @param client the model provider
     * @param redisUrl {@code redis://HOST:PORT/DB}, the same on every node
     */
    public static Relay relay(ProviderClient client, String redisUrl) {
        RedisRelayStore store = RedisRelayStore.builder(redisUrl)
                .credentials(System.getenv("SLUICE_REDIS_USER"), System.getenv("SLUICE_REDIS_PASSWORD"))
                .build();
        Relay relay = Relay.builder()
                .provider(client.providerName(), client, "claude-sonnet-4-5")
                .store(store)
                .build();
        return relay;
    }
}
