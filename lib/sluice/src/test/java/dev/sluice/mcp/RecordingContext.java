package dev.sluice.mcp;

import dev.sluice.agent.ToolContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tool call's context that records the progress reported and can be cancelled. */
final class RecordingContext implements ToolContext {
    /** Each report: "MESSAGE", "MESSAGE PERCENT%" or "MESSAGE PROGRESS/TOTAL" ("PROGRESS/?" without a total). */
    final List<String> reports = new CopyOnWriteArrayList<>();
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
        reports.add(message);
    }

    @Override
    public void progress(String message, double percent) {
        reports.add(message + " " + Math.round(percent) + "%");
    }

    @Override
    public void progress(String message, double progress, Double total) {
        reports.add(message + " " + Math.round(progress) + "/" + (total == null ? "?" : Math.round(total)));
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
