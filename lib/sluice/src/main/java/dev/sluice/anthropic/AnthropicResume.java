package dev.sluice.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.internal.call.stream.ForwardingEmitter;
import dev.sluice.internal.call.stream.Resumer;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.value.Prefill;
import dev.sluice.stream.Emitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Continues an Anthropic stream that lost its connection after text (see {@link ResumePolicy}):
 * the request again with the text so far, trimmed of trailing whitespace, as an assistant prefill,
 * and the continuation stitched on — its {@code message_start} swallowed, its first text block
 * joined to the open one (its start swallowed) and later blocks renumbered after the ones
 * delivered, the whitespace the trim took dropped from its first text when repeated, and the usage
 * of each {@code message_delta} summed with the parts before.
 *
 * <p>Threading: the emitter and {@link #continuation} run on the stream's producer thread, which
 * owns every field except the statistics ({@code resumes}, {@code totalGapNanos},
 * {@code longestGapNanos}: volatile, written by the producer, read by any thread).
 */
final class AnthropicResume implements Resumer<StreamEvent> {
    private static final List<String> SUMMED =
            List.of("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens");

    private final AnthropicRoute route;
    private final Map<String, String> headers;
    private final List<String> betas;
    private final MessageRequest request;
    private final int maxResumes;
    private final LongSupplier nanoTime;

    // The stream as delivered (indices as the user sees them).
    private final StringBuilder text = new StringBuilder();
    private long textDeltas;
    private int lastIndex = -1;
    private int openIndex = -1;
    private @Nullable ContentBlock openBlock;
    private @Nullable String notText; // why a prefill cannot continue the blocks delivered; null while all are text
    private boolean notTextOpen; // whether that block is still open

    // Usage: the current part's, and the sums of the parts before.
    private MessageUsage partUsage = MessageUsage.empty();
    private final Map<String, Long> carried = new LinkedHashMap<>();

    // The continuation being read.
    private boolean continuing;
    private boolean offsetDecided;
    private int joinIndex = -1; // the open text block the continuation's first block joins, or -1
    private int offset; // continuation index k is delivered as offset + k
    private Prefill pending = Prefill.none(); // the trimmed whitespace the continuation may repeat
    private long dropNanos = -1;
    private @Nullable ContentBlockStart deferred; // a continuation's text block start, delivered with its first text

    private volatile int resumes;
    private volatile long totalGapNanos;
    private volatile long longestGapNanos;

    /**
     * @param headers the first request's headers, {@code anthropic-beta} naming {@code betas}
     * @param betas the betas the first request was sent with (the client's and its fields'): a
     *     continuation carries the same fields, so it is sent with them too
     */
    AnthropicResume(
            AnthropicRoute route,
            Map<String, String> headers,
            List<String> betas,
            MessageRequest request,
            ResumePolicy policy,
            LongSupplier nanoTime) {
        this.route = route;
        this.headers = headers;
        this.betas = List.copyOf(betas);
        this.request = request;
        this.maxResumes = policy.maxResumes();
        this.nanoTime = nanoTime;
    }

    /** {@return the statistics so far} Any thread. */
    Resumes stats() {
        return new Resumes(resumes, Duration.ofNanos(totalGapNanos), Duration.ofNanos(longestGapNanos));
    }

    @Override
    public Emitter<StreamEvent> wrap(Emitter<StreamEvent> out) {
        return new Stitching(out);
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the producer thread; others only read
    public HttpPost continuation(SluiceException lost) {
        String why = whyNot();
        if (why != null) throw notResumed(lost, why);
        pending = Prefill.of(text.toString());
        String body = continuationBody(pending.text());
        for (String k : SUMMED) {
            Long v = count(partUsage, k);
            if (v != null) carried.merge(k, v, Long::sum);
        }
        partUsage = MessageUsage.empty();
        continuing = true;
        offsetDecided = false;
        deferred = null;
        joinIndex = openIndex >= 0 && openBlock instanceof TextBlock ? openIndex : -1;
        dropNanos = nanoTime.getAsLong();
        resumes = resumes + 1; // only the producer writes
        return HttpPost.json(route.uri(request.model(), true), headers, route.body(body, true, betas));
    }

    /** {@return why the stream cannot be continued now, or null when it can} */
    private @Nullable String whyNot() {
        if (resumes >= maxResumes) {
            return "its " + maxResumes + (maxResumes == 1 ? " resume is" : " resumes are") + " spent";
        }
        if (request.thinking().map(ThinkingConfig::enabled).orElse(false)) {
            return "the request enables extended thinking, which an assistant prefill cannot continue";
        }
        if (request.outputFormat().isPresent()) {
            return "the request asks for structured output (output_config.format), which the API refuses with an assistant prefill";
        }
        MessageParam last = request.lastTurnOrNull();
        if (last != null && last.role() == MessageParam.Role.ASSISTANT) {
            return "the request ends with an assistant message of its own";
        }
        if (notText != null) {
            return (notTextOpen ? "the connection was lost inside " : "the answer has ") + notText
                    + ", which an assistant prefill cannot continue";
        }
        return null;
    }

    private static SluiceException notResumed(SluiceException lost, String why) {
        String message = lost.getMessage() + " (not resumed: " + why + ")";
        SluiceException e = lost instanceof IncompleteStreamException
                ? new IncompleteStreamException(message)
                : new TransportException(message, lost.getCause() != null ? lost.getCause() : lost);
        return e.initContext(lost.requestId().orElse(null), lost.partial().orElse(null));
    }

    /** {@return the request's body with the prefill as a last assistant message, and max_tokens less what was produced} */
    @SuppressWarnings("unchecked")
    private String continuationBody(String prefill) {
        Map<String, Object> body;
        try {
            body = new LinkedHashMap<>((Map<String, Object>) Json.readValue(RequestJson.write(request, true)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request's own JSON could not be read back", e); // a bug
        }
        List<Object> messages = new ArrayList<>((List<Object>) body.get("messages"));
        if (!prefill.isEmpty()) {
            Map<String, Object> assistant = new LinkedHashMap<>();
            assistant.put("role", "assistant");
            assistant.put("content", prefill);
            messages.add(assistant);
        }
        body.put("messages", messages);
        long produced = Math.max(textDeltas, carried.getOrDefault("output_tokens", 0L));
        body.put("max_tokens", Math.max(1L, request.maxTokens() - produced));
        return Json.write(body);
    }

    private static @Nullable Long count(MessageUsage usage, String name) {
        return usage.fields().get(name) instanceof Number n ? n.longValue() : null;
    }

    /** Records an event delivered as it was delivered (final indices). */
    private void observe(StreamEvent e) {
        switch (e) {
            case MessageStart s -> partUsage = s.message().usage();
            case MessageDelta d -> {} // the part's usage is updated from the raw event
            case ContentBlockStart s -> {
                lastIndex = Math.max(lastIndex, s.index());
                openIndex = s.index();
                openBlock = s.contentBlock();
                switch (s.contentBlock()) {
                    case TextBlock t -> text.append(t.text());
                    case ToolUseBlock t -> setNotText("a tool call's input");
                    case ServerToolUseBlock t -> setNotText("a server tool call's input");
                    case ThinkingBlock t -> setNotText("a thinking block (extended thinking)");
                    case RedactedThinkingBlock t -> setNotText("a thinking block (extended thinking)");
                    case OtherBlock o -> setNotText("a block of type " + o.type());
                    default ->
                        setNotText("a block of type " + s.contentBlock().type()); // server tool results, MCP, ...
                }
            }
            case ContentBlockDelta d -> {
                if (d.delta() instanceof TextDelta(String t)) {
                    text.append(t);
                    textDeltas++;
                }
            }
            case ContentBlockStop s -> {
                if (s.index() == openIndex) {
                    openIndex = -1;
                    openBlock = null;
                    notTextOpen = false;
                }
            }
            default -> {}
        }
    }

    private void setNotText(String what) {
        if (notText == null) notText = what;
        notTextOpen = true;
    }

    /**
     * Adds to {@code out} the continuation's event as it is to be delivered: nothing, itself
     * renumbered, or with a deferred block start before it. Updates the part's usage. A text block
     * of the continuation that does not join the open one is started only at its first text, so
     * that a continuation with nothing left to say adds no empty block.
     */
    private void stitch(StreamEvent e, List<StreamEvent> out) {
        switch (e) {
            case MessageStart s -> partUsage = s.message().usage();
            case MessageDelta d -> {
                partUsage = partUsage.withUpdates(d.usage());
                out.add(new MessageDelta(d.stopReason(), d.stopSequence(), summed(d.usage())));
            }
            case ContentBlockStart s -> {
                if (!offsetDecided) decideOffset(s.contentBlock(), out);
                int index = offset + s.index();
                if (s.index() == 0 && joinIndex >= 0 && s.contentBlock() instanceof TextBlock joined) {
                    String t = align(joined.text());
                    if (!t.isEmpty()) out.add(new ContentBlockDelta(index, new TextDelta(t)));
                } else if (s.contentBlock() instanceof TextBlock t) {
                    ContentBlockStart start = new ContentBlockStart(index, new TextBlock("", t.citations()));
                    String aligned = align(t.text());
                    if (aligned.isEmpty()) {
                        deferred = start;
                    } else {
                        out.add(start);
                        out.add(new ContentBlockDelta(index, new TextDelta(aligned)));
                    }
                } else {
                    pending.stop();
                    out.add(new ContentBlockStart(index, s.contentBlock()));
                }
            }
            case ContentBlockDelta d -> {
                if (!offsetDecided) decideOffset(null, out);
                int index = offset + d.index();
                Delta delta = d.delta();
                if (delta instanceof TextDelta(String t)) {
                    String aligned = align(t);
                    if (aligned.isEmpty()) return;
                    delta = new TextDelta(aligned);
                }
                startDeferred(index, out);
                out.add(new ContentBlockDelta(index, delta));
            }
            case ContentBlockStop s -> {
                if (!offsetDecided) decideOffset(null, out);
                int index = offset + s.index();
                if (deferred != null && deferred.index() == index) {
                    deferred = null; // an empty block: neither its start nor its stop
                    return;
                }
                out.add(new ContentBlockStop(index));
            }
            default -> out.add(e);
        }
    }

    private void startDeferred(int index, List<StreamEvent> out) {
        if (deferred != null && deferred.index() == index) {
            out.add(deferred);
            deferred = null;
        }
    }

    /**
     * At the continuation's first block: it joins the open text block when it is text too; else
     * the open text block is closed (its stop added to {@code out}) and it comes after the last block.
     */
    private void decideOffset(@Nullable ContentBlock first, List<StreamEvent> out) {
        offsetDecided = true;
        if (joinIndex >= 0 && (first == null || first instanceof TextBlock)) {
            offset = joinIndex;
            return;
        }
        if (joinIndex >= 0) out.add(new ContentBlockStop(joinIndex));
        joinIndex = -1;
        offset = lastIndex + 1;
    }

    /** {@return the continuation's text without the whitespace already delivered that it repeats} */
    private String align(String t) {
        return pending.align(t);
    }

    /** {@return a continuation's usage with each count the sum over the parts} */
    private MessageUsage summed(MessageUsage update) {
        Map<String, Object> m = new LinkedHashMap<>(update.fields());
        for (String k : SUMMED) {
            Long part = count(partUsage, k);
            Long before = carried.get(k);
            if (part != null || before != null) m.put(k, (part == null ? 0 : part) + (before == null ? 0 : before));
        }
        return new MessageUsage(m);
    }

    /** The emitter the decoder writes into: records what is delivered and stitches continuations. */
    private final class Stitching extends ForwardingEmitter<StreamEvent> {
        Stitching(Emitter<StreamEvent> out) {
            super(out);
        }

        @Override
        public boolean emit(StreamEvent item) {
            return hand(item, true);
        }

        @Override
        public boolean emitUncounted(StreamEvent item) {
            return hand(item, false);
        }

        @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the producer thread; others only read
        private boolean hand(StreamEvent item, boolean counted) {
            if (!continuing) {
                if (item instanceof MessageDelta d) partUsage = partUsage.withUpdates(d.usage());
                observe(item);
                return counted ? out.emit(item) : out.emitUncounted(item);
            }
            if (dropNanos >= 0) { // the continuation's first event: the gap is over
                long gap = Math.max(0, nanoTime.getAsLong() - dropNanos);
                dropNanos = -1;
                totalGapNanos = totalGapNanos + gap;
                if (gap > longestGapNanos) longestGapNanos = gap;
            }
            List<StreamEvent> stitched = new ArrayList<>(2);
            stitch(item, stitched);
            for (StreamEvent e : stitched) {
                observe(e);
                boolean go = counted ? out.emit(e) : out.emitUncounted(e);
                if (!go) return false;
            }
            return !out.isOver();
        }
    }
}
