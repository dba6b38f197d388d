package dev.sluice.anthropic;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decoding of Anthropic Messages streams outside a live connection: one SSE event at a time
 * ({@link #decode}), or a whole captured response body ({@link #replay}), with the same decoder
 * and {@link MessageAccumulator} as a live stream.
 */
public final class AnthropicEvents {
    private static final AnthropicEventDecoder DECODER = new AnthropicEventDecoder();

    private AnthropicEvents() {}

    /**
     * Decodes one Server-Sent Event of a Messages stream. Unknown event, block and delta types
     * come back as {@link UnknownEvent}, {@link OtherBlock} and {@link UnknownDelta}; an
     * {@code error} event as an {@link ErrorEvent}.
     *
     * @throws dev.sluice.ProtocolException if the data is malformed JSON or of a shape the protocol
     *     does not allow; the message names the event type and shows the data, truncated
     * @throws NullPointerException if {@code event} is null
     */
    public static StreamEvent decode(SseEvent event) {
        return DECODER.decode(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads a captured streaming response body to its end or to {@code message_stop}, whichever
     * comes first, parsing it as Server-Sent Events ({@link SseLimits#defaults()}) fed
     * {@code readSize} bytes at a time, and returns the accumulated message.
     *
     * <p>Every failure carries the partial message accumulated before it, when
     * {@code message_start} had arrived ({@link SluiceException#partial(Class)} with
     * {@code Message.class}).
     *
     * @param body the body; read, not closed
     * @param readSize how many bytes to read and feed to the parser at a time
     * @return the complete message
     * @throws dev.sluice.ApiException if the stream carries an {@code error} event
     * @throws IncompleteStreamException if the body ends before {@code message_stop}
     * @throws dev.sluice.ProtocolException for malformed JSON or events in an impossible order
     * @throws dev.sluice.LimitExceededException if an SSE line or event exceeds the default limits
     * @throws TransportException if reading the body fails
     * @throws IllegalArgumentException if {@code readSize} is not positive
     */
    public static Message replay(InputStream body, int readSize) {
        Objects.requireNonNull(body, "body");
        if (readSize <= 0) throw new IllegalArgumentException("readSize must be positive: " + readSize);
        AnthropicStreamDecoding decoding = new AnthropicStreamDecoding(200);
        MessageAccumulator accumulator = new MessageAccumulator();
        SseParser parser = new SseParser(SseLimits.defaults(), new Replay(decoding, accumulator));
        try {
            byte[] buffer = new byte[readSize];
            int n;
            while (!decoding.stopped() && (n = body.readNBytes(buffer, 0, readSize)) > 0) {
                parser.feed(buffer, 0, n);
            }
            if (!decoding.stopped()) parser.finish();
            if (!decoding.stopped()) throw AnthropicStreamDecoding.incomplete();
            return accumulator.finish();
        } catch (SluiceException e) {
            throw e.initContext(null, accumulator.snapshot().orElse(null));
        } catch (IOException e) {
            throw new TransportException("reading the stream failed: " + e.getMessage(), e)
                    .initContext(null, accumulator.snapshot().orElse(null));
        }
    }

    /**
     * Decodes each event and adds it to the accumulator, up to {@code message_stop}. A class, not a
     * lambda: the client's warm-up replays a stream, and a fresh JVM links each lambda it runs.
     */
    private static final class Replay implements SseListener {
        private final AnthropicStreamDecoding decoding;
        private final MessageAccumulator accumulator;

        Replay(AnthropicStreamDecoding decoding, MessageAccumulator accumulator) {
            this.decoding = decoding;
            this.accumulator = accumulator;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (decoding.stopped()) return;      // anything after message_stop is not part of the message
            accumulator.accept(decoding.decode(event));
        }

        /** The live stream's hot path: the compact events straight from their bytes, the rest as SseEvents. */
        @Override
        public boolean onEvent(String type, byte[] data, int offset, int length, String lastEventId) {
            if (decoding.stopped()) return true;
            StreamEvent event = decoding.decodeBytes(type, data, offset, length);
            if (event == null) return false;
            accumulator.accept(event);
            return true;
        }
    }
}
