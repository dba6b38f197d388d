package dev.sluice.relay.redis.server;

import java.io.IOException;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** The Redis that the nodes of a test share: one {@code redis-server} ({@link RedisServer}) or a cluster ({@link RedisCluster}). */
public interface RedisUnderTest extends AutoCloseable {
    /** {@return the URL a store is built with} */
    String url();

    /** {@return a client for keyed commands, wherever the key lives; the caller closes it} */
    UnifiedJedis client();

    /** {@return the keys that match a pattern ({@code KEYS}), on every node} */
    List<String> keys(String pattern);

    /** {@return the lines of {@code CLIENT LIST} of every node} */
    List<String> clientList();

    /** {@return whether it is a Redis Cluster} */
    boolean cluster();

    /** Kills every process at once (SIGKILL): connections break, nothing is saved. */
    void kill() throws InterruptedException;

    /** Starts it again, empty, on the same ports, and waits until it answers. */
    void startAgain() throws IOException;

    @Override
    void close() throws InterruptedException;
}
