package dev.sluice.internal.call.stream;

import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * How a streaming response's body is framed, and how each of its messages decodes into a
 * provider's events: the one seam between the bytes of a body and the events that its
 * {@link StreamRules} judge. A route chooses the framing; the rules are its provider family's,
 * whatever the framing. Sealed: {@link SseFraming} (Server-Sent Events) or
 * {@link EventStreamFraming} (AWS's binary event stream). Each names the media type the request
 * asks for (and the response must have) and pumps a body into the call's {@link HoldBackDecoder},
 * which applies the same hold-back, retry, in-band error and end-of-input rules whatever the framing.
 * A framing with no method for another framing's messages: nothing to leave throwing.
 *
 * <p>Implementations are thread-safe: one instance serves every stream of a client (one that
 * stamps events with a clock reads it per event).
 *
 * @param <E> the provider's event type
 */
public abstract sealed class BodyFraming<E> permits SseFraming, EventStreamFraming {
    private final String mediaType;

    BodyFraming(String mediaType) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    }

    /** {@return the media type asked for with {@code Accept} and required of the response} */
    public final String mediaType() {
        return mediaType;
    }

    /**
     * Reads a body to its end, a terminal event, or the end of the stream, handing each message to
     * the decoder; the body is attached to the emitter first, so that a cancel closes it.
     *
     * @throws IOException when reading fails
     */
    abstract void pump(InputStream body, SseLimits limits, HoldBackDecoder<E> decoder, Emitter<E> out)
            throws IOException;
}
