/**
 * The AWS event stream format ({@code application/vnd.amazon.eventstream}), the binary framing Amazon
 * Bedrock streams its responses in: {@link dev.sluice.internal.low.eventstream.EventStreamDecoder}, a
 * push-based decoder of frames (both CRC32s checked, sizes bounded), and the
 * {@link dev.sluice.internal.low.eventstream.EventStreamMessage}s it gives, whose
 * {@link dev.sluice.internal.low.eventstream.HeaderValue}s are the format's nine header types. JDK only.
 *
 * <p>Not exported: nothing here appears in a public signature. Nulls: arguments are non-null unless
 * documented otherwise. Threading: a decoder is owned by the one thread that feeds it; messages and
 * header values are immutable (the payload array excepted: its reader must not change it; a decoded
 * message builds its header map and payload copy on first use).
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, beside {@code dev.sluice.sse} and
 * {@code dev.sluice.internal.low.sse}. It may use the JDK and {@code dev.sluice} (the exceptions),
 * nothing else; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.eventstream;

import org.jspecify.annotations.NullMarked;
