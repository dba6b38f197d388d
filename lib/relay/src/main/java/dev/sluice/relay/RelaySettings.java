package dev.sluice.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * What a relayed stream's parts ({@link RelayedStream}, {@link SourcePump}, {@link ReplayBuffer},
 * {@link StoreFollower}, {@link StoreMirror}, {@link Subscription}, {@link Replicas}) read of the
 * relay that holds them: its clock, its store, its limits and its windows, fixed when the relay is
 * built.
 *
 * @param clock the relay's time and timers
 * @param store where the relay keeps and shares its streams
 * @param limits the limits it enforces
 * @param heartbeat the heartbeat interval
 * @param resumeWindow how long a stream runs on with no client attached
 * @param retention how long an ended stream is kept for replay
 * @param attachTimeout how long a started stream waits for its first client
 */
record RelaySettings(
        RelayClock clock,
        RelayStore store,
        RelayLimits limits,
        Duration heartbeat,
        Duration resumeWindow,
        Duration retention,
        Duration attachTimeout) {
    RelaySettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(resumeWindow, "resumeWindow");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(attachTimeout, "attachTimeout");
    }

    /** {@return how long the store keeps a stream from now: while it runs, beyond the silences; after its end, the retention} */
    Duration storeTtl(boolean ended) {
        if (ended) return retention.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retention;
        return heartbeat.multipliedBy(3).plus(resumeWindow).plus(attachTimeout).plus(retention);
    }
}
