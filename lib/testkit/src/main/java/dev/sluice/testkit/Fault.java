package dev.sluice.testkit;

import dev.sluice.testkit.internal.http.SlowStart;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.openai.CompatibleReasoning;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The faults a model name selects (see {@link FakeLlmServer}); {@code fake-flaky-N} is
 * {@link Kind#FLAKY} with {@code failures} N. A {@link FakeResponse} scripts them (and END,
 * MALFORMED, CUT_BYTES, STALL_BYTES; a PAUSE and a SIGNAL wait for and open their latch)
 * {@code after} a number of deltas, events or bytes.
 */
record Fault(Kind kind, int failures, int after, @Nullable CountDownLatch latch) {
    /** What goes wrong. */
    enum Kind {
        NONE,
        OVERLOADED,
        RATE_LIMITED,
        FLAKY,
        ERROR_MID_STREAM,
        DROP,
        STALL,
        NOT_SSE,
        ECHO_HEADERS,
        ECHO_HEADERS_MID_STREAM,
        END,
        MALFORMED,
        PAUSE,
        SIGNAL,
        CUT_BYTES,
        STALL_BYTES
    }

    /** The number of content deltas sent before a mid-stream fault strikes. */
    static final int DELTAS_BEFORE_FAULT = 3;

    static final String PREFIX = "fake-";
    private static final String FLAKY = "fake-flaky-";
    private static final int MAX_FLAKY = 1000;
    private static final Map<String, Kind> BY_MODEL = Map.of(
            "fake-overloaded", Kind.OVERLOADED,
            "fake-rate-limited", Kind.RATE_LIMITED,
            "fake-error-mid-stream", Kind.ERROR_MID_STREAM,
            "fake-drop", Kind.DROP,
            "fake-stall", Kind.STALL,
            "fake-not-sse", Kind.NOT_SSE,
            "fake-echo-headers", Kind.ECHO_HEADERS,
            "fake-echo-headers-mid-stream", Kind.ECHO_HEADERS_MID_STREAM);

    static final Fault NONE = new Fault(Kind.NONE, 0);

    /**
     * {@return the latch of a pause or a signal}
     *
     * @throws IllegalStateException for a fault that has none
     */
    CountDownLatch gate() {
        if (latch == null) throw new IllegalStateException(kind + " has no latch");
        return latch;
    }

    Fault(Kind kind, int failures) {
        this(kind, failures, DELTAS_BEFORE_FAULT, null);
    }

    static Fault after(Kind kind, int n) {
        return new Fault(kind, 0, n, null);
    }

    /**
     * {@return the fault a model name selects; NONE for a name not starting with {@code fake-}}
     *
     * @throws ApiError NOT_FOUND for an unknown {@code fake-} name
     */
    static Fault of(String model) throws ApiError {
        if (!model.startsWith(PREFIX)) return NONE;
        Kind kind = BY_MODEL.get(model);
        if (kind != null) return new Fault(kind, 0);
        if (model.startsWith(FLAKY)) {
            String n = model.substring(FLAKY.length());
            if (n.matches("[0-9]{1,4}")) {
                int failures = Integer.parseInt(n);
                if (failures >= 1 && failures <= MAX_FLAKY) return new Fault(Kind.FLAKY, failures);
            }
        }
        if (SlowStart.names(model) || CompatibleReasoning.names(model)) return NONE;
        throw new ApiError(
                ApiError.Kind.NOT_FOUND,
                "model: " + model
                        + " (the fake server knows fake-overloaded, fake-rate-limited, fake-flaky-N, fake-error-mid-stream,"
                        + " fake-drop, fake-stall, fake-not-sse, fake-echo-headers, fake-echo-headers-mid-stream,"
                        + " fake-first-token-MS, fake-heavy-tail, fake-reasoning, fake-reasoning-content and fake-reasoning-details;"
                        + " other names starting with fake- are reserved)");
    }

    /** {@return whether it strikes after some deltas of a stream} */
    boolean midStream() {
        return kind == Kind.ERROR_MID_STREAM
                || kind == Kind.DROP
                || kind == Kind.STALL
                || kind == Kind.END
                || kind == Kind.MALFORMED
                || kind == Kind.ECHO_HEADERS_MID_STREAM;
    }

    boolean bodyLimit() {
        return kind == Kind.CUT_BYTES || kind == Kind.STALL_BYTES;
    }
}
