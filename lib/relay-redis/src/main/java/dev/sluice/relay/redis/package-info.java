/**
 * The relay's store on Redis ({@link RedisRelayStore}), for relays on many nodes: each node's
 * {@link dev.sluice.relay.Relay} built with a store on the same Redis serves the streams the others
 * run (replay and resume through the store's streams, cancels and approvals as commands to the
 * running node), and counts the limits per client across every node. Jedis does the talking; a
 * Redis that cannot be reached is a {@link dev.sluice.RelayException} of kind {@code UNAVAILABLE}.
 *
 * <p>Nulls: none accepted or returned unless a parameter or return says so ({@code @Nullable}).
 *
 * <p>Threading: the store is safe from any thread; one reader thread per store follows the streams
 * and commands, and appends from every stream go out together on one pipelined connection.
 */
@NullMarked
package dev.sluice.relay.redis;

import org.jspecify.annotations.NullMarked;
