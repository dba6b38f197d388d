package dev.sluice.relay.protocol;

import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What the Anthropic Messages and OpenAI Responses writers share: an answer as a sequence of
 * blocks (text, thinking, a tool call), each opened when content of another kind (or another call)
 * arrives and closed before the next; the request's response format, whose tool calls are the
 * answer's text; what a fallback chain's restart after text does (a streaming client cannot be told
 * to discard what it has: the stream ends as the dialect ends an overloaded one, and the client's
 * own retry takes over; collecting, the answer so far is discarded); and the bound on what a
 * collecting writer holds. A subclass writes each dialect's events as blocks open, grow and close,
 * and the whole object at the end.
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
abstract sealed class DialectWriter extends FirstByteWriter permits MessagesWriter, ResponsesWriter {
    /**
     * How many heartbeats a streaming writer leaves out before its first byte (30 s at the relay's
     * default interval of 15 s): a heartbeat is the response's first byte, which commits its 200, so
     * an upstream that fails before the answer's first content within them (its own retries and a
     * route's failover included) is answered with the door's status and error body, which the
     * Anthropic and OpenAI clients retry on (a 529, a 429), rather than an error event after a 200.
     * A wait longer than them gets its heartbeats, so that proxies and clients keep the connection:
     * its first byte comes after three intervals at most (45 s, within nginx's default
     * {@code proxy_read_timeout} of 60 s).
     */
    static final int HEARTBEATS_HELD = 2;

    /** What a block holds. */
    enum Kind {
        TEXT,
        THINKING,
        TOOL
    }

    /** One block of the answer: its kind, a call's id and name, and (when held) its content so far. */
    static final class Block {
        final Kind kind;
        final int index;
        final String id;
        final String name;
        final StringBuilder content = new StringBuilder();

        Block(Kind kind, int index, String id, String name) {
            this.kind = kind;
            this.index = index;
            this.id = id;
            this.name = name;
        }
    }

    private final long maxAnswerBytes;
    private final @Nullable String answerTool;
    private final boolean holdContent;
    final List<Block> blocks = new ArrayList<>();
    private @Nullable Block open;
    private long held;
    private byte @Nullable [] completion;

    /**
     * @param out the response body, or null for a collecting writer
     * @param maxAnswerBytes the most bytes of the answer held (collecting, or a dialect that repeats the
     *     whole answer at its end)
     * @param answerTool the response format's tool, whose calls are the answer's text; null for none
     * @param holdContent whether the blocks keep their content while streaming (a dialect whose end
     *     repeats the whole answer)
     */
    DialectWriter(@Nullable OutputStream out, long maxAnswerBytes, @Nullable String answerTool, boolean holdContent) {
        super(out);
        if (maxAnswerBytes <= 0)
            throw new IllegalArgumentException("maxAnswerBytes must be positive: " + maxAnswerBytes);
        this.maxAnswerBytes = maxAnswerBytes;
        this.answerTool = answerTool;
        this.holdContent = holdContent || out == null;
    }

    @Override
    public final void send(long eventId, RelayEvent event) throws IOException {
        if (ended) return;
        switch (event) {
            case RelayEvent.Delta d -> content(Kind.TEXT, "", "", d.text());
            case RelayEvent.Thinking t -> content(Kind.THINKING, "", "", t.text());
            case RelayEvent.ToolCall c when c.name().equals(answerTool) -> content(Kind.TEXT, "", "", c.arguments());
            case RelayEvent.ToolCall c -> content(Kind.TOOL, c.id(), c.name(), c.arguments());
            case RelayEvent.Switch s when s.reset() -> restart(s);
            case RelayEvent.Hedge h when !collecting() -> comment("hedge " + h.data());
            case RelayEvent.Done d -> done(d);
            case RelayEvent.Error e -> fail(e);
            case RelayEvent.Cancelled c -> fail(new RelayEvent.Error("cancelled", c.reason()));
            default -> {} // start, tool runner events, a continuing switch: nothing in the dialect
        }
    }

    private void content(Kind kind, String id, String name, String piece) throws IOException {
        Block b = open;
        boolean sameCall = b != null && b.kind == Kind.TOOL && b.id.equals(id);
        if (b == null || b.kind != kind || (kind == Kind.TOOL && !sameCall)) {
            if (kind != Kind.TOOL && piece.isEmpty()) return;
            if (!hold(id.length() + name.length() + 64L)) return;
            if (b != null) close(b);
            b = new Block(kind, blocks.size(), id, name);
            blocks.add(b);
            open = b;
            if (!collecting()) opened(b);
        }
        if (piece.isEmpty()) return;
        if (holdContent) {
            if (!hold(piece.length() * 2L)) return;
            b.content.append(piece);
        }
        if (!collecting()) delta(b, piece);
    }

    private void close(Block b) throws IOException {
        if (!collecting()) closed(b);
    }

    private void restart(RelayEvent.Switch s) throws IOException {
        if (collecting() || !written) {
            blocks.clear();
            open = null;
            held = 0;
            if (!collecting()) restarted();
            return;
        }
        fail(new RelayEvent.Error(
                "overloaded_error",
                "the provider failed mid-answer and the answer restarted on " + s.to()
                        + "; what was streamed is void: send the request again"));
    }

    private void done(RelayEvent.Done d) throws IOException {
        if (open != null) close(open);
        open = null;
        if (collecting()) completion = utf8(whole(d));
        else ended(d);
    }

    private void fail(RelayEvent.Error e) throws IOException {
        if (held(e)) return;
        streamFailed(e);
        failure = null;
        ended = true;
    }

    /**
     * Holds {@code n} more bytes of the answer, or gives up past the bound: collecting, the answer is
     * dropped and the delivery ends ({@link IOException}), to be answered with a status; streaming (a
     * dialect whose end repeats the answer whole), the stream ends as the dialect ends a failed one,
     * with what was held so far, and the upstream is stopped ({@link #responseEnded()}).
     *
     * @return false past the bound, streaming: the piece is not written
     */
    private boolean hold(long n) throws IOException {
        if (!holdContent) return true;
        held += n;
        if (held <= maxAnswerBytes) return true;
        RelayEvent.Error tooLarge = new RelayEvent.Error(
                GatewayWriter.ANSWER_TOO_LARGE,
                "the answer is larger than " + maxAnswerBytes + " bytes, the most this server holds of an answer"
                        + (collecting()
                                ? " that is not streamed: ask with \"stream\": true"
                                : " whose last event repeats it whole: ask for a shorter answer, or raise the bound"));
        if (!collecting()) {
            if (open != null) close(open);
            open = null;
            fail(tooLarge);
            ended = true;
            return false;
        }
        blocks.clear();
        open = null;
        failure = tooLarge;
        throw new IOException(tooLarge.message());
    }

    /** {@return whether the answer has a tool call (then it stopped to have it run)} */
    final boolean hasToolCalls() {
        for (Block b : blocks) if (b.kind == Kind.TOOL) return true;
        return false;
    }

    /**
     * A heartbeat, streaming: left out before the first byte until {@value #HEARTBEATS_HELD} were
     * (so that a failure before the answer still gets its status), then the dialect's ping.
     */
    @Override
    public final void heartbeat() throws IOException {
        if (collecting() || heartbeatLeftOut()) return;
        ping();
    }

    /** A heartbeat due, streaming: write the dialect's (which opens the answer if it must). */
    abstract void ping() throws IOException;

    /** A block opened, streaming: write its start. */
    abstract void opened(Block b) throws IOException;

    /** A piece of a block's content, streaming: write it. */
    abstract void delta(Block b, String piece) throws IOException;

    /** A block closed, streaming: write its end. */
    abstract void closed(Block b) throws IOException;

    /** A restart before anything was written, streaming: forget what the dialect counted. */
    void restarted() {}

    /** The answer ended, streaming: write its end. */
    abstract void ended(RelayEvent.Done d) throws IOException;

    /** The stream failed after something was written: end it as the dialect ends a failed stream. */
    abstract void streamFailed(RelayEvent.Error e) throws IOException;

    /** {@return the whole answer, collecting, as the dialect's object} */
    abstract String whole(RelayEvent.Done d);

    /** Writes one event: {@code event: TYPE} and its data. */
    final void event(String type, String data) throws IOException {
        write("event: " + type + "\ndata: " + data + "\n\n");
    }

    /** Writes an SSE comment, which every client skips. */
    final void comment(String text) throws IOException {
        write(": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n");
    }

    private void write(String s) throws IOException {
        write(utf8(s));
    }

    @Override
    public final OptionalLong completionLength() {
        return completion == null ? OptionalLong.empty() : OptionalLong.of(completion.length);
    }

    @Override
    public final void writeCompletion(OutputStream body) throws IOException {
        if (completion == null)
            throw new IllegalStateException("the answer is not whole yet: it is written once the stream is done");
        body.write(completion);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@return a JSON string} */
    static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        JsonText.writeString(s, sb);
        return sb.toString();
    }
}
