/**
 * The relay's store on Redis: {@link dev.sluice.relay.redis.RedisRelayStore}, for relays on many
 * nodes that serve one another's streams (Redis Streams for the events, a stream per node for
 * commands, a liveness key per node, counters for the cluster-wide limits), through Jedis.
 */
module dev.sluice.relay.redis {
    requires transitive dev.sluice.relay;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;

    exports dev.sluice.relay.redis;
}
