package dev.sluice.cli.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.SluiceException;
import dev.sluice.eventsource.EventSource;
import dev.sluice.eventsource.EventSourceStream;
import dev.sluice.eventsource.SourceSignal;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream the harness asked for: its {@link EventSourceStream}, read on a virtual thread of its
 * own, and the callbacks that report what it receives, {@code POST <callbackUrl>/<n>} from 1, in
 * order: {@code event} for each message, {@code comment} for each comment, {@code error} for each
 * fault (and for a failure no fault announced). Openings, closings and restarts are not reported.
 */
final class StreamInstance {
    // Threading: stream and the callback counter are used by the reader thread; close() and
    // restart() come from the service's request threads; closed is volatile.

    final String id;
    private final EventSourceStream stream;
    private final String callbackBase;
    private final HttpClient http;
    private final PrintStream log;
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closed;

    StreamInstance(String id, EventSource source, URI callback, HttpClient http, PrintStream log) {
        this.id = id;
        this.http = http;
        this.log = log;
        String base = callback.toString();
        this.callbackBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.stream = source.open();
    }

    void start() {
        Thread.ofVirtual().name("sse-contract-stream-" + id).start(this::pump);
    }

    private void pump() {
        SluiceException announced = null;
        try {
            for (SourceSignal signal : stream) {
                switch (signal) {
                    case SourceSignal.Message(SseEvent e) -> {
                        ObjectNode event = SseContractService.JSON
                                .createObjectNode()
                                .put("type", e.type())
                                .put("data", e.data());
                        if (e.lastEventId() != null) event.put("id", e.lastEventId());
                        ObjectNode m =
                                SseContractService.JSON.createObjectNode().put("kind", "event");
                        m.set("event", event);
                        post(m);
                    }
                    case SourceSignal.Comment(String text) ->
                        post(SseContractService.JSON
                                .createObjectNode()
                                .put("kind", "comment")
                                .put("comment", text));
                    case SourceSignal.Fault fault -> {
                        announced = fault.error();
                        postError(fault.error());
                    }
                    default -> {} // opened, closed
                }
            }
        } catch (SluiceException e) {
            if (e != announced) postError(e);
        }
    }

    /** The spec's example names the field {@code comment}, the harness reads {@code error}: both are sent. */
    private void postError(SluiceException e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        post(SseContractService.JSON
                .createObjectNode()
                .put("kind", "error")
                .put("error", message)
                .put("comment", message));
    }

    private void post(ObjectNode message) {
        if (closed) return;
        String url = callbackBase + "/" + counter.incrementAndGet();
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(message.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() >= 300)
                log.println("stream " + id + ": callback " + url + " answered HTTP " + r.statusCode());
        } catch (IOException e) {
            if (!closed) log.println("stream " + id + ": callback " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void restart() {
        stream.restart();
    }

    void close() {
        closed = true;
        stream.close();
    }
}
