/**
 * The root of Sluice: the {@link dev.sluice.SluiceException} family that every layer throws.
 *
 * <p>Every exception Sluice throws to a user is unchecked and a subtype of
 * {@code SluiceException}; {@code IOException}s and parser exceptions appear only as causes.
 * Arguments are non-null unless documented otherwise; a null throws
 * {@code NullPointerException}.
 */
package dev.sluice;
