package dev.sluice.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One tool call being run: the handler on its own virtual thread, and the {@link ToolContext} it
 * sees. The thread waits for the call's approval when it needs one (and reports the decision),
 * waits for a free place ({@code slots}), reports its start, runs the handler and reports the
 * outcome, all through {@link AgentLoop#post}; the loop decides what becomes of it.
 *
 * <p>The per-tool timeout counts the time without progress: the deadline is set when the handler
 * starts and moves to a timeout after each progress report, so a call that keeps reporting is never
 * timed out by the runner.
 *
 * <p>Threading: the final fields are set before the thread starts. {@code thread}, {@code cancelled},
 * {@code timed} and the start are volatile: written by the tool's thread (the start, once, before
 * it reports its start) or by any thread that cancels it, read by any. The deadline is written by
 * any thread that reports progress (it only ever moves later) and read by any, the loop's producer
 * among them. {@code began}, {@code done}, {@code startNanos} belong to the loop's producer thread.
 */
final class ToolExecution implements ToolContext, Runnable {
    private final AgentLoop loop;
    final AgentLoop.Turn owner;
    final int turn;
    final int index;
    final String id;
    final String name;
    final String arguments;
    private final Map<String, Object> parsed;
    private final ToolHandler handler;
    private final Semaphore slots;
    private final @Nullable Duration timeout;
    private final LongSupplier nanoTime;
    private final @Nullable CompletableFuture<ToolApprovals.Decision> approval;
    private final Duration approvalTimeout;

    private volatile @Nullable Thread thread;
    private volatile boolean cancelled;
    /** Whether {@link #cancel()} has interrupted the call's thread. */
    private final AtomicBoolean interrupted = new AtomicBoolean();

    private final AtomicLong deadlineNanos = new AtomicLong();
    private volatile boolean timed;
    private volatile boolean asking;
    private volatile long timedFromNanos;
    private volatile @Nullable Instant timedFrom;

    // --- the loop's producer thread
    boolean began;
    boolean done;
    long startNanos;

    ToolExecution(
            AgentLoop loop,
            AgentLoop.Turn owner,
            int turn,
            int index,
            String id,
            String name,
            String arguments,
            Map<String, Object> parsed,
            ToolHandler handler,
            Semaphore slots,
            @Nullable Duration timeout,
            LongSupplier nanoTime,
            @Nullable CompletableFuture<ToolApprovals.Decision> approval,
            Duration approvalTimeout) {
        this.loop = loop;
        this.owner = owner;
        this.turn = turn;
        this.index = index;
        this.id = id;
        this.name = name;
        this.arguments = arguments;
        this.parsed = parsed;
        this.handler = handler;
        this.slots = slots;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.approval = approval;
        this.approvalTimeout = approvalTimeout;
    }

    /** Starts the call's virtual thread. */
    void start() {
        thread = Thread.ofVirtual().name("sluice-tool-" + name + "-" + index).start(this);
    }

    @Override
    public void run() {
        if (approval != null) {
            ToolApprovals.Decision decision;
            try {
                if (cancelled) throw new InterruptedException();
                decision = ToolApprovals.await(approval, approvalTimeout);
            } catch (InterruptedException e) {
                ToolApprovals.end(approval);
                return; // cancelled while waiting for a decision: the loop is over
            }
            loop.post(new AgentLoop.Decided(this, decision));
            if (!decision.approved()) return;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            return; // cancelled while waiting for a place: the loop is over
        }
        try {
            if (cancelled) return;
            long start = nanoTime.getAsLong();
            if (timeout != null) {
                timedFromNanos = start;
                timedFrom = Instant.now();
                deadlineNanos.set(start + timeout.toNanos());
                timed = true;
            }
            loop.post(new AgentLoop.Began(this, start));
            String result;
            try {
                result = handler.call(parsed, this);
            } catch (Throwable e) {
                loop.post(new AgentLoop.Outcome(this, null, e, nanoTime.getAsLong()));
                return;
            }
            loop.post(new AgentLoop.Outcome(this, result, null, nanoTime.getAsLong()));
        } finally {
            slots.release();
        }
    }

    /**
     * Cancels the call: the flag the handler reads, and an interrupt of its thread, once (the run's
     * stop comes from the canceller and again from the loop's end: a second interrupt would cut
     * short what the handler does about the first, an MCP task's {@code tasks/cancel} being
     * written). Any thread, idempotent.
     */
    void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread() && interrupted.compareAndSet(false, true)) t.interrupt();
    }

    /** {@return whether the call has a deadline (it has started, and the runner has a per-tool timeout)} */
    boolean timed() {
        return timed;
    }

    /** {@return the deadline on the nano clock; meaningful when {@link #timed()}} */
    long deadlineNanos() {
        return deadlineNanos.get();
    }

    /** A progress report: the call gets a whole per-tool timeout again from now. */
    private void progressed() {
        Duration t = timeout; // set whenever timed is
        if (timed && !cancelled && t != null)
            deadlineNanos.accumulateAndGet(nanoTime.getAsLong() + t.toNanos(), Math::max);
    }

    /** {@return how long the call waits for approval} */
    Duration approvalTimeout() {
        return approvalTimeout;
    }

    /** Closes the call's approval to decisions, if it needs one; for a call that never starts. */
    void endApproval() {
        if (approval != null) ToolApprovals.end(approval);
    }

    /** {@return the per-tool timeout, or null} */
    @Nullable
    Duration timeout() {
        return timeout;
    }

    @Override
    public String callId() {
        return id;
    }

    @Override
    public String toolName() {
        return name;
    }

    @Override
    public void progress(String message) {
        Objects.requireNonNull(message, "message");
        progressed();
        if (!cancelled) loop.post(new AgentLoop.Progress(this, message, null, null, null));
    }

    @Override
    public void progress(String message, double percent) {
        Objects.requireNonNull(message, "message");
        if (!(percent >= 0 && percent <= 100))
            throw new IllegalArgumentException("percent must be within 0 to 100: " + percent);
        progressed();
        if (!cancelled) loop.post(new AgentLoop.Progress(this, message, percent, null, null));
    }

    @Override
    public void progress(String message, double progress, @Nullable Double total) {
        Objects.requireNonNull(message, "message");
        Double percent = percent(progress, total);
        progressed();
        if (!cancelled)
            loop.post(
                    new AgentLoop.Progress(this, message, percent, progress + 0.0, total == null ? null : total + 0.0));
    }

    /**
     * Checks an amount of progress against its total; see {@link ToolContext#progress(String, double, Double)}.
     *
     * @return the percent, or null when the total is unknown
     * @throws IllegalArgumentException if the numbers are out of range
     */
    static @Nullable Double percent(double progress, @Nullable Double total) {
        if (!Double.isFinite(progress) || progress < 0) {
            throw new IllegalArgumentException("progress must be a finite number not below 0: " + progress);
        }
        if (total == null) return null;
        if (!Double.isFinite(total) || total <= 0) {
            throw new IllegalArgumentException("total must be a finite number above 0, or null when unknown: " + total);
        }
        if (progress > total) {
            throw new IllegalArgumentException(
                    "progress " + progress + " is past the total " + total + ": report a larger total, or none");
        }
        return Math.min(100.0, 100.0 * progress / total) + 0.0;
    }

    @Override
    public void keepAlive() {
        progressed();
    }

    @Override
    public void task(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        ToolApprovals mailbox = loop.approvals();
        if (mailbox != null && !cancelled) mailbox.taskStarted(id, name, taskId);
    }

    @Override
    public Optional<Map<String, Object>> requestInput(String message, Map<String, Object> schema)
            throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(schema, "schema");
        ToolApprovals mailbox = loop.approvals();
        if (mailbox == null) {
            throw new UnsupportedOperationException("the run has no one to ask: it was started without ToolApprovals");
        }
        if (cancelled) throw new InterruptedException("the call was cancelled");
        CompletableFuture<ToolApprovals.Decision> answer = mailbox.open(id);
        asking = true;
        try {
            loop.post(new AgentLoop.Asked(this, message, Map.copyOf(schema)));
            ToolApprovals.Decision d = ToolApprovals.await(answer, approvalTimeout);
            if (d.timedOut()) {
                throw new UnsupportedOperationException("no one answered within " + AgentLoop.span(approvalTimeout));
            }
            if (d.unanswered()) {
                throw new UnsupportedOperationException(d.reason().isEmpty() ? "no one can answer" : d.reason());
            }
            Map<String, Object> content = d.content();
            return d.approved() ? Optional.of(content == null ? Map.of() : content) : Optional.empty();
        } finally {
            asking = false;
            Duration t = timeout;
            if (timed && t != null)
                deadlineNanos.set(nanoTime.getAsLong() + t.toNanos()); // a whole timeout after the answer
        }
    }

    /** {@return whether the call waits for a person's answer (its per-tool timeout does not run meanwhile)} */
    boolean asking() {
        return asking;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Optional<Instant> deadline() {
        Instant from = timedFrom; // set before timed
        if (!timed || from == null) return Optional.empty();
        return Optional.of(from.plusNanos(deadlineNanos.get() - timedFromNanos));
    }

    @Override
    public Optional<Duration> remaining() {
        if (!timed) return Optional.empty();
        return Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos.get() - nanoTime.getAsLong())));
    }

    @Override
    public String toString() {
        return "ToolExecution[" + name + " " + id + "]";
    }
}
