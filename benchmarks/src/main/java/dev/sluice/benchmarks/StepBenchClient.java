package dev.sluice.benchmarks;

import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.InputJsonDelta;
import dev.sluice.anthropic.TextDelta;
import dev.sluice.internal.low.json.JsonOut;
import dev.sluice.internal.low.json.StrictJsonReader;
import dev.sluice.internal.low.json.Utf8JsonStrings;
import dev.sluice.internal.low.sse.RawEventListener;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A lower bound, not a client: {@code floor2} ({@link FloorBenchClient}) plus a correct client's
 * work, keeping floor2's threading (a reading loop on a virtual thread of its own, handing each
 * read's items in one array through a bounded queue to the calling thread). The events are found by
 * Sluice's own {@link SseParser} (the standard's line ends, fields, BOM, limits); each
 * {@code content_block_delta}'s string is read from its bytes (the benchmark stream's fixed prefix,
 * then the string decoded by {@link Utf8JsonStrings}) and made into Sluice's two public event
 * objects on the reading thread ({@code ContentBlockDelta} holding a {@code TextDelta} or an
 * {@code InputJsonDelta}); the consumer accumulates the message's text (or tool input) in what
 * Sluice's accumulator holds a block's text in ({@link StringParts}). That is {@code acc2}.
 * {@code call2} adds the rest of what a correct client must do for each stream, each piece the way
 * Sluice does it when that is the cheapest known: the request's JSON written for each stream (with
 * Sluice's writer, {@link JsonOut}) and an {@code HttpRequest} built around it; the response's
 * status, media type and {@code request-id} checked; every event that is not a delta read whole
 * into JSON values (with Sluice's reader, {@link StrictJsonReader}: the frame's five events of each
 * stream) and its {@code type} checked against the event's name; each delta's closing quote and
 * braces checked as well as its prefix.
 *
 * <p>Like floor2 it knows the benchmark stream's exact shape, which no client may assume: {@code
 * acc2} reads only the deltas of that shape (others, and every other event, are skipped unread),
 * checks nothing else, and block {@code 0} is the only index it makes. {@code call2} reads every
 * event, but still knows the deltas' shape and fails on any other (no fallback parse), and makes no
 * event objects of the frame's events: it remains a strict subset of a correct client's work, the
 * least a correct client on Sluice's threading does.
 */
final class StepBenchClient implements BenchClient {
    private static final byte[] TEXT = prefix("text_delta\",\"text\":\"");
    private static final byte[] TOOL = prefix("input_json_delta\",\"partial_json\":\"");
    /** What ends a delta's data after its value: the closing quote and the two objects' braces. */
    private static final int SUFFIX = 3;

    private static final Object[] END = new Object[0];
    private static final byte[] CLOSE = "\"}}".getBytes(StandardCharsets.US_ASCII);

    /** How far from floor2 toward a client of events with an accumulated message. */
    enum Step {
        ACC2,
        CALL2
    }

    private final RawBenchClient raw;
    private final URI uri;
    private final boolean tool;
    private final Step step;

    StepBenchClient(String baseUrl, boolean tool, Step step) {
        this.raw = new RawBenchClient(baseUrl);
        this.uri = URI.create(baseUrl + "/v1/messages");
        this.tool = tool;
        this.step = step;
    }

    private static byte[] prefix(String delta) {
        return FloorBenchClient.deltaData(delta).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        if (step == Step.CALL2) return raw.stream(request(), (body, first) -> handedOff(body, windows, first));
        return raw.stream((body, first) -> handedOff(body, windows, first));
    }

    /** {@return this stream's request, written and built as a client does for each call ({@code call2})} */
    private HttpRequest request() {
        JsonOut g = new JsonOut();
        g.writeStartObject();
        g.writeStringField("model", MODEL);
        g.writeNumberField("max_tokens", MAX_TOKENS);
        g.writeArrayFieldStart("messages");
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeStringField("content", PROMPT);
        g.writeEndObject();
        g.writeEndArray();
        g.writeBooleanField("stream", true);
        g.writeEndObject();
        return HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .header("x-api-key", "bench")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(g.toString()))
                .build();
    }

    /** The reading loop on a virtual thread; the items taken here, on the calling thread. */
    @SuppressWarnings("ReferenceEquality") // identity: the end-of-stream sentinel batch
    private long handedOff(InputStream body, @Nullable Windows windows, long[] first) throws IOException {
        ArrayBlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(16);
        Reader reader = new Reader(queue);
        Thread producer = Thread.ofVirtual().name("step-producer").start(() -> {
            try {
                reader.read(body, windows, first);
            } catch (IOException | RuntimeException e) {
                reader.failure = e;
            } finally {
                FloorBenchClient.putUninterruptibly(queue, END);
            }
        });
        StringParts parts = new StringParts();
        try {
            for (Object[] batch = queue.take(); batch != END; batch = queue.take()) {
                for (Object item : batch) {
                    if (item == null) break;
                    parts.append(text((ContentBlockDelta) item));
                }
            }
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        FloorBenchClient.rethrow(reader.failure);
        return parts.toString().length();
    }

    private static String utf8(byte[] data, int offset, int length) {
        return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    private static String text(ContentBlockDelta event) {
        return switch (event.delta()) {
            case TextDelta t -> t.text();
            case InputJsonDelta j -> j.partialJson();
            default -> throw new IllegalStateException("not a delta the benchmark stream has: " + event);
        };
    }

    /**
     * The reading loop: 16 KiB reads fed to an {@link SseParser}; each delta's item put in the read's
     * array (null-terminated when not full), which is queued at the read's end.
     */
    private final class Reader implements SseListener, RawEventListener {
        private final ArrayBlockingQueue<Object[]> queue;
        private final byte[] prefix = tool ? TOOL : TEXT;
        private Object[] batch = new Object[256];
        private int count;
        volatile @Nullable Exception failure; // the reading loop's, read after it ended

        Reader(ArrayBlockingQueue<Object[]> queue) {
            this.queue = queue;
        }

        void read(InputStream body, @Nullable Windows windows, long[] first) throws IOException {
            SseParser parser = new SseParser(SseLimits.defaults(), this);
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                FloorBenchClient.stampFirstRead(first, n);
                parser.feed(buffer, 0, n);
                if (count > 0) {
                    FloorBenchClient.put(queue, batch);
                    batch = new Object[Math.max(256, count + 1)];
                    count = 0;
                }
                total += n;
                if (windows != null) windows.markBytes(total);
            }
            parser.finish();
        }

        @Override
        public boolean onRawEvent(String type, byte[] data, int offset, int length, @Nullable String lastEventId) {
            if (!"content_block_delta".equals(type)) {
                if (step == Step.CALL2) readWhole(type, data, offset, length);
                return true; // otherwise not read, as floor2 reads no other line
            }
            int start = offset + prefix.length;
            int end = offset + length - SUFFIX;
            if (end < start || Arrays.mismatch(data, offset, start, prefix, 0, prefix.length) >= 0) {
                if (step == Step.CALL2)
                    throw new IllegalStateException("not the benchmark's delta: " + utf8(data, offset, length));
                return true; // as floor2
            }
            if (step == Step.CALL2 && Arrays.mismatch(data, end, end + SUFFIX, CLOSE, 0, SUFFIX) >= 0) {
                throw new IllegalStateException("a delta not closed as the benchmark's: " + utf8(data, offset, length));
            }
            String value = Utf8JsonStrings.decode(data, start, end);
            if (value == null) throw new IllegalStateException("not a JSON string: " + utf8(data, offset, length));
            Object item = new ContentBlockDelta(0, tool ? new InputJsonDelta(value) : new TextDelta(value));
            if (count == batch.length) batch = Arrays.copyOf(batch, count * 2);
            batch[count++] = item;
            return true;
        }

        /** Reads an event's data whole as JSON and checks its type: {@code call2}'s part of each frame event. */
        private static void readWhole(String type, byte[] data, int offset, int length) {
            Object value = StrictJsonReader.read(utf8(data, offset, length));
            if (!(value instanceof Map<?, ?> object) || !type.equals(object.get("type"))) {
                throw new IllegalStateException(
                        "not a JSON object of type " + type + ": " + utf8(data, offset, length));
            }
        }

        @Override
        public void onEvent(SseEvent event) {
            // every event is taken raw
        }
    }

    @Override
    public void close() {
        raw.close();
    }
}
