package dev.sluice.relay.protocol;

import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway's HTTP side needs of a front door's writer, whichever dialect it writes: OpenAI
 * Chat Completions ({@link GatewayWriter}), Anthropic Messages ({@link MessagesWriter}) or OpenAI
 * Responses ({@link ResponsesWriter}). A streaming writer writes nothing before the answer's first
 * content, so that a failure before it can still be answered with a status and the dialect's error
 * body ({@link #failure()}, {@link #status}, {@link #errorJson}); a collecting one holds the answer,
 * up to a bound, and writes it whole once the stream is done ({@link #writeCompletion}).
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
public sealed interface GatewayAnswerWriter extends RelayWriter permits FirstByteWriter {
    /** {@return whether anything was written to the response body (then its status is sent)} */
    boolean written();

    /**
     * {@return the stream's failure when it ended with {@code error} or {@code cancelled} before
     * anything was written, or a collected answer outgrew its bound
     * ({@value GatewayWriter#ANSWER_TOO_LARGE}): for the server to answer with {@link #status} and
     * {@link #errorJson}; empty otherwise}
     */
    Optional<RelayEvent.Error> failure();

    /** {@return the size in bytes of the whole answer, once a collecting writer got {@code done}; empty before} */
    OptionalLong completionLength();

    /**
     * Writes the whole answer, in UTF-8, once a collecting writer got {@code done}.
     *
     * @param body the response body; not closed
     * @throws IOException if the client is gone
     * @throws IllegalStateException before {@code done}
     */
    void writeCompletion(OutputStream body) throws IOException;

    /**
     * {@return the HTTP status of a failure before anything was written, as this dialect's API
     * answers it}
     *
     * @param failure the stream's {@code error}
     */
    int status(RelayEvent.Error failure);

    /**
     * {@return the body of a failure before anything was written, in this dialect's error shape}
     *
     * @param failure the stream's {@code error}
     */
    String errorJson(RelayEvent.Error failure);
}
