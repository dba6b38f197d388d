/**
 * The Server-Sent Events format of the WHATWG HTML standard, with nothing about HTTP or language
 * models in it: an incremental byte-level {@link dev.sluice.sse.SseParser} and an
 * {@link dev.sluice.sse.SseWriter} that encodes events safely.
 *
 * <p>Threading: a parser or writer is
 * used by one thread at a time; it is not thread-safe.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.sse;

import org.jspecify.annotations.NullMarked;
