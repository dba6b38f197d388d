/**
 * The root of Sluice: the {@link dev.sluice.SluiceException} family that every layer throws.
 *
 * <p>Every exception Sluice throws to a user is unchecked and a subtype of
 * {@code SluiceException}; {@code IOException}s and parser exceptions appear only as causes.
 *
 * <p>The options and policies every client shares live in {@code dev.sluice.client}.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice;

import org.jspecify.annotations.NullMarked;
