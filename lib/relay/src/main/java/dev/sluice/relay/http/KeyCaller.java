package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.ApiKey;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayStore;
import dev.sluice.relay.StartRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request made with a minted key ({@link KeysHttp#caller}): what it may use, and its rate and
 * budget taken before it goes upstream ({@link #reserve}). Immutable; safe from any thread.
 *
 * @param key the key
 * @param secretHash its secret's SHA-256, as the store was asked with (kept from {@code toString()})
 * @param store where its budget is kept
 * @param rates the relay's store, which counts its requests per minute (shared by every node when
 *     the relay's is)
 */
record KeyCaller(ApiKey key, String secretHash, ApiKeyStore store, RelayStore rates) {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(KeyCaller.class.getName());

    /**
     * {@return the request, when the key may use its model: a stream of the relay's own routes names
     * a provider and its model, allowed as {@code provider/model} or as the provider alone (a route's
     * alias)}
     *
     * @param admitted the request as admitted
     * @throws HttpRefusals.Refused 404 {@code model_not_found} naming the key's models
     */
    StartRequest allow(StartRequest.Resolved admitted) {
        if (key.allows(admitted.provider() + "/" + admitted.model()) || key.allows(admitted.provider()))
            return admitted.request();
        throw HttpRefusals.of(
                404,
                "model_not_found",
                "the key " + key.id() + " may not use "
                        + HttpRefusals.shorten(admitted.provider() + "/" + admitted.model()) + "; it may use "
                        + String.join(", ", key.models()));
    }

    /**
     * {@return the request's reservation: its rate counted, then, atomically, its most tokens
     * reserved against the key's budget} The most tokens are its {@code max_tokens} (the capped
     * request's, else the provider's default) and its prompt's estimated tokens (a token per four
     * characters), since the usage it settles on counts input too.
     *
     * @param admitted the request as admitted, its token cap applied
     * @throws HttpRefusals.Refused 429 {@code rate_limit_exceeded} with {@code Retry-After} past the
     *     key's rate, 429 {@code insufficient_quota} with {@code x-should-retry: false} once its budget is spent,
     *     401 {@code unauthorized} when the key was revoked since it was found (a store that keeps the keys it
     *     found, as Redis's does, refuses it here first)
     */
    Reservation reserve(StartRequest admitted) {
        if (key.maxRequestsPerMinute() > 0) {
            Duration wait = rates.takeRate("key:" + key.id(), key.maxRequestsPerMinute(), MINUTE);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                throw HttpRefusals.of(
                        429,
                        "rate_limit_exceeded",
                        "the key " + key.id() + " may start " + key.maxRequestsPerMinute()
                                + " requests a minute; try again in " + seconds + " s",
                        Map.of("Retry-After", Long.toString(seconds)));
            }
        }
        Integer max = admitted.maxTokens();
        long tokens = (max == null ? StartRequest.DEFAULT_MAX_TOKENS : max) + (admitted.chars() + 3) / 4;
        if (!store.reserve(key, tokens)) {
            boolean revoked;
            try {
                revoked = store.find(secretHash).isEmpty();
            } catch (RelayException e) { // a shared store that cannot be reached: 503
                throw HttpRefusals.of(e);
            }
            if (revoked) throw KeysHttp.revoked();
            throw HttpRefusals.of(
                    429,
                    "insufficient_quota",
                    "the key " + key.id() + " has spent its budget of " + key.maxTokensTotal()
                            + " tokens; ask the gateway's operator for more",
                    // no retry brings a budget back: a client that honours it (Anthropic's and OpenAI's SDKs,
                    // Claude Code) reports the refusal at once instead of after its retries (Claude Code: 3 min)
                    Map.of("x-should-retry", "false"));
        }
        return new Reservation(this, tokens, new AtomicBoolean());
    }

    @Override
    public String toString() {
        return "KeyCaller[" + key.id() + "]";
    }

    /**
     * Tokens a request holds of its key's budget until it ends.
     *
     * @param caller the request's key
     * @param tokens what it reserved
     * @param settled whether it was settled (at most once)
     */
    record Reservation(KeyCaller caller, long tokens, AtomicBoolean settled) {
        /**
         * Settles on how the request ended, once: a {@code done} on its usage (input, the prompt
         * cache's reads and writes among it, and output;
         * the whole reservation when the upstream reported none), a cancelled one (the client left,
         * the upstream's use unknown) on the whole reservation, a failure on nothing.
         *
         * @param last the request's last event
         */
        void settle(RelayEvent last) {
            if (!settled.compareAndSet(false, true)) return;
            long used = 0;
            if (last instanceof RelayEvent.Done d) {
                used = d.totalInputTokens() + d.outputTokens(); // the cache's reads and writes are input too
                if (used == 0) used = tokens; // no usage reported: what it might have spent
            } else if (last instanceof RelayEvent.Cancelled) {
                used = tokens; // else leaving just before the end would spend nothing
            }
            settle(used);
        }

        /** Releases it whole, once: the request did not go upstream. */
        void release() {
            if (settled.compareAndSet(false, true)) settle(0);
        }

        private void settle(long used) {
            try {
                caller.store().settle(caller.key(), tokens, used);
            } catch (RuntimeException e) { // a shared store away: the request's end goes on, its tokens stay reserved
                LOG.log(
                        System.Logger.Level.WARNING,
                        "the key " + caller.key().id() + " could not be settled (" + tokens + " tokens reserved, "
                                + used + " used): " + e.getMessage());
            }
        }
    }
}
