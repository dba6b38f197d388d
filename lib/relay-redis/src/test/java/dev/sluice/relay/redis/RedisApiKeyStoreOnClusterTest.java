package dev.sluice.relay.redis;

import dev.sluice.relay.redis.server.RedisCluster;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link RedisApiKeyStoreTest} again, on a real Redis Cluster: the keys' scripts touch the one slot of {@code {keys}}. */
class RedisApiKeyStoreOnClusterTest extends RedisApiKeyStoreTest {
    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisCluster.start();
    }
}
