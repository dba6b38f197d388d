package dev.sluice.benchmarks;

/**
 * A {@link BenchClient} whose stream a caller can cancel by its framework's own means, for the
 * cancel-to-close trials ({@link CancelTrials}).
 */
interface CancellableBenchClient extends BenchClient {

    /**
     * Starts one stream and returns at once; the stream goes on on the framework's threads.
     *
     * @param onPartial called for every partial answer (text delta) the caller is given, on the
     *     thread that gives it
     * @return the running stream
     */
    Running start(Runnable onPartial);

    /** One stream started by {@link #start}. */
    interface Running {
        /** Cancels the stream as a caller of the framework does; returns without waiting. */
        void cancel();
    }
}
