package dev.sluice.internal.call.stream;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * {@code dev.sluice.Retry}: one wait before another attempt at a request (the event's duration is
 * the wait), committed by {@link Retrier.Budget#backOff}. On the thread that retries: the caller's
 * for an opening, the stream's producer thread for a reopening.
 */
@Name("dev.sluice.Retry")
@Label("Sluice Retry")
@Category("Sluice")
@Description("A wait before retrying a request (the duration is the wait)")
@StackTrace(false)
final class RetryEvent extends Event {
    @Label("Attempt")
    @Description("The attempt that failed, from 1")
    int attempt;

    @Label("Planned Delay")
    @Timespan(Timespan.MILLISECONDS)
    long delay;

    @Label("Failure")
    @Description("The failure's exception class")
    @Nullable
    String failure;

    @Label("Status Code")
    @Description("The HTTP status, 0 when none")
    int statusCode;

    @Label("Message")
    @Nullable
    String message;

    /** {@return a begun event for this wait, or null when no recording takes it} */
    static @Nullable RetryEvent begin(int attempt, long delayMillis, SluiceException failure) {
        RetryEvent e = new RetryEvent();
        if (!e.isEnabled()) return null;
        e.attempt = attempt;
        e.delay = delayMillis;
        e.failure = failure.getClass().getSimpleName();
        e.statusCode = failure instanceof ApiException api ? api.statusCode() : 0;
        String m = String.valueOf(failure.getMessage());
        e.message = m.length() > 300 ? m.substring(0, 300) + "..." : m;
        e.begin();
        return e;
    }

    /** Commits a begun event; nothing for null. */
    static void commit(@Nullable RetryEvent e) {
        if (e != null) e.commit();
    }
}
