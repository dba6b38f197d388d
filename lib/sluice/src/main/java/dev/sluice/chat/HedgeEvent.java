package dev.sluice.chat;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * {@code dev.sluice.Hedge}: a {@link FallbackChain} raced a second target beside a slow one and
 * committed to the first to produce content. An instant event, committed at the commit, beside
 * {@link FailoverEvent}. Names and counts only.
 */
@Name("dev.sluice.Hedge")
@Label("Sluice Hedge")
@Category("Sluice")
@Description("A fallback chain started the next target beside a slow one and kept the first to produce content")
@StackTrace(false)
final class HedgeEvent extends Event {
    @Label("From")
    @Description("The target that was running when the hedge started")
    public @Nullable String from;

    @Label("To")
    @Description("The target started as the hedge")
    public @Nullable String to;

    @Label("Winner")
    @Description("The target that answered")
    public @Nullable String winner;

    @Label("After")
    @Description("How long the first target had gone without content when the hedge started")
    @Timespan(Timespan.NANOSECONDS)
    public long after;

    @Label("Loser Input Tokens")
    @Description("The input tokens the cancelled attempt reported")
    public long loserInputTokens;

    @Label("Loser Output Tokens")
    @Description("The output tokens the cancelled attempt reported")
    public long loserOutputTokens;
}
