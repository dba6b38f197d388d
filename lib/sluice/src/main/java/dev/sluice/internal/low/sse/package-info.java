/**
 * The byte-level hot path of Server-Sent Events, kept off the public interfaces: a parser's listener
 * may take an event's raw data bytes before any {@code String} is made (a stream's decoder does so
 * through {@code dev.sluice.stream.SseDecoder#decodeRaw}); and a response body may wait for its own
 * end after a stream's terminal event
 * ({@link dev.sluice.internal.low.sse.EndAwareBody}). JDK only.
 */
@NullMarked
package dev.sluice.internal.low.sse;

import org.jspecify.annotations.NullMarked;
