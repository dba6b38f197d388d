package dev.sluice.internal.call.stream;

import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.SseDecoder;
import java.io.IOException;
import java.io.InputStream;

/**
 * How a streaming response's body is framed into the messages a {@link StreamProtocol} decodes: the
 * one seam between the bytes of a body and a provider's events. Each framing names the media type
 * the request asks for (and the response must have) and pumps a body into the call's
 * {@link HoldBackDecoder}, which applies the same hold-back, retry, in-band error and end-of-input
 * rules whatever the framing.
 */
public enum BodyFraming {
    /** Server-Sent Events ({@code text/event-stream}): each event to {@link StreamProtocol#decode(dev.sluice.sse.SseEvent, java.util.function.Consumer)}. */
    SERVER_SENT_EVENTS("text/event-stream") {
        @Override
        <E> void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out)
                throws IOException {
            SseDecoder.pump(body, limits, decoder, out);
        }
    },

    /**
     * AWS's binary event stream ({@code application/vnd.amazon.eventstream}, Bedrock's): each message
     * to {@link StreamProtocol#decode(dev.sluice.internal.low.eventstream.EventStreamMessage, java.util.function.Consumer)}.
     * Frames are bounded by {@link EventStreamDecoder#DEFAULT_MAX_FRAME_BYTES}; the stream's byte
     * limit applies as to SSE.
     */
    AWS_EVENT_STREAM("application/vnd.amazon.eventstream") {
        @Override
        <E> void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out)
                throws IOException {
            out.attach(body);
            boolean[] terminal = {false};
            EventStreamDecoder frames = new EventStreamDecoder(m -> {
                if (!terminal[0] && !out.isOver()) terminal[0] = decoder.decode(m);
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
    };

    /** The read size of a binary body. */
    static final int READ_SIZE = 16384;

    private final String mediaType;

    BodyFraming(String mediaType) {
        this.mediaType = mediaType;
    }

    /** {@return the media type asked for with {@code Accept} and required of the response} */
    public String mediaType() {
        return mediaType;
    }

    /**
     * Reads a body to its end, a terminal event, or the end of the stream, handing each message to
     * the decoder; the body is attached to the emitter first, so that a cancel closes it.
     *
     * @throws IOException when reading fails
     */
    abstract <E> void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out)
            throws IOException;
}
