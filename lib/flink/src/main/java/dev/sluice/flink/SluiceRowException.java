package dev.sluice.flink;

/**
 * A row of {@code ML_PREDICT} whose call failed after its retries and fallbacks, under
 * {@code 'on-error' = 'fail'}: it fails the job, as Flink's own providers do. The message names the
 * error and its request id; the keys are masked out of it, and the client's exception is not
 * chained (an upstream error body can echo the request's headers).
 */
public final class SluiceRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the failure, keys masked
     */
    public SluiceRowException(String message) {
        super(message);
    }
}
