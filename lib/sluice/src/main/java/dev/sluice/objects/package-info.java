/**
 * Typed partial objects: a model's structured answer, streamed as an object that fills in.
 *
 * <ul>
 *   <li>{@link dev.sluice.objects.ObjectStream}: the entry point, from any
 *       {@link dev.sluice.chat.ChatProvider}: the partials as they grow, the latest from any
 *       thread, the final validated value, the elements of an array as they complete;</li>
 *   <li>{@link dev.sluice.objects.Partial}: the object as far as it arrived, each value absent,
 *       streaming or complete, read by path and type; it only ever grows;</li>
 *   <li>{@link dev.sluice.objects.ObjectSchema}: the JSON Schema, generated from a record (what
 *       maps to what is its table) or given as JSON; validation and binding;</li>
 *   <li>{@link dev.sluice.objects.Description}: a description for the model, on a record, an enum
 *       or a component.</li>
 * </ul>
 *
 * <p>Failures are {@link dev.sluice.ObjectException}s (truncated, refused, invalid JSON, schema
 * mismatch) or the model's stream's own {@link dev.sluice.SluiceException}s.
 *
 * <p>Nulls: arguments are non-null; absent values are empty {@code Optional}s and empty lists.
 * Threading: schemas and partials are immutable and thread-safe; a stream is read by one consumer
 * thread at a time, its {@code latest()} and {@code close()} by any.
 *
 * <p>Layer: above {@code dev.sluice.chat}, which it uses through {@code ChatProvider} only, with
 * {@code stream}, {@code client} and the low internal values; nothing below imports it.
 */
@NullMarked
package dev.sluice.objects;

import org.jspecify.annotations.NullMarked;
