package dev.sluice.relay;

import dev.sluice.chat.PartialJson;
import dev.sluice.internal.low.json.JsonWriter;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * What the frontend protocols' clients share: one JSON object per SSE event as {@code data:} with
 * neither {@code event} nor {@code id} (the Vercel AI SDK's UI message stream and AG-UI both carry
 * the type inside the object), {@code : ping} as the heartbeat, and a JSON object builder whose
 * strings are HTML-safe as every relay event's.
 *
 * <p>Threading: the subscription's thread only.
 */
abstract class JsonEventWriter implements RelayClient {
    private final SseWriter writer;
    private final SseRelayClient.CountingOutputStream counted;

    JsonEventWriter(OutputStream out) {
        this.counted = new SseRelayClient.CountingOutputStream(Objects.requireNonNull(out, "out"));
        this.writer = new SseWriter(counted);
    }

    /** Writes one {@code data:} line and the blank line after it. */
    final void data(String json) throws IOException {
        try {
            writer.write(SseEvent.of(json));
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public final void heartbeat() throws IOException {
        try {
            writer.comment(" ping");
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public final void flush() throws IOException {
        try {
            writer.flush();
        } catch (RuntimeException e) {
            throw asIo(e);
        }
    }

    @Override
    public final long bytesWritten() {
        return counted.count;
    }

    private static IOException asIo(RuntimeException e) {
        if (e.getCause() instanceof IOException io) return io;
        if (e instanceof UncheckedIOException u) return u.getCause();
        return new IOException(e.getMessage(), e);
    }

    /** {@return a builder of one JSON object, its {@code type} member first} */
    static Obj obj(String type) {
        return new Obj().str("type", type);
    }

    /** {@return a JSON string, HTML-safe} */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        JsonWriter.writeHtmlSafeString(s, sb);
        return sb.toString();
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
                JsonWriter.write(parsed.value(), sb, "arguments");
                return sb.toString();
            }
        } catch (IllegalArgumentException e) {
            sb.setLength(0); // nested too deep to write back: sent as text
        }
        JsonWriter.writeHtmlSafeString(text, sb);
        return sb.toString();
    }

    /** A JSON object written member by member. */
    static final class Obj {
        private final StringBuilder sb = new StringBuilder(96).append('{');

        private Obj name(String name) {
            if (sb.length() > 1) sb.append(',');
            JsonWriter.writeHtmlSafeString(name, sb);
            sb.append(':');
            return this;
        }

        /** A string member; null is written as JSON null. */
        Obj str(String name, String value) {
            name(name);
            if (value == null) sb.append("null");
            else JsonWriter.writeHtmlSafeString(value, sb);
            return this;
        }

        /** A string member, left out when the value is null. */
        Obj strIf(String name, String value) {
            return value == null ? this : str(name, value);
        }

        Obj num(String name, long value) {
            name(name).sb.append(value);
            return this;
        }

        /** A number member, whole ones without a fraction; null as JSON null. */
        Obj num(String name, Double value) {
            name(name);
            if (value == null) sb.append("null");
            else if (value == Math.rint(value) && Math.abs(value) < 1e15) sb.append(value.longValue());
            else sb.append(value);
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
