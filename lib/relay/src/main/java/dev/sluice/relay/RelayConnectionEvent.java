package dev.sluice.relay;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * {@code dev.sluice.RelayConnection}: one browser connection served by the relay, from the request
 * to the connection's end (the event's duration). The relay emits it:
 *
 * <pre>{@code
 * RelayConnectionEvent event = new RelayConnectionEvent();
 * event.begin();                       // as the connection is accepted
 * ... serve it ...
 * if (event.shouldCommit()) {          // false when no recording takes the event: skip the work
 *     event.streamId = ...; event.resumedFrom = ...; event.eventsSent = ...; ...
 *     event.commit();
 * }
 * }</pre>
 */
@Name("dev.sluice.RelayConnection")
@Label("Sluice Relay Connection")
@Category("Sluice")
@Description("One client connection served by the relay: from the request to the connection's end")
@StackTrace(false)
final class RelayConnectionEvent extends Event {
    @Label("Stream Id")
    @Description("The relayed stream this connection follows")
    public @Nullable String streamId;

    @Label("Remote Address")
    @Description("The client's address as the server reports it")
    public @Nullable String remoteAddress;

    @Label("Resumed From")
    @Description("The Last-Event-ID the client sent; empty for a new connection")
    public @Nullable String resumedFrom;

    @Label("Events Sent")
    public long eventsSent;

    @Label("Events Replayed")
    @Description("Events sent again from the replay buffer after a Last-Event-ID")
    public long eventsReplayed;

    @Label("Heartbeats")
    public long heartbeats;

    @Label("Bytes Sent")
    @DataAmount(DataAmount.BYTES)
    public long bytesSent;

    @Label("End Reason")
    @Description("completed, client left, replaced, expired or failed")
    public @Nullable String endReason;
}
