package dev.sluice.relay.redis;

import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A relay source the test feeds event by event; {@link #end()} completes it. Records a cancel, and
 * the decisions of the calls it asked approval for ({@link #ask}) and the answers to its tools'
 * questions ({@link #question}).
 */
final class ScriptedSource implements RelaySource {
    private static final RelayEvent END = new RelayEvent.Cancelled("end of script");
    private final LinkedBlockingQueue<RelayEvent> queue = new LinkedBlockingQueue<>();
    final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile boolean stop;
    private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();
    /** The decisions it got: call id to approved and reason. */
    final Map<String, String> decisions = new ConcurrentHashMap<>();

    /** Asks approval for a call: {@code tool_approval}, and the call waits for {@link #approve}. */
    void ask(String callId, String name, String arguments) {
        waiting.put(callId, true);
        queue.add(new RelayEvent.ToolApproval(callId, name, arguments));
    }

    @Override
    public boolean approve(String callId, boolean approved, String reason) {
        if (waiting.remove(callId) == null) return false;
        decisions.put(callId, approved + " " + reason);
        queue.add(new RelayEvent.ToolApprovalDecided(callId, approved, reason));
        return true;
    }

    /** A running tool asks a question: {@code tool_input}, and the call waits for {@link #answer}. */
    void question(String callId, String name, String message) {
        waiting.put(callId, true);
        queue.add(new RelayEvent.ToolInput(
                callId, name, message, "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
    }

    @Override
    public boolean answer(String callId, Map<String, Object> content) {
        if (waiting.remove(callId) == null) return false;
        decisions.put(callId, "answer " + new java.util.TreeMap<>(content));
        return true;
    }

    /** The call's tool ended: {@code tool_done}. */
    void done(String callId, String result) {
        waiting.remove(callId);
        queue.add(new RelayEvent.ToolDone(callId, result));
    }

    void delta(String text) {
        queue.add(new RelayEvent.Delta(text));
    }

    void end() {
        queue.add(END);
    }

    @Override
    public Optional<RelayEvent> next() {
        try {
            while (!stop) {
                RelayEvent e = queue.poll(20, TimeUnit.MILLISECONDS);
                if (e == END) return Optional.empty();
                if (e != null) return Optional.of(e);
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void cancel(String reason) {
        stop = true;
        cancelled.countDown();
    }

    @Override
    public void close() {
        stop = true;
    }
}
