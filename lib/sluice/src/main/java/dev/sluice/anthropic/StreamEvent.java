package dev.sluice.anthropic;

/**
 * One event of an Anthropic Messages stream, decoded from its Server-Sent Event. The permitted
 * types are the table of contents of the protocol:
 *
 * <ul>
 *   <li>{@link MessageStart} — the message with its id, model and initial usage;
 *   <li>{@link ContentBlockStart}, {@link ContentBlockDelta}, {@link ContentBlockStop} — one content
 *       block, built up from deltas;
 *   <li>{@link MessageDelta} — stop reason, stop sequence and cumulative usage near the end;
 *   <li>{@link MessageStop} — the end of the message;
 *   <li>{@link Ping} — a keep-alive;
 *   <li>{@link ErrorEvent} — an error reported inside the stream (a stream client turns it into
 *       a {@link dev.sluice.ApiException});
 *   <li>{@link UnknownEvent} — an event type this version does not know, kept with its raw JSON.
 * </ul>
 *
 * <p>A {@code switch} over events should have a {@code default} branch or handle
 * {@link UnknownEvent}: the API adds event types, and a new type never breaks a stream.
 * {@link MessageAccumulator} turns the events into a {@link Message}.
 */
public sealed interface StreamEvent
        permits MessageStart,
                ContentBlockStart,
                ContentBlockDelta,
                ContentBlockStop,
                MessageDelta,
                MessageStop,
                Ping,
                ErrorEvent,
                UnknownEvent {

    /** {@return the event's wire type, such as {@code content_block_delta}} */
    String type();
}
