package dev.sluice.relay;

import dev.sluice.ApiException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted model for the relay's tests: deltas at an interval, optionally a stall (until the
 * stream is cancelled), a failure, or an endless stream. Records what it produced, the requests
 * it got and whether its upstream was closed (cancelled).
 */
final class TestProvider implements ChatProvider {
    final List<String> deltas;
    volatile long intervalMillis;
    volatile int stallAfter = -1;
    /** Where a stream pauses until {@link #resume()} (or its cancel). */
    volatile int holdAfter = -1;

    private final CountDownLatch hold = new CountDownLatch(1);
    volatile int failAfter = -1;
    volatile boolean endless;
    /** What an endless stream's every delta says. */
    volatile String endlessText = "x".repeat(1000);
    /** What a stream throws at {@link #failAfter}; an overloaded error by default. */
    volatile Throwable failure = new ApiException(529, "overloaded_error", "Overloaded", true, null);

    final AtomicLong produced = new AtomicLong();
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<StreamController> controllers = new CopyOnWriteArrayList<>();
    final CountDownLatch upstreamClosed = new CountDownLatch(1);

    TestProvider(List<String> deltas) {
        this.deltas = List.copyOf(deltas);
    }

    static List<String> words(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add((i == 0 ? "" : " ") + "w" + i + (i % 7 == 0 ? "\n" : "") + (i % 11 == 0 ? " \"q\" é" : ""));
        return out;
    }

    /** Lets a stream paused at {@link #holdAfter} go on. */
    void resume() {
        hold.countDown();
    }

    /** {@return the text of the whole answer} */
    String text() {
        return String.join("", deltas);
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return stream(request, StreamController.create());
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        requests.add(request);
        controllers.add(controller);
        long t0 = System.nanoTime();
        return EventStream.<MessageChunk>builder().controller(controller).generate(emitter -> {
            CountDownLatch closed = new CountDownLatch(1);
            emitter.attach(() -> {
                if (emitter.controller().isCancelled()) upstreamClosed.countDown();
                closed.countDown();
            });
            for (int i = 0; endless || i < deltas.size(); i++) {
                if (i == stallAfter) {
                    closed.await();
                    return;
                }
                if (i == holdAfter) {
                    while (hold.getCount() > 0) {
                        if (closed.await(5, TimeUnit.MILLISECONDS)) return;
                    }
                }
                if (i == failAfter) {
                    if (failure instanceof Error e) throw e;
                    throw (RuntimeException) failure;
                }
                if (intervalMillis > 0 && closed.await(intervalMillis, TimeUnit.MILLISECONDS)) return;
                String text = endless
                        ? String.valueOf(endlessText.toCharArray())
                        : deltas.get(i); // each delta its own copy, as a real stream's
                if (!emitter.emit(chunk(t0, request.model()).text(text).build())) return;
                produced.incrementAndGet();
            }
            emitter.emit(chunk(t0, request.model())
                    .finishReason(FinishReason.fromAnthropic("end_turn"))
                    .usage(Usage.of(12, deltas.size()))
                    .build());
        });
    }

    static MessageChunk.Builder chunk(long t0, String model) {
        return MessageChunk.builder(new ChunkMetadata(model, Instant.now(), Duration.ofNanos(System.nanoTime() - t0)));
    }
}
