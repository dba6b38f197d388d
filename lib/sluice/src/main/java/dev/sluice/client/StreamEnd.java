package dev.sluice.client;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.stream.EndReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How a stream ended and what it measured, for {@link StreamObserver.Observation#onEnd}. Immutable.
 * A stream whose opening failed ends {@link EndReason#FAILED} (or {@link EndReason#TIMED_OUT} for a
 * first-event timeout while connecting, {@link EndReason#CANCELLED} when cancelled while opening)
 * with no chunks and no bytes.
 */
public final class StreamEnd {
    private final StreamStart start;
    private final EndReason endReason;
    private final @Nullable SluiceException failure;
    private final @Nullable String requestId;
    private final Duration duration;
    private final @Nullable Duration timeToFirstChunk;
    private final long chunks;
    private final long bytes;
    private final long inputTokens;
    private final long outputTokens;
    private final int retries;
    private final long cacheReadTokens;
    private final long cacheWriteTokens;

    /**
     * @param start the stream's start
     * @param endReason why it ended
     * @param failure the failure, or null when it did not fail
     * @param requestId the provider's request id of the last response, or null when unknown
     * @param duration from the start to the end
     * @param timeToFirstChunk from the start to the first chunk, or null when none arrived
     * @param chunks the chunks that arrived
     * @param bytes the bytes read from the response body
     * @param inputTokens the input tokens the provider reported (the latest running total), or -1
     *     when it reported none
     * @param outputTokens the output tokens the provider reported (the latest running total), or -1
     *     when it reported none
     * @param retries the attempts made after the first (reopenings included)
     * @throws NullPointerException if start, endReason or duration is null
     * @throws IllegalArgumentException if a count is negative
     */
    public StreamEnd(
            StreamStart start,
            EndReason endReason,
            @Nullable SluiceException failure,
            @Nullable String requestId,
            Duration duration,
            @Nullable Duration timeToFirstChunk,
            long chunks,
            long bytes,
            long inputTokens,
            long outputTokens,
            int retries) {
        this(
                start,
                endReason,
                failure,
                requestId,
                duration,
                timeToFirstChunk,
                chunks,
                bytes,
                inputTokens,
                outputTokens,
                retries,
                0,
                0);
    }

    /**
     * A stream's end with the provider's prompt cache counts.
     *
     * @param start the stream's start
     * @param endReason why it ended
     * @param failure the failure, or null when it did not fail
     * @param requestId the provider's request id of the last response, or null when unknown
     * @param duration from the start to the end
     * @param timeToFirstChunk from the start to the first chunk, or null when none arrived
     * @param chunks the chunks that arrived
     * @param bytes the bytes read from the response body
     * @param inputTokens the input tokens the provider reported, not counting cache reads and
     *     writes, or -1 when it reported none
     * @param outputTokens the output tokens the provider reported, or -1 when it reported none
     * @param retries the attempts made after the first (reopenings included)
     * @param cacheReadTokens input tokens read from the provider's prompt cache, 0 if none or unreported
     * @param cacheWriteTokens input tokens written to the provider's prompt cache, 0 if none or unreported
     * @throws NullPointerException if start, endReason or duration is null
     * @throws IllegalArgumentException if a count is negative
     */
    public StreamEnd(
            StreamStart start,
            EndReason endReason,
            @Nullable SluiceException failure,
            @Nullable String requestId,
            Duration duration,
            @Nullable Duration timeToFirstChunk,
            long chunks,
            long bytes,
            long inputTokens,
            long outputTokens,
            int retries,
            long cacheReadTokens,
            long cacheWriteTokens) {
        if (cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException(
                    "cache counts must not be negative: " + cacheReadTokens + ", " + cacheWriteTokens);
        }
        this.cacheReadTokens = cacheReadTokens;
        this.cacheWriteTokens = cacheWriteTokens;
        this.start = Objects.requireNonNull(start, "start");
        this.endReason = Objects.requireNonNull(endReason, "endReason");
        this.failure = failure;
        this.requestId = requestId;
        this.duration = Objects.requireNonNull(duration, "duration");
        this.timeToFirstChunk = timeToFirstChunk;
        if (chunks < 0 || bytes < 0 || retries < 0) {
            throw new IllegalArgumentException(
                    "counts must not be negative: chunks " + chunks + ", bytes " + bytes + ", retries " + retries);
        }
        this.chunks = chunks;
        this.bytes = bytes;
        this.inputTokens = Math.max(-1, inputTokens);
        this.outputTokens = Math.max(-1, outputTokens);
        this.retries = retries;
    }

    /** {@return the stream's start} */
    public StreamStart start() {
        return start;
    }

    /** {@return why the stream ended} */
    public EndReason endReason() {
        return endReason;
    }

    /** {@return the failure, when the stream FAILED or TIMED_OUT} */
    public Optional<SluiceException> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@return the provider's request id of the last response, when known} */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** {@return from the start (the request about to be sent) to the end} */
    public Duration duration() {
        return duration;
    }

    /** {@return from the start to the first chunk, when one arrived} */
    public Optional<Duration> timeToFirstChunk() {
        return Optional.ofNullable(timeToFirstChunk);
    }

    /** {@return how many chunks arrived} */
    public long chunks() {
        return chunks;
    }

    /** {@return how many bytes of response body were read} */
    public long bytes() {
        return bytes;
    }

    /** {@return the input tokens the provider reported, when it reported any} */
    public OptionalLong inputTokens() {
        return inputTokens < 0 ? OptionalLong.empty() : OptionalLong.of(inputTokens);
    }

    /** {@return the output tokens the provider reported, when it reported any} */
    public OptionalLong outputTokens() {
        return outputTokens < 0 ? OptionalLong.empty() : OptionalLong.of(outputTokens);
    }

    /** {@return the input tokens the provider read from its prompt cache, 0 if none or unreported} */
    public long cacheReadTokens() {
        return cacheReadTokens;
    }

    /** {@return the input tokens the provider wrote to its prompt cache, 0 if none or unreported} */
    public long cacheWriteTokens() {
        return cacheWriteTokens;
    }

    /** {@return how many attempts were made after the first} */
    public int retries() {
        return retries;
    }

    /**
     * {@return the stream's {@code error.type} in OpenTelemetry's GenAI conventions, or empty when it
     * did not fail} A failure's is {@link #errorType(SluiceException)}'s; a stream that timed out, or
     * whose opening failed outside the exception family ({@code _OTHER}), failed too. A cancelled
     * stream, or one ended by its chunk limit or token budget, did not.
     */
    public Optional<String> errorType() {
        if (failure != null) return Optional.of(errorType(failure));
        return switch (endReason) {
            case TIMED_OUT -> Optional.of("timeout");
            case FAILED -> Optional.of("_OTHER");
            default -> Optional.empty();
        };
    }

    /**
     * {@return a failure's {@code error.type} in OpenTelemetry's GenAI conventions: the provider's
     * error type when it sent one, {@code timeout} for a timeout, else the exception's class name}
     *
     * @param failure the failure
     * @throws NullPointerException if failure is null
     */
    public static String errorType(SluiceException failure) {
        if (failure instanceof StreamTimeoutException) return "timeout";
        if (failure instanceof ApiException api
                && api.errorType() != null
                && !api.errorType().isBlank()) return api.errorType();
        return failure.getClass().getName();
    }

    @Override
    public String toString() {
        return "StreamEnd[" + start.provider() + " " + start.model() + ", " + endReason
                + (failure != null ? " (" + failure.getClass().getSimpleName() + ")" : "") + ", " + chunks + " chunks, "
                + bytes + " bytes, " + duration.toMillis() + " ms, retries " + retries + "]";
    }
}
