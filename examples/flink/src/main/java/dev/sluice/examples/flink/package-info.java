/**
 * Sluice on Apache Flink, the example job: {@link dev.sluice.examples.flink.PromptFanOutJob} streams one
 * prompt per record through {@code sluice-flink}'s {@code SluiceAsyncFunction}, with a client shared per
 * task manager, and emits a completion per record, failures included.
 *
 * <p>Nulls: none anywhere; absent text is the empty string. Threading: see each class.
 */
@NullMarked
package dev.sluice.examples.flink;

import org.jspecify.annotations.NullMarked;
