package dev.sluice.internal.call.client;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.client.RateLimits;
import dev.sluice.internal.call.stream.CallObserver;
import dev.sluice.internal.call.stream.RateLimitHeaders;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a client's responses say about its rate limits, for every provider alike: the latest report
 * (the client's {@code rateLimits()}), and each report handed to the {@link StreamGuard}, which
 * holds new streams while a limit is exhausted when the client asks it to. A report is a
 * response's headers as it opens (the opening, a reopening, a resume's continuation), the limits a
 * response's body reported ({@link #reported}), or the delay
 * a refused opening's {@link ApiException} names ({@code retry-after} of a 429 or 529: the request
 * failed for good, its headers are not kept).
 *
 * <p>Threading: thread-safe. {@code latest} is written by whichever thread opened a response (a
 * caller's, a stream's producer) and read by any thread; the latest write wins.
 */
final class RateLimitTracker {
    private final StreamGuard guard;
    private final boolean guardWatches;
    private volatile @Nullable Seen latest;

    RateLimitTracker(StreamGuard guard, boolean guardWatches) {
        this.guard = guard;
        this.guardWatches = guardWatches;
    }

    /** {@return the latest report, when one came} */
    Optional<RateLimits> latest() {
        Seen s = latest;
        return s == null ? Optional.empty() : Optional.of(s.limits());
    }

    /** A response's headers: parsed at once only when the guard needs them, else when read. */
    void responded(HttpHeaders headers, Instant at) {
        Seen s = new Seen(headers, at, null);
        latest = s;
        if (guardWatches) guard.observe(s.limits());
    }

    /** Limits a response reported in its body (OpenAI's {@code response.rate_limits.updated}): the latest report. */
    void reported(RateLimits limits) {
        latest = new Seen(null, limits.observedAt(), limits);
        if (guardWatches) guard.observe(limits);
    }

    /** A failed opening: a refusal that names its delay holds new streams that long. */
    void openFailed(RuntimeException failure) {
        if (!(failure instanceof ApiException e) || e.retryAfterMillis().isEmpty()) return;
        @Nullable
        RateLimits limits = new RateLimits(
                Map.of(), Optional.of(Duration.ofMillis(e.retryAfterMillis().getAsInt())), Instant.now());
        latest = new Seen(null, limits.observedAt(), limits);
        if (guardWatches) guard.observe(limits);
    }

    /** {@return a call observer that tells this tracker, then {@code next}} */
    CallObserver watching(CallObserver next) {
        return new Watching(this, next);
    }

    /** One report: headers parsed when first read, or limits already known. */
    private static final class Seen {
        private final @Nullable HttpHeaders headers;
        private final Instant at;
        private volatile @Nullable RateLimits limits;

        Seen(@Nullable HttpHeaders headers, Instant at, @Nullable RateLimits limits) {
            this.headers = headers;
            this.at = at;
            this.limits = limits;
        }

        RateLimits limits() {
            RateLimits l = limits;
            if (l == null)
                limits = l = RateLimitHeaders.parse(
                        Objects.requireNonNull(headers, "headers, when no limits were given"),
                        Clock.fixed(at, ZoneOffset.UTC)); // racy but idempotent
            return l;
        }
    }

    /** The stream's observer, with this tracker told first. */
    private static final class Watching implements CallObserver {
        private final RateLimitTracker tracker;
        private final CallObserver next;

        Watching(RateLimitTracker tracker, CallObserver next) {
            this.tracker = tracker;
            this.next = next;
        }

        @Override
        public void opened(@Nullable String requestId) {
            next.opened(requestId);
        }

        @Override
        public void responded(HttpHeaders headers, Instant arrivedAt) {
            tracker.responded(headers, arrivedAt);
            next.responded(headers, arrivedAt);
        }

        @Override
        public void openFailed(RuntimeException failure) {
            tracker.openFailed(failure);
            next.openFailed(failure);
        }

        @Override
        public void retrying(int retry, Duration delay, SluiceException cause) {
            next.retrying(retry, delay, cause);
        }

        @Override
        public void resuming(SluiceException lost) {
            next.resuming(lost);
        }
    }
}
