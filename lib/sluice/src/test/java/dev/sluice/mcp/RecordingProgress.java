package dev.sluice.mcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tool call's progress listener that records the reports, and a cancel signal for the call. */
final class RecordingProgress implements ProgressListener {
    /** Each report: "MESSAGE PROGRESS/TOTAL" ("PROGRESS/?" without a total). */
    final List<String> reports = new CopyOnWriteArrayList<>();

    volatile boolean cancelled;

    @Override
    public void progress(String message, double progress, Double total) {
        reports.add(message + " " + Math.round(progress) + "/" + (total == null ? "?" : Math.round(total)));
    }

    boolean cancelled() {
        return cancelled;
    }

    /** {@return the tool's result, called with this listener and cancel signal} */
    String call(McpTool tool, java.util.Map<String, Object> arguments) {
        return tool.call(arguments, this, this::cancelled);
    }
}
