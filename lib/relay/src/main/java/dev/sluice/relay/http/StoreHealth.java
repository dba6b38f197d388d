package dev.sluice.relay.http;

import static dev.sluice.relay.http.HttpAnswers.json;

import dev.sluice.relay.RelayStore;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /healthz} for {@link RelayHttpApi}: up, unless the relay's shared store does not
 * answer; the store is pinged at most once a second, as load balancers ask every few seconds, from
 * each of them. Safe from any thread.
 */
final class StoreHealth {
    /** How long an answer about the store is reused. */
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final RelayStore store;
    private volatile @Nullable Check last; // null before the first ping

    /** Whether the store answered a ping, and when ({@link System#nanoTime()}). */
    private record Check(long at, boolean answered) {}

    StoreHealth(RelayStore store) {
        this.store = store;
    }

    /** Answers {@code 200 {"status":"ok"}}, or {@code 503} while the shared store does not answer. */
    void answer(HttpExchange exchange) throws IOException {
        if (storeAnswers()) json(exchange, 200, "{\"status\":\"ok\"}");
        else json(exchange, 503, "{\"status\":\"unavailable\",\"store\":\"unreachable\"}");
    }

    /** {@return whether the relay's store answers}: a store in memory always does; a shared one is pinged */
    private boolean storeAnswers() {
        if (!store.shared()) return true;
        long now = System.nanoTime();
        Check check = last;
        if (check != null && now - check.at() < REUSE_NANOS) return check.answered();
        boolean answered;
        try {
            store.ping();
            answered = true;
        } catch (RuntimeException e) {
            answered = false;
        }
        last = new Check(now, answered);
        return answered;
    }
}
