package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.RelayWriter;
import dev.sluice.relay.internal.SseOutput;
import dev.sluice.sse.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * What the frontend protocols' clients share: one JSON object per SSE event as {@code data:} with
 * neither {@code event} nor {@code id} (the Vercel AI SDK's UI message stream and AG-UI both carry
 * the type inside the object), {@code : ping} as the heartbeat, and a JSON object builder whose
 * strings are HTML-safe as every relay event's.
 *
 * <p>Threading: the subscription's thread only.
 */
abstract class JsonEventWriter implements RelayWriter {
    private final SseOutput out;
    private boolean muted; // replaying what an earlier response sent: nothing is written

    JsonEventWriter(OutputStream out) {
        this.out = new SseOutput(out);
    }

    /** Writes one {@code data:} line and the blank line after it. */
    final void data(String json) throws IOException {
        if (!muted) out.event(SseEvent.of(json));
    }

    /**
     * Stops or starts writing: a writer continuing a stream that an earlier response of its
     * protocol ended early goes through the events that response sent without writing, so that it
     * knows what the client has (open parts, calls, ids), then writes from where that one ended.
     */
    final void mute(boolean mute) {
        muted = mute;
    }

    /** {@return whether nothing is written now} */
    final boolean muted() {
        return muted;
    }

    @Override
    public final void heartbeat() throws IOException {
        out.ping();
    }

    @Override
    public final void flush() throws IOException {
        out.flush();
    }

    @Override
    public final long bytesWritten() {
        return out.bytesWritten();
    }

    /** {@return a builder of one JSON object, its {@code type} member first} */
    static Obj obj(String type) {
        return new Obj().str("type", type);
    }

    /** {@return a JSON string, HTML-safe} */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        JsonText.writeHtmlSafeString(s, sb);
        return sb.toString();
    }

    /** {@return a number as JSON text, whole ones without a fraction; null as JSON null} */
    static String number(@Nullable Double value) {
        if (value == null) return "null";
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString(value.longValue());
        return value.toString();
    }

    /** {@return a builder of one JSON object} */
    static Obj object() {
        return new Obj();
    }

    /**
     * {@return a tool call's arguments as one JSON value}: the parsed text written compactly (so
     * no line break of the model's can reach the stream), {@code {}} for none, or the text as a
     * JSON string when it is not JSON
     */
    static String arguments(String text) {
        if (text.isBlank()) return "{}";
        PartialJson.Result parsed = PartialJson.parse(text);
        StringBuilder sb = new StringBuilder(text.length() + 8);
        try {
            if (parsed.isValid()) {
                JsonText.write(parsed.value(), sb);
                return sb.toString();
            }
        } catch (IllegalArgumentException e) {
            sb.setLength(0); // nested too deep to write back: sent as text
        }
        JsonText.writeHtmlSafeString(text, sb);
        return sb.toString();
    }

    /** A JSON object written member by member. */
    static final class Obj {
        private final StringBuilder sb = new StringBuilder(96).append('{');

        private Obj name(String name) {
            if (sb.length() > 1) sb.append(',');
            JsonText.writeHtmlSafeString(name, sb);
            sb.append(':');
            return this;
        }

        /** A string member; null is written as JSON null. */
        Obj str(String name, String value) {
            name(name);
            if (value == null) sb.append("null");
            else JsonText.writeHtmlSafeString(value, sb);
            return this;
        }

        /** A string member, left out when the value is null. */
        Obj strIf(String name, @Nullable String value) {
            return value == null ? this : str(name, value);
        }

        Obj num(String name, long value) {
            name(name).sb.append(value);
            return this;
        }

        /** A number member, as {@link #number(Double)}. */
        Obj num(String name, @Nullable Double value) {
            name(name).sb.append(number(value));
            return this;
        }

        /** A member whose value is JSON text already. */
        Obj raw(String name, String json) {
            name(name).sb.append(json);
            return this;
        }

        String end() {
            return sb.append('}').toString();
        }
    }
}
