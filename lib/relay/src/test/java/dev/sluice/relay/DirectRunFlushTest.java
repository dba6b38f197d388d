package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A direct run writes the events of one read of its upstream out together: one flush a read (as a
 * proxy copying the read sends it), not one an event. A gateway's first token is then one write
 * with the events before it (Chat Completions' role chunk, the Responses API's four), and the
 * events a read brings at once cost one write of the server's.
 */
class DirectRunFlushTest {
    /** Records each event written and each flush, in order. */
    static final class Recording implements RelayWriter {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void send(long id, RelayEvent event) {
            seen.add(
                    event instanceof RelayEvent.Verbatim v
                            ? v.json()
                            : event.getClass().getSimpleName());
        }

        @Override
        public void heartbeat() {}

        @Override
        public void flush() {
            seen.add("|");
        }

        long flushes() {
            return seen.stream().filter("|"::equals).count();
        }
    }

    /**
     * A body read in the reads given, one each, the k-th (from 0, the end last) once the client has
     * had k + 1 flushes: the start's, then one for each read before it. So every read comes after
     * the run pushes (none is queued before it), and after the events before it were written.
     */
    static InputStream reads(Recording client, String... reads) {
        ArrayDeque<String> left = new ArrayDeque<>(List.of(reads));
        AtomicInteger done = new AtomicInteger();
        return new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int k = done.getAndIncrement();
                await().atMost(Duration.ofSeconds(5)).until(() -> client.flushes() >= k + 1);
                String next = left.poll();
                if (next == null) return -1;
                byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, b, off, bytes.length);
                return bytes.length;
            }
        };
    }

    @Test
    void pushedUpstream_eachReadsEventsWrittenThenOneFlush() throws Exception {
        Relay relay = Relay.builder()
                .provider("test", new TestProvider(TestProvider.words(1)), "test-model")
                .build();
        try {
            Recording client = new Recording();
            DirectRun run = relay.direct(
                    StartRequest.parse("{\"prompt\":\"hi\"}"),
                    (request, controller) -> RelaySource.verbatim(
                            "test",
                            "test-model",
                            EventStream.<SseEvent>builder()
                                    .fromSse(
                                            reads(
                                                    client,
                                                    "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n",
                                                    "data: {\"c\":3}\n\n"),
                                            SseLimits.defaults(),
                                            (event, out) -> {
                                                out.emit(event);
                                                return false;
                                            })),
                    last -> {});
            assertEquals(
                    Subscription.Outcome.COMPLETE,
                    run.start(client).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(
                    List.of("Start", "|", "{\"a\":1}", "{\"b\":2}", "|", "{\"c\":3}", "|", "Done", "|"),
                    client.seen.stream()
                            .map(s -> s.startsWith("Done") ? "Done" : s)
                            .toList());
        } finally {
            relay.close();
        }
    }
}
