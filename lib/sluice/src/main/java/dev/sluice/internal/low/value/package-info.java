/**
 * Immutable values shared instead of copied, not exported: what makes taking a snapshot of a
 * growing stream cost O(what changed) rather than O(what arrived).
 *
 * <ul>
 *   <li>{@link dev.sluice.internal.low.value.AppendOnlyText}: text that only grows, whose
 *       {@link dev.sluice.internal.low.value.AppendOnlyText#view() views} are immutable
 *       {@code CharSequence}s taken in O(1) and turned into a {@code String} once, on first read;
 *       for text appended a character at a time (a JSON string being read);
 *   <li>{@link dev.sluice.internal.low.value.StringParts}: the same for text appended as whole strings
 *       (a stream's deltas), which it keeps rather than copies, joining them once;
 *   <li>{@link dev.sluice.internal.low.value.AppendOnlyArray} and
 *       {@link dev.sluice.internal.low.value.AppendOnlyMembers}: the elements and members of a JSON
 *       array or object being read, whose views are immutable containers taken in O(1), so a
 *       snapshot of an open container of n members does not copy them;
 *   <li>{@link dev.sluice.internal.low.value.LazyList} and {@link dev.sluice.internal.low.value.Deferred}:
 *       an immutable list whose elements are built on first read, from immutable captures;
 *   <li>{@link dev.sluice.internal.low.value.ImmutableJsonObject} and
 *       {@link dev.sluice.internal.low.value.ImmutableJsonArray}: Sluice's own deeply immutable JSON
 *       containers, which {@code JsonValues} shares rather than deep-copies, and whose last value may
 *       be a string still being read, materialised on first access.
 * </ul>
 *
 * <p>Threading: every value here is immutable once built and may be read from any thread; an
 * {@code AppendOnlyText} or a {@code StringParts} itself is owned by one thread at a time (or
 * guarded by its owner's lock).
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>: it uses the JDK only; {@code LayeringTest}
 * checks it.
 */
@NullMarked
package dev.sluice.internal.low.value;

import org.jspecify.annotations.NullMarked;
