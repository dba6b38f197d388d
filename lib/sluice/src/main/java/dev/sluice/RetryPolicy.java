package dev.sluice;

/**
 * The name {@code RetryPolicy} had in 0.3, kept for one release only so that code written against
 * 0.3 (such as the SDK-fixture probe's {@code builder().retryPolicy(RetryPolicy.none())}) still
 * compiles: a client builder's deprecated {@code retryPolicy(..)} overload takes it. The policy is
 * {@link dev.sluice.client.RetryPolicy} now.
 *
 * @deprecated use {@link dev.sluice.client.RetryPolicy}
 */
@Deprecated(since = "0.4", forRemoval = true)
public final class RetryPolicy {
    private static final RetryPolicy NONE = new RetryPolicy(0);
    private static final RetryPolicy DEFAULTS = new RetryPolicy(2);

    private final int maxRetries;

    private RetryPolicy(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    /** {@return the default policy with retries disabled} */
    public static RetryPolicy none() {
        return NONE;
    }

    /** {@return the default policy: 2 retries} */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** {@return how many times a failed opening is retried} */
    public int maxRetries() {
        return maxRetries;
    }
}
