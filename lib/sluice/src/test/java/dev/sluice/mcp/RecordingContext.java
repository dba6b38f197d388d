package dev.sluice.mcp;

import dev.sluice.agent.ToolContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tool call's context that records the progress reported and can be cancelled. */
final class RecordingContext implements ToolContext {
    /** Each report: "MESSAGE" or "MESSAGE PERCENT%". */
    final List<String> progress = new CopyOnWriteArrayList<>();
    volatile boolean cancelled;

    @Override
    public String callId() {
        return "call-1";
    }

    @Override
    public String toolName() {
        return "tool";
    }

    @Override
    public void progress(String message) {
        progress.add(message);
    }

    @Override
    public void progress(String message, double percent) {
        progress.add(message + " " + Math.round(percent) + "%");
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> remaining() {
        return Optional.empty();
    }
}
