package dev.sluice.relay;

import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps a model's chunks to relay events as they arrive: {@code thinking}, {@code delta} and
 * {@code tool_call} (each piece of arguments with its call's id and name), {@code switch} for a
 * fallback chain's move to another target, {@code hedge} for its hedge, and at the end one
 * {@code done} with the finish reason, the usage, the time to first token and the output tokens per
 * second. {@link RelaySource#chat} is built on it; a source that interleaves a model's chunks with
 * events of its own ({@link RelaySource#toolRunner}: a tool runner's turns and tool progress) uses it
 * the same way, turn after turn: usage is added up over the turns, the last finish reason wins.
 *
 * <p>Threading: one thread at a time (a source's pump, or the producer of a stream that pushes).
 */
final class ChunkEvents {
    private final Map<String, String[]> calls = new HashMap<>(); // turn:index -> {id, name}
    private int turn;
    private @Nullable String finishReason;
    private @Nullable String finishMessage;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private @Nullable Usage turnUsage;
    private boolean sawUsage;
    private long contentChunks;
    private @Nullable Duration firstContent;
    private @Nullable Duration latest;
    private Duration turnOffset = Duration.ZERO;

    /** Creates a mapper that has seen nothing. */
    ChunkEvents() {}

    /**
     * Starts the next turn: its chunks' tool-call indexes and times start again from zero, and the
     * previous turn's usage is added to the total.
     */
    void nextTurn() {
        closeTurn();
        turn++;
        if (latest != null) turnOffset = latest;
    }

    /**
     * {@return the relay events of one chunk, in order (possibly none)}
     *
     * @param chunk the chunk
     * @throws NullPointerException if chunk is null
     */
    List<RelayEvent> map(MessageChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        List<RelayEvent> events = new ArrayList<>(2);
        boolean content = !chunk.text().isEmpty()
                || !chunk.thinking().isEmpty()
                || !chunk.toolCalls().isEmpty();
        Duration at = turnOffset.plus(chunk.metadata().sinceRequest());
        if (content) {
            contentChunks++;
            if (firstContent == null) firstContent = at;
        }
        latest = at;
        if (chunk.failover() != null) events.add(RelayEvent.Switch.of(chunk.failover()));
        if (chunk.hedge() != null) events.add(RelayEvent.Hedge.of(chunk.hedge()));
        if (!chunk.thinking().isEmpty()) events.add(new RelayEvent.Thinking(chunk.thinking()));
        if (!chunk.text().isEmpty()) events.add(new RelayEvent.Delta(chunk.text()));
        for (ToolCallDelta d : chunk.toolCalls()) {
            String[] call = calls.computeIfAbsent(turn + ":" + d.index(), k -> new String[] {"call_" + d.index(), ""});
            if (d.id() != null) call[0] = d.id();
            if (d.name() != null) call[1] = d.name();
            events.add(new RelayEvent.ToolCall(call[0], call[1], d.arguments()));
        }
        if (chunk.finishReason() != null) {
            finishReason = chunk.finishReason().kind().name().toLowerCase(Locale.ROOT);
            finishMessage = chunk.finishReason().message();
        }
        if (chunk.usage() != null) {
            turnUsage = chunk.usage();
            sawUsage = true;
        }
        return events;
    }

    /**
     * {@return the relay events of a whole answer ({@link dev.sluice.chat.ChatProvider#answer}), as
     * its chunks would have made them: {@code thinking}, {@code delta}, each tool call whole}
     * Its finish reason and usage go to {@link #done()}.
     *
     * @param answer the answer
     */
    List<RelayEvent> map(ChatResponse answer) {
        List<RelayEvent> events = new ArrayList<>(2 + answer.toolCalls().size());
        if (!answer.thinking().isEmpty()) events.add(new RelayEvent.Thinking(answer.thinking()));
        if (!answer.text().isEmpty()) events.add(new RelayEvent.Delta(answer.text()));
        for (ToolCall call : answer.toolCalls()) {
            events.add(new RelayEvent.ToolCall(
                    call.id().isEmpty() ? "call_" + call.index() : call.id(), call.name(), call.arguments()));
        }
        if (!events.isEmpty()) contentChunks++;
        if (answer.finishReason() != null) {
            finishReason = answer.finishReason().kind().name().toLowerCase(Locale.ROOT);
            finishMessage = answer.finishReason().message();
        }
        if (answer.usage() != null) {
            turnUsage = answer.usage();
            sawUsage = true;
        }
        return events;
    }

    /**
     * Takes the usage an upstream's own event reported ({@link VerbatimUsage}): the largest of each
     * count seen in the turn, as running totals.
     */
    void observed(long input, long output) {
        Usage u = turnUsage;
        turnUsage = new Usage(
                Math.max(input, u == null ? 0 : u.inputTokens()),
                Math.max(output, u == null ? 0 : u.outputTokens()),
                u == null ? 0 : u.cacheReadTokens(),
                u == null ? 0 : u.cacheWriteTokens());
        sawUsage = true;
    }

    /**
     * Takes a tool run's own count of its tokens at its end ({@link dev.sluice.agent.AgentEvent.RunFinished#usage()}):
     * the whole run's, turns that ran on a lost node before a takeover included
     * ({@link dev.sluice.agent.TurnCheckpoint#usage()}), which the chunks seen here do not hold; the
     * larger of it and the chunks' sum counts.
     */
    void runUsage(Usage run) {
        closeTurn();
        if (run.inputTokens() <= inputTokens && run.outputTokens() <= outputTokens) return;
        inputTokens = Math.max(inputTokens, run.inputTokens());
        outputTokens = Math.max(outputTokens, run.outputTokens());
        sawUsage = true;
    }

    /**
     * Overrides the finish reason {@code done} will carry, if none came with the chunks.
     *
     * @param reason the reason, such as {@code "length"} for a stream cut at its chunk limit
     */
    void finishReasonIfNone(String reason) {
        if (finishReason == null) finishReason = reason;
    }

    /**
     * {@return the {@code done} event}: the last finish reason and its message, the usage added up over the turns
     * (the count of content chunks as output when no usage came), the time to the first content
     * and the output tokens per second after it ({@link RelayEvent.Done#tokensPerSecond(long, Duration)}).
     */
    RelayEvent.Done done() {
        closeTurn();
        long out = sawUsage ? outputTokens : contentChunks;
        Duration first = firstContent;
        Long ttft = first == null ? null : first.toMillis();
        double rate = first == null
                ? 0
                : RelayEvent.Done.tokensPerSecond(
                        out,
                        Objects.requireNonNull(latest, "set with firstContent").minus(first));
        return new RelayEvent.Done(
                finishReason, inputTokens, out, ttft, rate, null, finishMessage, cacheReadTokens, cacheWriteTokens);
    }

    private void closeTurn() {
        if (turnUsage != null) {
            inputTokens += turnUsage.inputTokens();
            outputTokens += turnUsage.outputTokens();
            cacheReadTokens += turnUsage.cacheReadTokens();
            cacheWriteTokens += turnUsage.cacheWriteTokens();
            turnUsage = null;
        }
    }
}
