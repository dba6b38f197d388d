package dev.sluice.relay.protocol;

import dev.sluice.relay.RelayEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The gateway's passthrough: an upstream's own events ({@link RelayEvent.Verbatim}) written to a
 * client of the same API as they came, {@code event:} and {@code data:} lines with the upstream's
 * name and JSON, byte for byte (a {@code data} that holds a line break, which no provider sends,
 * goes as several {@code data:} lines, which a client joins back). Everything else the relay adds
 * is left out but what the dialect needs: heartbeats its clients skip (Anthropic's {@code ping}
 * event, an SSE comment for Responses) and a failure in its shape — before the first byte a status
 * and the dialect's error body ({@link #status}, {@link #errorJson}); after it, the stream's last
 * event (Anthropic's {@code error} event; the Responses API's {@code error} event), after which
 * nothing more is written ({@link #responseEnded()}).
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
public final class PassthroughWriter implements GatewayAnswerWriter {
    private final OutputStream out;
    private final boolean anthropic;
    private boolean written;
    private boolean ended;
    private int heartbeatsHeld;
    private long bytes;
    private RelayEvent.@org.jspecify.annotations.Nullable Error failure;

    private PassthroughWriter(OutputStream out, boolean anthropic) {
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 8192);
        this.anthropic = anthropic;
    }

    /**
     * {@return a writer passing Anthropic Messages events through}
     *
     * @param out the response body
     */
    public static PassthroughWriter messages(OutputStream out) {
        return new PassthroughWriter(out, true);
    }

    /**
     * {@return a writer passing OpenAI Responses events through}
     *
     * @param out the response body
     */
    public static PassthroughWriter responses(OutputStream out) {
        return new PassthroughWriter(out, false);
    }

    @Override
    public void send(long eventId, RelayEvent event) throws IOException {
        if (ended) return;
        switch (event) {
            case RelayEvent.Verbatim v -> event(v.event(), v.json());
            case RelayEvent.Error e -> fail(e);
            case RelayEvent.Cancelled c -> fail(new RelayEvent.Error("cancelled", c.reason()));
            default -> {} // start, and done: the upstream's own last event has passed
        }
    }

    private void fail(RelayEvent.Error e) throws IOException {
        if (!written) {
            if (failure == null) failure = e;
            return;
        }
        if (anthropic) {
            event("error", errorJson(e));
        } else {
            String code = switch (MessagesWriter.anthropicType(e.errorType())) {
                case "overloaded_error" -> "server_is_overloaded";
                case "rate_limit_error" -> "rate_limit_exceeded";
                default -> "server_error";
            };
            event(
                    "error",
                    "{\"type\":\"error\",\"code\":" + DialectWriter.str(code) + ",\"message\":"
                            + DialectWriter.str(e.message()) + ",\"param\":null}");
        }
        ended = true;
    }

    private void event(String name, String data) throws IOException {
        StringBuilder sb = new StringBuilder(name.length() + data.length() + 16)
                .append("event: ")
                .append(name);
        int from = 0;
        for (int nl; (nl = data.indexOf('\n', from)) >= 0; from = nl + 1) {
            sb.append("\ndata: ").append(data, from, nl > from && data.charAt(nl - 1) == '\r' ? nl - 1 : nl);
        }
        sb.append("\ndata: ").append(data, from, data.length()).append("\n\n");
        write(sb.toString());
    }

    private void write(String s) throws IOException {
        written = true;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b);
        bytes += b.length;
    }

    @Override
    public void heartbeat() throws IOException {
        // the first few left out before the first byte, as DialectWriter's: a failure before the upstream's first
        // event still gets its status
        if (ended || (!written && ++heartbeatsHeld <= DialectWriter.HEARTBEATS_HELD)) return;
        if (anthropic) event("ping", "{\"type\": \"ping\"}");
        else write(": ping\n\n");
    }

    @Override
    public void flush() throws IOException {
        if (written) out.flush();
    }

    @Override
    public long bytesWritten() {
        return bytes;
    }

    /** {@return true once a failure was written mid-stream: nothing after it is the client's} */
    @Override
    public boolean responseEnded() {
        return ended;
    }

    @Override
    public boolean written() {
        return written;
    }

    @Override
    public Optional<RelayEvent.Error> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@return empty: a passthrough is streamed} */
    @Override
    public OptionalLong completionLength() {
        return OptionalLong.empty();
    }

    /** @throws IllegalStateException always: a passthrough is streamed */
    @Override
    public void writeCompletion(OutputStream body) {
        throw new IllegalStateException("a passthrough is streamed");
    }

    @Override
    public int status(RelayEvent.Error e) {
        return anthropic ? MessagesWriter.status(e.errorType()) : GatewayWriter.status(e.errorType());
    }

    @Override
    public String errorJson(RelayEvent.Error e) {
        return anthropic
                ? MessagesWriter.errorJson(MessagesWriter.anthropicType(e.errorType()), e.message())
                : GatewayWriter.errorJson(e.message(), GatewayWriter.openAiType(e.errorType()), null, e.errorType());
    }
}
