package dev.sluice.internal.call.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * {@code dev.sluice.Stream}: one LLM response stream, from sending its request to its end (the
 * event's duration). Committed by {@link JfrStreamObserver} for every stream of every client.
 */
@Name("dev.sluice.Stream")
@Label("Sluice Stream")
@Category("Sluice")
@Description("One streamed LLM response: from sending the request to the end of the stream")
@StackTrace(false)
public final class StreamEvent extends Event {
    @Label("Provider")
    public @Nullable String provider;

    @Label("Model")
    @Description("The model the request asked for")
    public @Nullable String model;

    @Label("Server")
    @Description("host:port the request went to")
    public @Nullable String server;

    @Label("Request Id")
    @Description("The provider's request id of the last response; empty when unknown")
    public @Nullable String requestId;

    @Label("Time to First Event")
    @Description("From sending the request to the first content event; 0 when none arrived")
    @Timespan(Timespan.NANOSECONDS)
    public long timeToFirstEvent;

    @Label("Events")
    @Description("Content events received")
    public long events;

    @Label("Bytes")
    @DataAmount(DataAmount.BYTES)
    public long bytes;

    @Label("Input Tokens")
    public long inputTokens;

    @Label("Output Tokens")
    public long outputTokens;

    @Label("End Reason")
    @Description("COMPLETED, CANCELLED, CHUNK_LIMIT, TIMED_OUT or FAILED")
    public @Nullable String endReason;

    @Label("Failure")
    @Description("The failure's exception class; empty when none")
    public @Nullable String failure;

    @Label("Retries")
    @Description("Attempts made after the first, reopenings included")
    public int retries;
}
