package dev.sluice.relay;

import dev.sluice.relay.internal.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's approval decided on a node other than the one that runs its stream
 * ({@link Relay#approve}): what that node checks in the shared store first (whether the stream
 * announced the call and has not decided it, from its stored events), the store's once-only gate
 * that lets one decision of a call count on any node, and the command that carries the decision
 * to the running node, {@code approve {"call":..,"approved":..,"reason":..}}, beside
 * {@code cancel}. Stateless.
 */
final class ApprovalCommand {
    private ApprovalCommand() {}

    static final String PREFIX = "approve ";
    private static final int BATCH = 256;

    /** {@return the command carrying a decision} */
    static String encode(String callId, boolean approved, @Nullable String reason) {
        return PREFIX + "{\"call\":" + Json.string(callId) + ",\"approved\":" + approved + ",\"reason\":"
                + (reason == null ? "null" : Json.string(reason)) + "}";
    }

    /** Hands a decision another node sent to the stream this node runs; a malformed command is dropped. */
    static void apply(RelayedStream stream, String command) {
        Map<?, ?> m = Json.object(command.substring(PREFIX.length()));
        if (m == null || !(m.get("call") instanceof String call) || !(m.get("approved") instanceof Boolean approved))
            return;
        stream.decide(call, approved, m.get("reason") instanceof String r ? r : null);
    }

    /**
     * {@return what the stored events say of a call: {@link Relay.Approval#NO_SUCH_CALL} when the
     * stream announced no such call, {@link Relay.Approval#ALREADY_DECIDED} when it was decided or
     * the stream ended, {@link Relay.Approval#DECIDED} when it waits (to be decided now)}
     */
    static Relay.Approval stored(RelayStore store, String streamId, String callId) {
        boolean announced = false;
        long after = 0;
        while (true) {
            List<String> events = store.read(streamId, after, BATCH, Duration.ZERO);
            for (String text : events) {
                StoredEvents.Stored s;
                try {
                    s = StoredEvents.decode(text);
                } catch (IllegalArgumentException e) { // a newer node's event: not an approval this node knows
                    Map<?, ?> m = Json.object(text);
                    after = m != null && m.get("i") instanceof Long id ? id : after + 1;
                    continue;
                }
                after = s.id();
                switch (s.event()) {
                    case RelayEvent.ToolApproval a when a.id().equals(callId) -> announced = true;
                    case RelayEvent.ToolApprovalDecided d
                    when d.id().equals(callId) -> {
                        return Relay.Approval.ALREADY_DECIDED;
                    }
                    case RelayEvent e
                    when e.terminal() -> {
                        return announced ? Relay.Approval.ALREADY_DECIDED : Relay.Approval.NO_SUCH_CALL;
                    }
                    default -> {}
                }
            }
            if (events.size() < BATCH) return announced ? Relay.Approval.DECIDED : Relay.Approval.NO_SUCH_CALL;
        }
    }

    /** {@return true for the first decision of a call on any node sharing the store, false for any later one} */
    static boolean firstDecision(RelayStore store, String streamId, String callId, Duration ttl) {
        return store.takeRate("approval:" + streamId + ":" + callId, 1, ttl).isZero();
    }
}
