package dev.sluice.openai;

import dev.sluice.chat.PartialJson;
import dev.sluice.client.Accumulator;
import dev.sluice.internal.low.value.Deferred;
import dev.sluice.internal.low.value.LazyList;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.internal.low.value.TextView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link Response} of a Responses API stream from its events:
 *
 * <ul>
 *   <li>id, model, status, creation time, background flag, usage, incomplete reason and error: from
 *       the latest lifecycle event's response object;
 *   <li>output items by {@code output_index}: started by {@code response.output_item.added}; a
 *       message's parts by {@code content_index} (output text and refusals appended delta by
 *       delta, replaced by their {@code .done} text); a function call's arguments appended to an
 *       incremental {@link PartialJson}, so {@link #snapshot()} shows the best-effort value while
 *       they stream, and {@link #result()} parses them to the end and says in
 *       {@link ResponseOutputItem.FunctionCall#argumentsError()} when they are not a valid JSON
 *       object (never throwing); reasoning summaries appended by {@code summary_index}; a custom
 *       tool call's input, a shell call's commands (by {@code command_index}) and an apply-patch
 *       call's diff appended delta by delta, replaced by their {@code .done} text; an item's
 *       {@code response.output_item.done} replaces what the deltas built;
 *   <li>the terminal event ({@code response.completed}, {@code .incomplete}, {@code .failed}): its
 *       response object is the result (its output when it has one, else the output built here).
 *       Events after it change nothing: they are ignored, not an error;
 *   <li>unknown, error, keep-alive, rate-limit and MCP progress events change nothing, beyond the
 *       last sequence number (an MCP call's arguments come whole with its {@code output_item.done});
 *       the latest {@code response.rate_limits.updated} is kept apart, also one after the terminal
 *       event, where OpenAI sends it ({@link #rateLimitsUpdated()}).
 * </ul>
 *
 * <p>The accumulator also tracks the last {@code sequence_number} it accepted, which a cut-off
 * background stream is resumed after ({@link Responses#resume(ResponseStream)}).
 *
 * <p>Threading: one thread at a time calls {@link #accept}; any thread may call {@link #snapshot()},
 * {@link #isComplete()} and {@link #result()} meanwhile and gets a consistent response (taken between two events). A
 * lock guards all state.
 *
 * <p>Cost: a {@link #snapshot()} costs O(output items), not O(what arrived): texts and arguments are
 * held as immutable views of append-only storage, and an item still streaming is built only when
 * the snapshot's {@code output().get(i)} (or iteration, {@code equals}, {@code toString}) first
 * reads it, then kept; reading it costs its strings' length once.
 */
public final class ResponseAccumulator implements Accumulator<ResponseStreamEvent, Response> {
    // Guarded by lock: everything below.
    private final ReentrantLock lock = new ReentrantLock();
    private Response latest = new Response("", "", "", 0, false, List.of(), null, null, null);
    private @Nullable Response terminal;
    private final TreeMap<Integer, ItemState> items = new TreeMap<>();
    private long lastSequenceNumber = -1;
    private @Nullable Response finished;
    // Written by accept and by the stream's producer after the terminal event; read by any thread.
    private volatile @Nullable ReportedLimits rateLimits;

    /** A {@code response.rate_limits.updated} and when it arrived (the base of its relative resets). */
    record ReportedLimits(ResponseStreamEvent.RateLimitsUpdated event, Instant at) {}

    /** Creates an accumulator that has seen no event. */
    public ResponseAccumulator() {}

    /**
     * Applies one event; an event after the terminal one is ignored.
     *
     * @param event the event
     * @throws NullPointerException if event is null
     */
    @Override
    public void accept(ResponseStreamEvent event) {
        Objects.requireNonNull(event, "event");
        lock.lock();
        try {
            if (terminal != null) {
                if (event instanceof ResponseStreamEvent.RateLimitsUpdated r) reportRateLimits(r);
                return;
            }
            if (event.sequenceNumber() > lastSequenceNumber) lastSequenceNumber = event.sequenceNumber();
            apply(event);
        } finally {
            lock.unlock();
        }
    }

    private void apply(ResponseStreamEvent event) {
        switch (event) {
            case ResponseStreamEvent.Lifecycle l -> {
                latest = l.response();
                if (l.isTerminal()) terminal = l.response();
            }
            case ResponseStreamEvent.OutputItemAdded a -> items.put(a.outputIndex(), new ItemState(a.item()));
            case ResponseStreamEvent.OutputItemDone d ->
                items.computeIfAbsent(d.outputIndex(), i -> new ItemState(d.item())).done = d.item();
            case ResponseStreamEvent.ContentPart p -> {
                PartState part = message(p.outputIndex(), p.itemId())
                        .part(p.contentIndex(), p.part().type());
                if (p.type().endsWith(".done")) part.replace(p.part().text());
                part.annotations = p.part().annotations();
            }
            case ResponseStreamEvent.OutputTextDelta d ->
                message(d.outputIndex(), d.itemId())
                        .part(d.contentIndex(), "output_text")
                        .text
                        .append(d.delta());
            case ResponseStreamEvent.OutputTextDone d ->
                message(d.outputIndex(), d.itemId())
                        .part(d.contentIndex(), "output_text")
                        .replace(d.text());
            case ResponseStreamEvent.RefusalDelta d ->
                message(d.outputIndex(), d.itemId())
                        .part(d.contentIndex(), "refusal")
                        .text
                        .append(d.delta());
            case ResponseStreamEvent.RefusalDone d ->
                message(d.outputIndex(), d.itemId())
                        .part(d.contentIndex(), "refusal")
                        .replace(d.refusal());
            case ResponseStreamEvent.FunctionCallArgumentsDelta d ->
                call(d.outputIndex(), d.itemId()).appendArguments(d.delta());
            case ResponseStreamEvent.FunctionCallArgumentsDone d -> {
                ItemState call = call(d.outputIndex(), d.itemId());
                call.arguments = new PartialJson();
                call.appendArguments(d.arguments());
            }
            case ResponseStreamEvent.ReasoningSummaryTextDelta d ->
                reasoning(d.outputIndex(), d.itemId()).summary(d.summaryIndex()).append(d.delta());
            case ResponseStreamEvent.ReasoningSummaryTextDone d -> {
                StringParts s = reasoning(d.outputIndex(), d.itemId()).summary(d.summaryIndex());
                s.clear();
                s.append(d.text());
            }
            case ResponseStreamEvent.CustomToolCallInputDelta d ->
                custom(d.outputIndex(), d.itemId()).input.append(d.delta());
            case ResponseStreamEvent.CustomToolCallInputDone d -> {
                StringParts input = custom(d.outputIndex(), d.itemId()).input;
                input.clear();
                input.append(d.input());
            }
            case ResponseStreamEvent.ShellCallCommand c -> {
                ItemState shell = items.get(c.outputIndex());
                if (shell != null && shell.started instanceof ResponseOutputItem.ShellCall) {
                    StringParts command = shell.summary(c.commandIndex());
                    if (!c.isDelta()) command.clear();
                    command.append(c.text());
                }
            }
            case ResponseStreamEvent.ApplyPatchDiff d -> {
                ItemState patch = items.get(d.outputIndex());
                if (patch != null && patch.started instanceof ResponseOutputItem.ApplyPatchCall) {
                    if (!d.isDelta()) patch.input.clear();
                    patch.input.append(d.text());
                }
            }
            case ResponseStreamEvent.McpCallArguments a -> {} // the mcp_call item's output_item.done carries them whole
            case ResponseStreamEvent.McpProgress p -> {}
            case ResponseStreamEvent.RateLimitsUpdated r -> reportRateLimits(r);
            case ResponseStreamEvent.Keepalive k -> {}
            case ResponseStreamEvent.Error e -> {}
            case ResponseStreamEvent.Unknown u -> {}
        }
    }

    private ItemState message(int index, String id) {
        return items.computeIfAbsent(
                index, i -> new ItemState(new ResponseOutputItem.Message(id, "assistant", "", List.of())));
    }

    private ItemState call(int index, String id) {
        return items.computeIfAbsent(
                index, i -> new ItemState(new ResponseOutputItem.FunctionCall(id, "", "", "", "", null, null)));
    }

    private ItemState custom(int index, String id) {
        return items.computeIfAbsent(
                index, i -> new ItemState(new ResponseOutputItem.CustomToolCall(id, "", "", "", null)));
    }

    private ItemState reasoning(int index, String id) {
        return items.computeIfAbsent(index, i -> new ItemState(new ResponseOutputItem.Reasoning(id, List.of(), null)));
    }

    /** {@return the response built from the events accepted so far} Immutable; any thread. */
    @Override
    public Response snapshot() {
        lock.lock();
        try {
            return finished != null ? finished : build(false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the complete response, function-call arguments parsed to the end} The same response
     * on every call.
     *
     * @throws IllegalStateException if the terminal event has not been accepted; {@link #snapshot()}
     *     has the partial response
     */
    @Override
    public Response result() {
        lock.lock();
        try {
            if (terminal == null) {
                throw new IllegalStateException(
                        "the response is not complete: its terminal event has not arrived; use snapshot() for the partial response");
            }
            if (finished == null) finished = build(true);
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps a {@code response.rate_limits.updated} as the latest report, and nothing else: what a
     * stream reads after its terminal event, on its producer thread, while its consumer may still be
     * accepting the events before. Any thread.
     */
    void reportRateLimits(ResponseStreamEvent.RateLimitsUpdated event) {
        rateLimits = new ReportedLimits(Objects.requireNonNull(event, "event"), Instant.now());
    }

    /**
     * {@return the latest {@code response.rate_limits.updated} accepted, before or after the terminal
     * event, when one was} Any thread.
     */
    public Optional<ResponseStreamEvent.RateLimitsUpdated> rateLimitsUpdated() {
        ReportedLimits r = rateLimits;
        return r == null ? Optional.empty() : Optional.of(r.event());
    }

    /** {@return the latest rate-limit report with its arrival, or null} Any thread. */
    @Nullable
    ReportedLimits reportedLimits() {
        return rateLimits;
    }

    /** {@return the highest {@code sequence_number} accepted, or -1 when none was} */
    public long lastSequenceNumber() {
        lock.lock();
        try {
            return lastSequenceNumber;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the terminal event ({@code response.completed}, {@code .incomplete}, {@code .failed}) was accepted} */
    @Override
    public boolean isComplete() {
        lock.lock();
        try {
            return terminal != null;
        } finally {
            lock.unlock();
        }
    }

    private Response build(boolean finish) {
        Response base = terminal != null ? terminal : latest;
        if (terminal != null && !terminal.output().isEmpty()) return terminal;
        Object[] output = new Object[items.size()];
        int i = 0;
        for (ItemState s : items.values()) output[i++] = finish || s.done != null ? s.build(true) : s.deferred();
        return new Response(
                base.id(),
                base.model(),
                base.status(),
                base.createdAt(),
                base.background(),
                LazyList.wrap(output),
                base.usage(),
                base.incompleteReason(),
                base.error());
    }

    @Override
    public String toString() {
        Response r = snapshot();
        return "ResponseAccumulator[id=" + r.id() + ", status=" + r.status() + ", "
                + r.output().size() + " output items, last sequence number " + lastSequenceNumber() + "]";
    }

    /** One output item as it builds; guarded by the accumulator's lock. */
    private static final class ItemState {
        final ResponseOutputItem started;

        @Nullable
        ResponseOutputItem done;

        final TreeMap<Integer, PartState> parts = new TreeMap<>();
        final TreeMap<Integer, StringParts> summary = new TreeMap<>();
        PartialJson arguments = new PartialJson();
        /** A custom tool call's input, an apply-patch call's diff; a shell call's commands are in {@link #summary}. */
        final StringParts input = new StringParts();

        ItemState(ResponseOutputItem started) {
            this.started = started;
            if (started instanceof ResponseOutputItem.Message m) {
                for (int i = 0; i < m.content().size(); i++) {
                    PartState p = new PartState(m.content().get(i).type());
                    p.text.append(m.content().get(i).text());
                    parts.put(i, p);
                }
            } else if (started instanceof ResponseOutputItem.FunctionCall f) {
                appendArguments(f.arguments());
            } else if (started instanceof ResponseOutputItem.Reasoning r) {
                for (int i = 0; i < r.summary().size(); i++)
                    summary.put(i, new StringParts(r.summary().get(i)));
            } else if (started instanceof ResponseOutputItem.CustomToolCall c) {
                input.append(c.input());
            } else if (started instanceof ResponseOutputItem.ApplyPatchCall c) {
                input.append(c.diff());
            } else if (started instanceof ResponseOutputItem.ShellCall c) {
                for (int i = 0; i < c.commands().size(); i++)
                    summary.put(i, new StringParts(c.commands().get(i)));
            }
        }

        PartState part(int index, String type) {
            return parts.computeIfAbsent(index, i -> new PartState(type));
        }

        StringParts summary(int index) {
            return summary.computeIfAbsent(index, i -> new StringParts());
        }

        void appendArguments(String piece) {
            arguments.append(piece);
        }

        /** {@return the item as it is now, built on first read from immutable captures} */
        Deferred<ResponseOutputItem> deferred() {
            return switch (started) {
                case ResponseOutputItem.Message m -> {
                    String[] types = new String[parts.size()];
                    TextView[] texts = new TextView[parts.size()];
                    @SuppressWarnings("unchecked")
                    List<Object>[] annotations = (List<Object>[]) new List<?>[parts.size()];
                    int i = 0;
                    for (PartState p : parts.values()) {
                        types[i] = p.type;
                        texts[i] = p.text.view();
                        annotations[i++] = p.annotations;
                    }
                    yield new Deferred<>(() -> {
                        List<ResponseOutputItem.Content> content = new ArrayList<>(types.length);
                        for (int k = 0; k < types.length; k++) {
                            content.add(new ResponseOutputItem.Content(types[k], texts[k].toString(), annotations[k]));
                        }
                        return new ResponseOutputItem.Message(m.id(), m.role(), m.status(), content);
                    });
                }
                case ResponseOutputItem.FunctionCall f -> {
                    CharSequence text = arguments.textView();
                    Object value = arguments.snapshot();
                    yield new Deferred<>(() -> new ResponseOutputItem.FunctionCall(
                            f.id(), f.callId(), f.name(), text.toString(), f.status(), value, null));
                }
                case ResponseOutputItem.Reasoning r -> {
                    TextView[] texts = new TextView[summary.size()];
                    int i = 0;
                    for (StringParts s : summary.values()) texts[i++] = s.view();
                    yield new Deferred<>(() -> {
                        List<String> list = new ArrayList<>(texts.length);
                        for (TextView t : texts) list.add(t.toString());
                        return new ResponseOutputItem.Reasoning(r.id(), list, r.encryptedContent());
                    });
                }
                default -> {
                    ResponseOutputItem now = build(false);
                    yield new Deferred<>(() -> now);
                }
            };
        }

        ResponseOutputItem build(boolean finish) {
            if (done != null) return done;
            return switch (started) {
                case ResponseOutputItem.Message m -> {
                    List<ResponseOutputItem.Content> content = new ArrayList<>(parts.size());
                    for (PartState p : parts.values())
                        content.add(new ResponseOutputItem.Content(p.type, p.text.toString(), p.annotations));
                    yield new ResponseOutputItem.Message(m.id(), m.role(), m.status(), content);
                }
                case ResponseOutputItem.FunctionCall f -> {
                    String text = arguments.text();
                    Object value;
                    String error = null;
                    if (finish) {
                        PartialJson.Result r = text.isEmpty()
                                ? new PartialJson.Result(null, "no arguments arrived")
                                : arguments.finish();
                        value = r.value();
                        error = ResponsesJson.argumentsError(r);
                    } else {
                        value = arguments.snapshot();
                    }
                    yield new ResponseOutputItem.FunctionCall(
                            f.id(), f.callId(), f.name(), text, f.status(), value, error);
                }
                case ResponseOutputItem.Reasoning r -> {
                    List<String> texts = new ArrayList<>(summary.size());
                    for (StringParts s : summary.values()) texts.add(s.toString());
                    yield new ResponseOutputItem.Reasoning(r.id(), texts, r.encryptedContent());
                }
                case ResponseOutputItem.CustomToolCall c ->
                    new ResponseOutputItem.CustomToolCall(
                            c.id(), c.callId(), c.name(), input.toString(), c.namespace());
                case ResponseOutputItem.ApplyPatchCall c ->
                    new ResponseOutputItem.ApplyPatchCall(
                            c.id(), c.callId(), c.status(), c.operation(), c.path(), input.toString());
                case ResponseOutputItem.ShellCall c -> {
                    List<String> commands = new ArrayList<>(summary.size());
                    for (StringParts s : summary.values()) commands.add(s.toString());
                    yield new ResponseOutputItem.ShellCall(c.id(), c.callId(), c.status(), commands, c.json());
                }
                default -> started;
            };
        }
    }

    /** One part of a message as it builds; guarded by the accumulator's lock. */
    private static final class PartState {
        final String type;
        final StringParts text = new StringParts();
        List<Object> annotations = List.of();

        PartState(String type) {
            this.type = type;
        }

        void replace(String whole) {
            text.clear();
            text.append(whole);
        }
    }
}
