package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.client.StreamCaller;
import dev.sluice.relay.DirectRun;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelaySource;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.internal.Json;
import dev.sluice.stream.StreamController;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The admission of one stream for {@link RelayAdmission}: the model allowlist and the token cap,
 * then one of the client's creations of the minute and a place among its running streams
 * ({@link ClientLimits}), released when the stream ends, with its access-log line. Every refusal,
 * the relay's included, is thrown as a {@link HttpRefusals.Refused}. Safe from any thread; the end
 * hook runs on the stream's thread.
 */
final class StreamAdmission {
    private final Relay relay;
    private final ClientLimits limits;
    private final int maxTokens;
    private final Map<String, Set<String>> models;
    private final @Nullable Consumer<String> accessLog;

    StreamAdmission(
            Relay relay,
            ClientLimits limits,
            int maxTokens,
            Map<String, Set<String>> models,
            @Nullable Consumer<String> accessLog) {
        this.relay = relay;
        this.limits = limits;
        this.maxTokens = maxTokens;
        this.models = models;
        this.accessLog = accessLog;
    }

    /**
     * Starts a stream on the relay ({@link RelayAdmission#start(StartRequest, Relay.SourceFactory, String, Consumer)}),
     * for a minted key (its models, then its budget reserved) or none.
     */
    String start(
            StartRequest request,
            Relay.@Nullable SourceFactory source,
            String clientAddress,
            @Nullable Consumer<? super RelayEvent> onEnd,
            @Nullable KeyCaller caller) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(clientAddress, "clientAddress");
        try {
            StartRequest.Resolved admitted = admit(request, clientAddress);
            long started = System.nanoTime();
            // a short stream may end before relay.start returns its id: its log line waits for the id
            CompletableFuture<String> id = new CompletableFuture<>();
            KeyCaller.Reservation reserved = null;
            try {
                if (caller != null) reserved = caller.reserve(caller.allow(admitted));
                KeyCaller.Reservation held = reserved;
                Consumer<RelayEvent> ended = last -> {
                    limits.release(clientAddress);
                    if (held != null) held.settle(last);
                    long took = System.nanoTime() - started;
                    if (accessLog != null) {
                        var unused = id.thenAccept(i -> accessLog.accept(accessLine(
                                        clientAddress, i, admitted, last, took)
                                + (caller == null ? "" : " key=" + caller.key().id())));
                    }
                    if (onEnd != null) onEnd.accept(last);
                };
                Relay.@Nullable SourceFactory opening = source == null ? null : keyed(source, caller);
                // opened as the key's (or as no one's), the relay's own source too: its observers see the id
                String streamId =
                        StreamCaller.call(keyId(caller), () -> relay.start(admitted.request(), opening, ended));
                id.complete(streamId);
                return streamId;
            } catch (RuntimeException e) { // not started: the hook will not run
                limits.release(clientAddress);
                if (reserved != null) reserved.release();
                throw e;
            }
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }

    /** Admits a run straight to its one client ({@link RelayAdmission#direct}), its key's budget reserved. */
    DirectRun direct(
            StartRequest request,
            Relay.SourceFactory source,
            String clientAddress,
            String logId,
            @Nullable KeyCaller caller) {
        try {
            StartRequest.Resolved admitted = admit(request, clientAddress);
            long started = System.nanoTime();
            KeyCaller.Reservation reserved = null;
            try {
                if (caller != null) reserved = caller.reserve(admitted.request());
                KeyCaller.Reservation held = reserved;
                return relay.direct(
                        admitted.request(),
                        keyed(source, caller),
                        last -> {
                            limits.release(clientAddress);
                            if (held != null) held.settle(last);
                            if (accessLog != null)
                                accessLog.accept(
                                        accessLine(clientAddress, logId, admitted, last, System.nanoTime() - started)
                                                + (caller == null
                                                        ? ""
                                                        : " key=" + caller.key().id()));
                        },
                        logId);
            } catch (RuntimeException e) { // not admitted: the hook will not run
                limits.release(clientAddress);
                if (reserved != null) reserved.release();
                throw e;
            }
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }

    /** {@return the id of the key a request came with; null for none} */
    private static @Nullable String keyId(@Nullable KeyCaller caller) {
        return caller == null ? null : caller.key().id();
    }

    /**
     * {@return the source opening its upstream as the key's ({@link StreamCaller}), so that the
     * upstream client's observers (spans, metrics) name the key's id, or as no one's} The binding covers the threads the opening starts (the stream's producer, a
     * fallback chain's later targets), and hides one the opening thread may have inherited.
     */
    private static Relay.SourceFactory keyed(Relay.SourceFactory source, @Nullable KeyCaller caller) {
        return new KeyedSource(source, keyId(caller));
    }

    /** A source factory whose opening runs as a caller's ({@link #keyed}). */
    private record KeyedSource(
            Relay.SourceFactory source, @Nullable String keyId) implements Relay.SourceFactory {
        @Override
        public RelaySource open(StartRequest.Resolved request, StreamController controller) {
            return StreamCaller.call(keyId, () -> source.open(request, controller));
        }

        @Override
        public @Nullable RelaySource follow(
                String callId, String toolName, String taskId, StreamController controller) {
            return StreamCaller.call(keyId, () -> source.follow(callId, toolName, taskId, controller));
        }
    }

    /**
     * {@return the request resolved and capped, once the client has taken a creation and a place
     * among its running streams} The place is the caller's to release.
     */
    private StartRequest.Resolved admit(StartRequest request, String clientAddress) {
        StartRequest.Resolved admitted = resolveAndCap(request);
        limits.takeCreation(clientAddress);
        limits.acquireStream(clientAddress);
        return admitted;
    }

    /**
     * {@return the request with its provider and model resolved and the token cap applied}
     *
     * @throws RelayException {@code unknown_provider} for a provider the relay does not have
     * @throws HttpRefusals.Refused 400 {@code model_not_allowed} or {@code max_tokens_too_large}
     */
    private StartRequest.Resolved resolveAndCap(StartRequest request) {
        StartRequest.Resolved resolved = relay.resolve(request);
        Set<String> allowed = models.get(resolved.provider());
        if (allowed != null && !allowed.contains(resolved.model())) {
            throw HttpRefusals.of(
                    400,
                    "model_not_allowed",
                    "this server does not offer the model \"" + HttpRefusals.shorten(resolved.model()) + "\" of "
                            + HttpRefusals.shorten(resolved.provider())
                            + "; it offers "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
        Integer asked = request.maxTokens();
        if (asked != null && asked > maxTokens) {
            throw HttpRefusals.of(
                    400,
                    "max_tokens_too_large",
                    "\"maxTokens\" is " + asked + "; this server allows at most " + maxTokens);
        }
        return asked == null && maxTokens < StartRequest.DEFAULT_MAX_TOKENS
                ? resolved.request().withMaxTokens(maxTokens).resolved(resolved.provider(), resolved.model())
                : resolved;
    }

    /**
     * {@return one access-log line} Time, client address, stream id, provider, model, tokens in and
     * out, how it ended and how long it ran, then the input tokens read from and written to the
     * provider's prompt cache when there were any; never a prompt, an answer or a key. The model, which
     * a client may name, is quoted as a JSON string so that it cannot forge a line.
     */
    static String accessLine(
            String clientAddress, String streamId, StartRequest.Resolved request, RelayEvent last, long nanos) {
        long in = 0;
        long out = 0;
        String cache = "";
        String end = "unknown";
        if (last instanceof RelayEvent.Done d) {
            in = d.inputTokens();
            out = d.outputTokens();
            if (d.cacheReadTokens() > 0 || d.cacheWriteTokens() > 0)
                cache = " cache_read=" + d.cacheReadTokens() + " cache_write=" + d.cacheWriteTokens();
            end = "done:" + (d.finishReason() == null ? "none" : d.finishReason());
        } else if (last instanceof RelayEvent.Error e) {
            end = "error:" + e.errorType();
        } else if (last instanceof RelayEvent.Cancelled) {
            end = "cancelled";
        }
        return Instant.now() + " client=" + clientAddress + " stream=" + streamId
                + " provider="
                + Json.string(request.provider())
                + " model=" + Json.string(request.model())
                + " tokens_in=" + in + " tokens_out=" + out + " end=" + Json.string(end) + " duration_ms="
                + nanos / 1_000_000
                + cache;
    }
}
