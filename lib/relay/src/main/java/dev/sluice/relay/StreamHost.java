package dev.sluice.relay;

import org.jspecify.annotations.Nullable;

/**
 * What a relayed stream asks of the relay that holds it, besides its {@link RelaySettings}: to be
 * told of the stream's end, whether it still keeps the stream, and its replicas of other nodes'
 * streams. The {@link Relay} implements it privately.
 */
interface StreamHost {
    /**
     * The stream's upstream has ended with {@code last}, which its clients are about to read: its
     * end hook runs (with null when the pump stopped on a bug before its end), it no longer counts against the limits, and it is forgotten after the retention.
     */
    void ended(RelayedStream stream, @Nullable RelayEvent last);

    /** {@return whether the relay still keeps the stream (it has not forgotten it, nor closed)} */
    boolean keeps(RelayedStream stream);

    /**
     * The node running a replica's stream was found lost, with nothing stored after {@code after}:
     * takes the stream over to finish its tasks when it has some ({@link TaskTakeover}).
     * {@return true when the stream goes on (this node or another took it over): the replica
     * follows on; false when it ends with {@code node_lost}}
     */
    boolean takeOver(RelayedStream replica, long after);

    /** {@return this node's replicas of the streams other nodes run} */
    Replicas replicas();
}
