package dev.sluice.testkit;

import dev.sluice.testkit.internal.http.DropConnection;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.http.Pacing;
import dev.sluice.testkit.internal.http.SseEvent;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Raw responses, replayed as they are, and the marks every streamed response may reach: a
 * signal to the test, then a pause until it says go on. Used by the request's thread.
 */
final class Replay {
    /** Unpaced, events go out in chunks of up to this: a long capture is not a write per event. */
    private static final int CHUNK = 64 * 1024;

    /** A mid-stream fault, applied by the handler. */
    interface Strike {
        /** {@return true when the response is over and ends normally} @throws DropConnection when the connection must be cut */
        boolean at(Fault fault) throws DropConnection;
    }

    private Replay() {}

    /**
     * Writes a raw response as it is: an event stream event by event, with its fault, signal,
     * pause and pacing; any other body whole.
     */
    static void write(Exchange exchange, FakeResponse response, Pacing.Schedule schedule, Fault fault, Strike strike)
            throws IOException, Pacing.ServerClosing {
        if (response.contentType() != null) exchange.getResponseHeaders().set("content-type", response.contentType());
        if (!response.streams()) {
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(response.status(), 0);
        OutputStream out = exchange.getResponseBody();
        byte[] body = response.body();
        int[] ends = SseEvent.ends(body);
        schedule.awaitFirst();
        boolean struck = false;
        int unflushed = 0;
        for (int i = 0; i < ends.length; i++) {
            marks(i, false, response, schedule, out);
            if (!struck && fault.midStream() && i == fault.after()) {
                struck = true;
                out.flush();
                if (strike.at(fault)) return;
            }
            schedule.awaitToken(i);
            int start = i == 0 ? 0 : ends[i - 1];
            out.write(body, start, ends[i] - start);
            unflushed += ends[i] - start;
            if (schedule.paced() || unflushed >= CHUNK) {
                out.flush();
                unflushed = 0;
            }
        }
        marks(ends.length, true, response, schedule, out);
        out.flush();
        if (!struck && fault.midStream()) strike.at(fault);
    }

    /**
     * Before delta or event {@code at} (or, at the {@code end}, anything past it): the response's
     * signal opens its latch, then its pause waits for its own, what was written flushed first.
     */
    static void marks(int at, boolean end, FakeResponse response, Pacing.Schedule schedule, Flushable out)
            throws IOException, Pacing.ServerClosing {
        Fault signal = response.signal();
        if (signal != null && (end ? signal.after() >= at : signal.after() == at)) {
            out.flush();
            signal.gate().countDown();
        }
        Fault pause = response.pause();
        if (pause != null && (end ? pause.after() >= at : pause.after() == at)) {
            out.flush();
            schedule.awaitLatch(pause.gate());
        }
    }
}
