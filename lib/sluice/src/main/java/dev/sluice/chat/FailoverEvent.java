package dev.sluice.chat;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * {@code dev.sluice.Failover}: a {@link FallbackChain} moved a stream to its next target. An
 * instant event, committed at the switch. It lives beside the chain, as the relay's connection
 * event lives beside the relay: the JFR package of the call layer sits above this one. No text of
 * the answer and nothing of the provider's error text: names, the reason's kind, counts.
 */
@Name("dev.sluice.Failover")
@Label("Sluice Failover")
@Category("Sluice")
@Description("A fallback chain moved a stream to its next target")
@StackTrace(false)
final class FailoverEvent extends Event {
    @Label("From")
    @Description("The target that failed, as the chain names it")
    public @Nullable String from;

    @Label("To")
    @Description("The target the answer goes on with")
    public @Nullable String to;

    @Label("Reason")
    @Description("overloaded, rate_limited, server_error, timeout, connection_lost, malformed or breaker_open")
    public @Nullable String reason;

    @Label("Mode")
    @Description("continue (the answer so far is kept) or restart (it is discarded)")
    public @Nullable String mode;

    @Label("Kept Characters")
    @Description("The length of the answer text kept and continued; 0 for a restart")
    public long keptChars;

    @Label("Input Tokens")
    @Description("The input tokens the failed attempt reported")
    public long inputTokens;

    @Label("Output Tokens")
    @Description("The output tokens the failed attempt reported")
    public long outputTokens;
}
