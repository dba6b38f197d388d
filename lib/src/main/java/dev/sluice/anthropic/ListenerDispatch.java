package dev.sluice.anthropic;

import dev.sluice.SluiceException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Runs a {@link MessageStreamListener} over the events of one stream, on the calling thread, in
 * event order (the rules are on {@link MessageStreamListener}).
 *
 * <p>The events must already be accumulated into the given {@link MessageAccumulator} when
 * {@code next()} returns them (the stream feeds it as it hands each event out), so that the
 * callbacks see the message with the event applied: dispatch only reads
 * {@link MessageAccumulator#snapshot()}.
 *
 * <p>Endings:
 * <ul>
 *   <li>{@code message_stop}, then the iterator ends: {@code onMessage}, {@code onEnd}; returns the
 *       final message;
 *   <li>the iterator ends without {@code message_stop} (the stream was cancelled or reached its
 *       chunk limit, which end a stream normally): {@code onEnd}; returns empty, and the partial
 *       message is the accumulator's snapshot. The caller decides whether that is an error;
 *   <li>the iterator throws a {@link SluiceException}: {@code onError}, {@code onEnd}, then it is
 *       rethrown;
 *   <li>the iterator throws another runtime exception or error (a bug, or a misuse such as a
 *       second iterator): {@code cancel}, {@code onEnd}, then it is rethrown, without {@code onError};
 *   <li>a callback throws: {@code cancel} (closing the stream, so that its producer stops),
 *       {@code onEnd} (unless it is {@code onEnd} that threw), then the callback's exception is
 *       rethrown as it is; no further event is dispatched and {@code onError} is not called (a
 *       listener failing in {@code onError} would otherwise be called again). A stream failure
 *       already being reported, and anything {@code cancel} or {@code onEnd} throws meanwhile,
 *       are added to it as suppressed exceptions: nothing is swallowed.
 * </ul>
 *
 * <p>Threading: everything runs on the calling thread; {@code cancel} must be safe to call from it
 * (closing an {@code EventStream} is).
 */
final class ListenerDispatch {
    private final MessageAccumulator accumulator;
    private final MessageStreamListener listener;
    private final Runnable cancel;
    // --- confined to the calling thread
    private final TreeSet<Integer> blockIndexes = new TreeSet<>();   // started blocks, to find their position
    private Message finalMessage;
    private boolean ended;

    private ListenerDispatch(MessageAccumulator accumulator, MessageStreamListener listener, Runnable cancel) {
        this.accumulator = accumulator;
        this.listener = listener;
        this.cancel = cancel;
    }

    /**
     * Dispatches every event of {@code events} to {@code listener} until the iterator ends or fails.
     *
     * @param events the stream's events, each already applied to {@code accumulator} when returned
     * @param accumulator the accumulator the stream feeds
     * @param listener the listener
     * @param cancel closes the stream; called when a callback throws
     * @return the final message when {@code message_stop} arrived; empty when the events ended
     *     without it (cancelled, chunk limit)
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws RuntimeException what a callback threw, as it is
     * @throws Error what a callback threw, as it is
     */
    static Optional<Message> run(Iterator<StreamEvent> events, MessageAccumulator accumulator,
                                 MessageStreamListener listener, Runnable cancel) {
        Objects.requireNonNull(events, "events");
        ListenerDispatch d = new ListenerDispatch(Objects.requireNonNull(accumulator, "accumulator"),
                Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(cancel, "cancel"));
        return d.run(events);
    }

    private Optional<Message> run(Iterator<StreamEvent> events) {
        while (true) {
            StreamEvent event;
            try {
                if (!events.hasNext()) break;
                event = events.next();
            } catch (SluiceException e) {
                throw streamFailed(e);
            } catch (RuntimeException | Error e) {
                failed(e, null);
                throw e;
            }
            try {
                dispatch(event);
            } catch (RuntimeException | Error e) {
                failed(e, null);
                throw e;
            }
        }
        try {
            end();
        } catch (RuntimeException | Error e) {
            runCancel(e);
            throw e;
        }
        return Optional.ofNullable(finalMessage);
    }

    /** {@return the stream's failure to throw}, after onError and onEnd; or what they threw. */
    private RuntimeException streamFailed(SluiceException e) {
        try {
            listener.onError(e);
        } catch (RuntimeException | Error x) {
            failed(x, e);
            throw x;
        }
        try {
            end();
        } catch (RuntimeException | Error x) {
            x.addSuppressed(e);
            throw x;
        }
        return e;
    }

    /** Before {@code thrown} is rethrown: cancels, ends, and adds {@code streamFailure} (if any) to it. */
    private void failed(Throwable thrown, SluiceException streamFailure) {
        if (streamFailure != null) thrown.addSuppressed(streamFailure);
        runCancel(thrown);
        if (!ended) {
            try {
                end();
            } catch (RuntimeException | Error x) {
                if (x != thrown) thrown.addSuppressed(x);
            }
        }
    }

    private void runCancel(Throwable thrown) {
        try {
            cancel.run();
        } catch (RuntimeException | Error x) {
            if (x != thrown) thrown.addSuppressed(x);
        }
    }

    private void end() {
        ended = true;            // before the call: onEnd is called at most once, even if it throws
        listener.onEnd();
    }

    private void dispatch(StreamEvent event) {
        Message snapshot = accumulator.snapshot().orElse(null);
        switch (event) {
            case MessageStart(Message m) -> {
                for (int i = 0; i < m.content().size(); i++) blockIndexes.add(i);
            }
            case ContentBlockStart(int index, ContentBlock block) -> blockIndexes.add(index);
            default -> { }
        }
        listener.onEvent(event, snapshot);
        if (snapshot == null) return;
        switch (event) {
            case ContentBlockDelta(int index, Delta delta) -> delta(snapshot, index, delta);
            case ContentBlockStop(int index) -> {
                ContentBlock block = block(snapshot, index);
                if (block != null) listener.onContentBlock(block);
            }
            case MessageStop() -> {
                finalMessage = snapshot;
                listener.onMessage(snapshot);
            }
            default -> { }
        }
    }

    /**
     * Text, thinking and tool input so far come from the accumulator as views (O(1)), not from the
     * snapshot's block, whose strings would be copied whole for every delta.
     */
    private void delta(Message snapshot, int index, Delta delta) {
        if (!blockIndexes.contains(index)) return;
        switch (delta) {
            case TextDelta(String text) -> {
                CharSequence soFar = accumulator.textSoFar(index);
                if (soFar != null) listener.onText(text, soFar);
            }
            case ThinkingDelta(String thinking) -> {
                CharSequence soFar = accumulator.thinkingSoFar(index);
                if (soFar != null) listener.onThinking(thinking, soFar);
            }
            case InputJsonDelta(String piece) -> {
                Object input = accumulator.inputSoFar(index);
                if (input != null) listener.onToolInput(piece, input);
            }
            case CitationsDelta(Citation c) when block(snapshot, index) instanceof TextBlock t ->
                    listener.onCitation(c, t.citations());
            default -> { }
        }
    }

    /** {@return the block at content-block {@code index} in the snapshot, or null if it has none} */
    private ContentBlock block(Message snapshot, int index) {
        if (!blockIndexes.contains(index)) return null;
        int position = blockIndexes.headSet(index).size();
        List<ContentBlock> content = snapshot.content();
        return position < content.size() ? content.get(position) : null;
    }
}
