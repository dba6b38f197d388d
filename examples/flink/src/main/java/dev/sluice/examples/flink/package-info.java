/**
 * Sluice on Apache Flink: {@link dev.sluice.examples.flink.SluiceAsyncFunction} streams one
 * {@link dev.sluice.examples.flink.Prompt} per record through a client shared per task manager
 * ({@link dev.sluice.examples.flink.ClientSpec}) and emits a
 * {@link dev.sluice.examples.flink.Completion} per record, failures included.
 *
 * <p>Nulls: none anywhere; absent text is the empty string. Threading: see each class.
 */
package dev.sluice.examples.flink;
