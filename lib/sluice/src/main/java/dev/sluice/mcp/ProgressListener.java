package dev.sluice.mcp;

import org.jspecify.annotations.Nullable;

/**
 * Receives the progress of one tool call as the server reports it ({@code notifications/progress}
 * with that call's progress token). Called on the thread that made the call, between the call's
 * start and its end, once per notification, in the server's order.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that drops every report. */
    ProgressListener NONE = (message, progress, total) -> {};

    /**
     * Takes one progress report.
     *
     * @param message what the server says is happening; {@code ""} when it says nothing
     * @param progress how much is done, in the tool's own unit; finite and not negative
     * @param total how much there is to do, in the same unit, not less than {@code progress}; null
     *     when the server does not say
     */
    void progress(String message, double progress, @Nullable Double total);
}
