package dev.sluice.objects;

import dev.sluice.ObjectException;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ToolCallDelta;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the object out of a chat stream's chunks: its JSON from the text, or from the arguments of
 * the tool call named after the schema (a forced tool call, where the provider has no native
 * structured output), whichever comes first; a {@link Partial} whenever what it shows changes; at
 * the end, the validated value or the reason there is none.
 *
 * <p>Threading: owned by the stream's consumer thread, except {@link #latest}, which any thread reads.
 */
final class PartialReader<T> {
    private enum Channel {
        UNDECIDED,
        TEXT,
        TOOL
    }

    private final ObjectSchema<T> schema;
    private final Memo memo = new Memo();
    private PartialJson json = new PartialJson();
    private Channel channel = Channel.UNDECIDED;
    private int toolIndex = -1;
    private int attempt;
    private @Nullable Object lastRaw; // the last snapshot read
    private @Nullable Object lastShown; // what the last partial showed
    private @Nullable List<Object> lastOpen;
    private @Nullable FinishReason finish;
    private volatile Partial<T> latest;

    PartialReader(ObjectSchema<T> schema) {
        this.schema = schema;
        this.latest = new Partial<>(schema, null, List.of(), 0, false, "", memo);
    }

    /** {@return the latest partial; before anything arrived, one showing nothing} Any thread. */
    Partial<T> latest() {
        return latest;
    }

    /** {@return the JSON text so far, of the current answer} */
    String text() {
        return json.text();
    }

    /** {@return the partial this chunk makes, or null when it changes nothing shown} */
    @Nullable
    Partial<T> accept(MessageChunk chunk) {
        Partial<T> out = null;
        if (chunk.failover() != null) {
            finish = null;
            if (chunk.failover().reset()) out = restart();
        }
        String fragment = fragment(chunk);
        if (!fragment.isEmpty()) {
            json.append(fragment);
            Partial<T> p = partial();
            if (p != null) out = p;
        }
        if (chunk.finishReason() != null) finish = chunk.finishReason();
        return out;
    }

    private Partial<T> restart() {
        json = new PartialJson();
        channel = Channel.UNDECIDED;
        toolIndex = -1;
        attempt++;
        lastRaw = null;
        lastShown = null;
        lastOpen = null;
        Partial<T> p = new Partial<>(schema, null, List.of(), attempt, true, "", memo);
        latest = p;
        return p;
    }

    /** The chunk's piece of the object's JSON: its text, or its arguments of the tool call named after the schema. */
    private String fragment(MessageChunk chunk) {
        String text = chunk.text();
        if (channel == Channel.UNDECIDED && !text.isBlank()) channel = Channel.TEXT;
        String out = channel != Channel.TOOL ? text : "";
        if (channel == Channel.TEXT) return out;
        for (ToolCallDelta d : chunk.toolCalls()) {
            if (toolIndex < 0 && schema.name().equals(d.name())) {
                toolIndex = d.index();
                channel = Channel.TOOL;
                out = "";
            }
            if (d.index() == toolIndex) out = out.isEmpty() ? d.arguments() : out + d.arguments();
        }
        return out;
    }

    /** A partial, when what is shown or what is still open changed. */
    @SuppressWarnings("ReferenceEquality") // identity: an unchanged snapshot is the same object
    private @Nullable Partial<T> partial() {
        Object raw = json.snapshot();
        if (raw == lastRaw) return null;
        lastRaw = raw;
        List<Object> open = json.isComplete() ? null : json.openPath();
        Object shown = raw;
        if (open != null && !open.isEmpty() && json.isStringOpen() && schema.isFixedString(open)) {
            shown = json.snapshotWithoutOpenString(); // a prefix of a name from a fixed set means nothing
            open = open.subList(0, open.size() - 1);
        }
        if (shown == lastShown && Objects.equals(open, lastOpen)) return null;
        lastShown = shown;
        lastOpen = open;
        Partial<T> p = new Partial<>(schema, shown, open, attempt, false, json.textView(), memo);
        latest = p;
        return p;
    }

    /**
     * Ends the answer, the stream having completed: the value, validated and bound.
     *
     * @throws ObjectException if it was cut off, refused, is not JSON, or does not match
     * @throws IllegalStateException if no finish reason came (the caller reports that)
     */
    T finish() {
        if (finish == null) throw new IllegalStateException("no finish reason");
        PartialJson.Result r = json.finish();
        if (r.isValid()) {
            lastRaw = null;
            Partial<T> p = partial(); // the complete value, if the last partial did not show it yet
            if (p != null) latest = p;
        }
        String text = json.text();
        switch (finish.kind()) {
            case REFUSAL, CONTENT_FILTER ->
                throw new ObjectException(
                        ObjectException.Kind.REFUSED,
                        "the model did not produce "
                                + "the object: "
                                + (finish.kind() == FinishReason.Kind.REFUSAL
                                        ? "it refused"
                                        : "the provider's content filter " + "stopped it")
                                + " (finish reason " + finish.raw() + ")",
                        null,
                        null,
                        text);
            case LENGTH -> {
                if (!r.isValid()) {
                    throw new ObjectException(
                            ObjectException.Kind.TRUNCATED,
                            "the object was cut off by the output token limit "
                                    + "(finish reason " + finish.raw() + ") after " + text.length()
                                    + " characters of JSON; raise maxTokens, "
                                    + "or read what arrived from the exception's partial()",
                            null,
                            null,
                            text);
                }
            }
            default -> {}
        }
        if (!r.isValid()) {
            String what = channel == Channel.UNDECIDED
                    ? "the answer holds no JSON: no text, and no call of the tool " + schema.name()
                    : "the answer is not valid JSON: " + r.error();
            throw new ObjectException(
                    ObjectException.Kind.INVALID_JSON,
                    what + " (finish reason " + finish.raw() + ")",
                    null,
                    null,
                    text);
        }
        return schema.value(r.value(), text);
    }

    /** {@return whether a finish reason came for the current answer} */
    boolean finished() {
        return finish != null;
    }
}
