package dev.sluice.internal.call.stream;

import dev.sluice.internal.low.aws.AwsJsonErrors;
import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import dev.sluice.internal.low.eventstream.EventStreamMessage;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A body of AWS's binary event stream ({@code application/vnd.amazon.eventstream}, Bedrock's): each
 * event message decodes into zero or more of the provider's events. An exception or error frame is
 * the framing's own in-band error, whatever the events ({@link AwsJsonErrors#frame}, retryable before
 * content when {@link AwsJsonErrors#RETRYABLE_FRAMES} names it): the call reads it, and it never
 * reaches {@link #decode}. Frames are bounded by {@link EventStreamDecoder#DEFAULT_MAX_FRAME_BYTES};
 * the stream's byte limit applies as to Server-Sent Events, and a message's payload counts toward
 * the held-back bound as an event's data does.
 *
 * @param <E> the provider's event type
 */
public abstract non-sealed class EventStreamFraming<E> extends BodyFraming<E> {
    /** The read size of a binary body. */
    static final int READ_SIZE = 16384;

    /** For subclasses. */
    protected EventStreamFraming() {
        super("application/vnd.amazon.eventstream");
    }

    /**
     * Decodes one event message (never an exception or error frame) into zero or more events,
     * handed to {@code out} in order.
     *
     * @throws dev.sluice.ProtocolException if the message is malformed
     */
    public abstract void decode(EventStreamMessage message, Consumer<? super E> out);

    @Override
    final void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out) throws IOException {
        out.attach(body);
        boolean[] terminal = {false};
        EventStreamDecoder frames = new EventStreamDecoder(m -> {
            if (!terminal[0] && !out.isOver()) terminal[0] = decoder.decode(this, m);
        });
        byte[] buffer = new byte[READ_SIZE];
        while (!out.isOver()) {
            int n = body.read(buffer);
            if (n < 0) {
                frames.finish();
                if (!terminal[0] && !out.isOver()) decoder.endOfInput();
                return;
            }
            if (n == 0) continue;
            out.bytesRead(n);
            frames.feed(buffer, 0, n);
            if (terminal[0]) {
                body.close();
                return;
            }
        }
    }
}
