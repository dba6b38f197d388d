package dev.sluice.stream;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Turns Server-Sent Events into a stream's items, for {@link EventStream.Builder#fromSse}. Runs on
 * the producer thread; one decoder serves one stream.
 *
 * <p>A service-provider interface: users implement it, Sluice calls it. Compatibility rule: only
 * {@link #decode(SseEvent, Emitter)} is abstract, and methods added later will be default methods
 * that keep today's behaviour. A decoder that reads the data's bytes itself implements
 * {@link #decodeRaw} too: the parser then offers it each event's bytes before it makes the event's
 * {@code String}; Sluice's own decoders take the same path.
 *
 * @param <T> the item type
 */
public interface SseDecoder<T> {

    /**
     * Decodes one event into zero or more items, emitted through {@code out}
     * ({@link Emitter#emitUncounted} for keep-alives). May throw a
     * {@link dev.sluice.SluiceException} (for example a {@link dev.sluice.ProtocolException} for
     * malformed data, or an {@link dev.sluice.ApiException} for an error event): the stream then
     * fails with it, after the items emitted before.
     *
     * @param event the event
     * @param out where the items go
     * @return true when this event ends the stream (a terminal event such as {@code message_stop})
     */
    boolean decode(SseEvent event, Emitter<T> out);

    /** What {@link #decodeRaw} did with an event. */
    enum RawOutcome {
        /** Not handled: the event goes to {@link #decode(SseEvent, Emitter)} as an {@link SseEvent}. */
        DECLINED,
        /** Handled; the stream goes on. */
        CONTINUE,
        /** Handled; the event ends the stream (as {@code decode} returning true). */
        TERMINAL
    }

    /**
     * Decodes one event from its raw data, before the parser makes its {@link SseEvent}: the fast
     * path of a decoder that reads the bytes itself (straight into its items, without the data's
     * {@code String}). It must give the items {@link #decode(SseEvent, Emitter)} would give for the
     * same event, and decline what it does not fully handle, which then goes to {@code decode}. May
     * throw as {@code decode} may. By default every event is declined.
     *
     * <p>{@code data[offset, offset + length)} is the event's data exactly as received: its
     * {@code data} lines' values joined with LF, in UTF-8 as sent and not checked (the
     * {@code SseEvent} form replaces invalid UTF-8 by the WHATWG rules: a decoder that cannot do the
     * same declines non-ASCII data). The array is the parser's or the read's buffer: read it during
     * the call only, never keep it.
     *
     * @param type the event type
     * @param data the buffer holding the data
     * @param offset where the data starts
     * @param length the number of data bytes
     * @param lastEventId the last event ID in effect, as {@link SseEvent#lastEventId()}; null when none
     * @param out where the items go
     * @return what was done with the event
     */
    default RawOutcome decodeRaw(
            String type, byte[] data, int offset, int length, @Nullable String lastEventId, Emitter<T> out) {
        return RawOutcome.DECLINED;
    }

    /**
     * {@return whether this decoder wants the events a body sends after its terminal event} When
     * true, {@link #pump} hands each of them to {@link #decodeAfterTerminal} while it reads the rest
     * of the body to its end (at most a second and 64 KiB, after the stream has completed; OpenAI's
     * Responses API sends {@code response.rate_limits.updated} there). By default false: the rest of
     * the body is dropped unparsed.
     */
    default boolean wantsEventsAfterTerminal() {
        return false;
    }

    /**
     * Takes one event a body sent after the terminal event, when {@link #wantsEventsAfterTerminal()};
     * on the producer thread, after the stream has completed, so nothing goes to the stream. What it
     * throws is logged at DEBUG and ends the parsing of the rest of the body (which is still read to
     * its end), never the stream. By default nothing is done.
     *
     * @param event the event
     */
    default void decodeAfterTerminal(SseEvent event) {}

    /**
     * Reads a response body of Server-Sent Events into a producer's emitter, through a decoder:
     * what {@link EventStream.Builder#fromSse} runs as a stream's whole producer. A {@link Producer}
     * that gets its bodies itself (reopening a request, say) calls it on each. Reads of up to 16 KiB
     * go to an {@link SseParser} with {@code limits}; each event to {@code decoder}; the bytes to
     * {@link Emitter#bytesRead}. The body is {@linkplain Emitter#attach attached} first, so a cancel
     * or timeout closes it. Returns at a terminal event (closing the body; a body of Sluice's own
     * HTTP transport is first given up to a second to reach its end, after the stream has
     * completed, so that its connection is kept for the next request), at the end of the body
     * (after {@link #endOfInput()}), or as soon as the stream is over.
     *
     * @param body the response body
     * @param limits the parser's limits
     * @param decoder turns events into items
     * @param out the stream's emitter
     * @param <T> the item type
     * @throws IOException when reading the body fails (a {@link dev.sluice.TransportException} for
     *     the stream, unless it is over already)
     * @throws dev.sluice.LimitExceededException when a parser limit or the byte limit is exceeded
     */
    static <T> void pump(InputStream body, SseLimits limits, SseDecoder<T> decoder, Emitter<T> out) throws IOException {
        SseSource.pump(body, limits, decoder, out);
    }

    /**
     * Called when the body ended without a terminal event. By default the stream completes
     * normally; throw (for example an {@link dev.sluice.IncompleteStreamException}) to fail it.
     */
    default void endOfInput() {}
}
