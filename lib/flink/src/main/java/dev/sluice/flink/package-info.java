/**
 * Sluice in Apache Flink (2.3, its APIs {@code provided}), two ways in:
 *
 * <ul>
 *   <li><b>Flink SQL</b>: the model provider {@code 'provider' = 'sluice'} for {@code CREATE MODEL}
 *       and {@code ML_PREDICT} ({@link dev.sluice.flink.SluiceModelProviderFactory}, its options in
 *       {@link dev.sluice.flink.SluiceModelOptions}): every provider and cloud Sluice speaks, with
 *       fallbacks, a row deadline kept below Flink's async timeout, text or typed OUTPUT columns, and
 *       {@code on-error} {@code fail} (the job fails with the row's message) or {@code null}.
 *       {@link dev.sluice.flink.SluicePredictFunction} is public only because Flink's generated code
 *       names it.</li>
 *   <li><b>DataStream</b>: {@link dev.sluice.flink.SluiceAsyncFunction} for {@code AsyncDataStream},
 *       from {@link dev.sluice.flink.Prompt}s to {@link dev.sluice.flink.Completion}s, its client
 *       described by a serializable {@link dev.sluice.flink.ClientSpec}.</li>
 * </ul>
 *
 * <p>Both share one client per configuration per task manager (per job's class loader): its
 * connections, rate limits and circuit breakers serve every subtask there, and the last subtask to
 * close closes it. A {@code ClientSpec} says which client, for both: the DataStream function's, and
 * each of a SQL model's targets' (the model, then its fallbacks, chained as the tool's
 * {@code --fallback} is, by {@link dev.sluice.providers.ProviderChain}). The SQL provider redacts
 * every key its clients hold, and its echoes, from a failed row's message (the job's failure or the
 * {@code error} column), as the core cleans what a server sends
 * ({@link dev.sluice.client.ClientOptions#redact}); a {@code ClientSpec}'s {@code toString()} hides
 * its key.
 *
 * <p>Nulls: no method accepts or returns null, except where a parameter or accessor says
 * {@code @Nullable} (an SQL row's NULL prompt is a failed row). Threading: Flink calls the
 * functions on its task thread; each record or row streams on a virtual thread of its own and
 * completes its result once; the shared clients are thread-safe. See each class.
 */
@NullMarked
package dev.sluice.flink;

import org.jspecify.annotations.NullMarked;
