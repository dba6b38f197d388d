package dev.sluice.examples;

import dev.sluice.eventsource.EventSource;
import dev.sluice.eventsource.EventSourceStream;
import dev.sluice.eventsource.SourceSignal;
import dev.sluice.sse.SseEvent;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads any Server-Sent Events feed with {@link EventSource}: reconnects when the connection
 * drops, resuming with {@code Last-Event-ID}. {@code main} takes the feed's URL and how many events
 * to print (default 10).
 */
public final class ReconnectingEvents {
    private ReconnectingEvents() {}

    /** Prints the first {@code count} events of {@code feed} and the connection's ups and downs; {@return their data} */
    public static List<String> read(URI feed, int count, PrintStream out) {
        List<String> received = new ArrayList<>();
        EventSource source = EventSource.builder(feed)
                .readTimeout(Duration.ofSeconds(30)) // a silent connection is dropped and reopened
                .retryPolicy(EventSource.DEFAULT_RETRY_POLICY // a RetryPolicy, as for the model clients
                        .withInitialBackoff(Duration.ofMillis(200))
                        .withMaxRetries(5)) // HTTP errors: retry 5 in a row, then give up
                .build();
        try (EventSourceStream stream = source.open()) {
            for (SourceSignal signal : stream) {
                switch (signal) {
                    case SourceSignal.Opened opened -> out.println("[connected: HTTP " + opened.statusCode() + "]");
                    case SourceSignal.Message(SseEvent event) -> {
                        out.println(event.type() + " " + event.lastEventId() + ": " + event.data());
                        received.add(event.data());
                    }
                    case SourceSignal.Fault fault ->
                        out.println("[" + fault.error().getMessage()
                                + (fault.willRetry()
                                        ? "; again in " + fault.retryDelay().toMillis() + " ms]"
                                        : "]"));
                    default -> {} // Closed, Comment
                }
                if (received.size() == count) break;
            }
        }
        return received;
    }

    /**
     * Prints events from a feed.
     *
     * @param args the feed's URL, then optionally how many events to print
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ReconnectingEvents URL [COUNT]");
            System.exit(2);
        }
        read(URI.create(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 10, System.out);
    }
}
