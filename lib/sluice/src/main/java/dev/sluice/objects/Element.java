package dev.sluice.objects;

/**
 * One element of an array in a streamed object, handed out by {@link ObjectStream#elements} once it
 * is complete.
 *
 * @param index its index in the array, from 0
 * @param value the element, as the type asked for
 * @param attempt the answer it belongs to: 0, and one more after each restart of a fallback chain
 *     ({@link Partial#attempt()}); a restarted answer hands its elements out again from index 0
 * @param <E> the element type
 */
public record Element<E>(int index, E value, int attempt) {}
