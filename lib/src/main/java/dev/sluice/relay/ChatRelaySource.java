package dev.sluice.relay;

import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link RelaySource#chat}: a model's chunks mapped to relay events, {@code start} first and {@code done} last. */
final class ChatRelaySource implements RelaySource {
    // Threading: the pump thread (next()) owns every field but chunks, which is safe from any thread.
    private final String provider;
    private final String model;
    private final EventStream<MessageChunk> chunks;
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private final Map<Integer, String[]> calls = new HashMap<>(); // index -> {id, name}
    private Iterator<MessageChunk> iterator;
    private boolean started;
    private boolean ended;
    private String finishReason;
    private Usage usage;
    private long contentChunks;
    private Duration firstContent;
    private Duration latest;

    ChatRelaySource(String provider, String model, EventStream<MessageChunk> chunks) {
        this.provider = provider;
        this.model = model;
        this.chunks = chunks;
    }

    @Override
    public Optional<RelayEvent> next() {
        if (!started) {
            started = true;
            iterator = chunks.iterator();
            return Optional.of(new RelayEvent.Start(provider, model));
        }
        while (pending.isEmpty()) {
            if (ended) return Optional.empty();
            if (!iterator.hasNext()) { // throws the stream's failure
                ended = true;
                EndReason why = chunks.endReason().orElse(EndReason.COMPLETED);
                if (why == EndReason.CANCELLED) return Optional.empty();
                if (why == EndReason.CHUNK_LIMIT && finishReason == null) finishReason = "length";
                return Optional.of(done());
            }
            map(iterator.next());
        }
        return Optional.of(pending.poll());
    }

    private void map(MessageChunk chunk) {
        boolean content = !chunk.text().isEmpty() || !chunk.thinking().isEmpty() || !chunk.toolCalls().isEmpty();
        if (content) {
            contentChunks++;
            if (firstContent == null) firstContent = chunk.metadata().sinceRequest();
        }
        latest = chunk.metadata().sinceRequest();
        if (!chunk.thinking().isEmpty()) pending.add(new RelayEvent.Thinking(chunk.thinking()));
        if (!chunk.text().isEmpty()) pending.add(new RelayEvent.Delta(chunk.text()));
        for (ToolCallDelta d : chunk.toolCalls()) {
            String[] call = calls.computeIfAbsent(d.index(), i -> new String[] {"call_" + i, ""});
            if (d.id() != null) call[0] = d.id();
            if (d.name() != null) call[1] = d.name();
            pending.add(new RelayEvent.ToolCall(call[0], call[1], d.arguments()));
        }
        if (chunk.finishReason() != null) finishReason = chunk.finishReason().kind().name().toLowerCase(Locale.ROOT);
        if (chunk.usage() != null) usage = chunk.usage();
    }

    private RelayEvent.Done done() {
        long in = usage == null ? 0 : usage.inputTokens();
        long out = usage == null ? contentChunks : usage.outputTokens();
        Long ttft = firstContent == null ? null : firstContent.toMillis();
        double rate = 0;
        if (firstContent != null && latest != null) {
            long nanos = latest.minus(firstContent).toNanos();
            if (nanos > 0 && out > 1) rate = (out - 1) / (nanos / 1e9); // tokens after the first, over the time they took
        }
        return new RelayEvent.Done(finishReason, in, out, ttft, rate);
    }

    @Override
    public void cancel(String reason) {
        chunks.controller().cancel(reason);
    }

    @Override
    public void close() {
        chunks.close();
    }
}
