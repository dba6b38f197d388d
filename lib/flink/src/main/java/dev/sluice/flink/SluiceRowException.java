package dev.sluice.flink;

/**
 * A row of {@code ML_PREDICT} whose call failed after its retries and fallbacks, under
 * {@code 'on-error' = 'fail'}: it fails the job, as Flink's own providers do. The message names the
 * error and its request id; the keys are redacted from it, and the client's exception is not
 * chained (an upstream error body can echo the request's headers).
 *
 * <p>Why it is not a {@code SluiceException}, and not public: the family is sealed in the module
 * {@code dev.sluice}, and this artifact runs on Flink's class path, outside it, so it cannot join
 * the family; and no one catches it: it reaches the job's failure as Flink's
 * {@code SerializedThrowable}, its class name and message only. A job that wants a failed row's
 * message as data uses {@code 'on-error' = 'null'} and an {@code error} column.
 */
final class SluiceRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the failure, keys redacted
     */
    SluiceRowException(String message) {
        super(message);
    }
}
