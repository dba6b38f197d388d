package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.RelayStore;
import java.time.Duration;
import java.util.Map;

/**
 * The limits per client address of {@link RelayAdmission}: the streams a client runs at once, the
 * streams it creates per minute and the chat resumes that find nothing per minute, each counted in
 * the relay's store (across every node when the store is shared). Safe from any thread: the store
 * counts.
 */
final class ClientLimits {
    /** The store's counter of one client address's running streams is this and the address. */
    static final String CLIENT_COUNTER = "client:";
    /** The store's rate of one client address's stream creations is this and the address. */
    static final String CREATIONS_COUNTER = "creations:";
    /** The store's rate of one client address's failed chat resumes is this and the address. */
    static final String FAILED_RESUMES_COUNTER = "failed-resumes:";

    private final RelayStore store;
    private final int maxStreamsPerClient;
    private final int maxCreationsPerMinute;
    private final int maxFailedResumesPerMinute;

    ClientLimits(RelayStore store, int maxStreamsPerClient, int maxCreationsPerMinute, int maxFailedResumesPerMinute) {
        this.store = store;
        this.maxStreamsPerClient = maxStreamsPerClient;
        this.maxCreationsPerMinute = maxCreationsPerMinute;
        this.maxFailedResumesPerMinute = maxFailedResumesPerMinute;
    }

    /** Takes one of the client's places among the running streams, counted in the relay's store (across every node when shared). */
    void acquireStream(String clientAddress) {
        if (!store.acquire(CLIENT_COUNTER + clientAddress, maxStreamsPerClient)) {
            throw HttpRefusals.of(
                    429,
                    "too_many_streams",
                    "this client already runs " + maxStreamsPerClient
                            + " streams, the limit per client; cancel one (DELETE) or wait for one to end");
        }
    }

    /**
     * Takes one of the client's creations of the minute, or refuses with the wait. Counted in the
     * relay's store: across every node when the store is shared.
     */
    void takeCreation(String clientAddress) {
        takeRate(
                CREATIONS_COUNTER,
                clientAddress,
                maxCreationsPerMinute,
                "too_many_creations",
                "started " + maxCreationsPerMinute + " streams");
    }

    /**
     * Counts a chat resume (or a post for a chat id) that found no chat of the client's, and refuses
     * with the wait once the client has had its minute's share: so that chat ids cannot be probed
     * in bulk. Counted in the relay's store, across every node when it is shared.
     *
     * @throws HttpRefusals.Refused 429 {@code too_many_failed_resumes} with {@code Retry-After}
     */
    void failedResume(String clientAddress) {
        takeRate(
                FAILED_RESUMES_COUNTER,
                clientAddress,
                maxFailedResumesPerMinute,
                "too_many_failed_resumes",
                "asked for " + maxFailedResumesPerMinute + " chats that it does not run");
    }

    private void takeRate(String counter, String clientAddress, int perMinute, String type, String did) {
        if (perMinute == 0) return;
        Duration wait = store.takeRate(counter + clientAddress, perMinute, Duration.ofMinutes(1));
        if (wait.isZero()) return;
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        throw HttpRefusals.of(
                429,
                type,
                "this client " + did + " within a minute, the limit per client; try again in " + seconds + " s",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    void release(String clientAddress) {
        try {
            store.release(CLIENT_COUNTER + clientAddress);
        } catch (RelayException e) {
            // the store is away: a shared store recounts this node's places when it is back
        }
    }
}
