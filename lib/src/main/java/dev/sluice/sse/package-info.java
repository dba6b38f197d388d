/**
 * The Server-Sent Events format of the WHATWG HTML standard, with nothing about HTTP or language
 * models in it: an incremental byte-level {@link dev.sluice.sse.SseParser} and an
 * {@link dev.sluice.sse.SseWriter} that encodes events safely.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: a parser or writer is
 * used by one thread at a time; it is not thread-safe.
 */
package dev.sluice.sse;
