package dev.sluice.relay;

import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.internal.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's approval decided, or a tool's question answered, on a node other than the one that
 * runs its stream ({@link Relay#approve}, {@link Relay#answer}): what that node checks in the shared
 * store first (whether the stream announced the call and has not decided it, or asks a question
 * the tool has not ended after, from its stored events), the store's once-only gate that lets one
 * decision of a call (one answer of a question) count on any node, and the command that carries
 * the decision to the running node, {@code approve {"call":..,"approved":..,"reason":..,"content":..}},
 * beside {@code cancel}. Stateless.
 */
final class ApprovalCommand {
    private ApprovalCommand() {}

    static final String PREFIX = "approve ";
    private static final int BATCH = 256;

    /** What the stored events say of a call, and the key of its once-only gate. */
    record Known(Relay.Approval approval, String gate) {}

    /**
     * {@return the command carrying a decision, or an answer when {@code content} is not null; with
     * {@code question} not 0, for the question that event asked only}
     */
    static String encode(
            String callId,
            boolean approved,
            @Nullable String reason,
            @Nullable Map<String, Object> content,
            long question) {
        StringBuilder sb = new StringBuilder(PREFIX)
                .append("{\"call\":")
                .append(Json.string(callId))
                .append(",\"approved\":")
                .append(approved)
                .append(",\"reason\":")
                .append(reason == null ? "null" : Json.string(reason));
        if (content != null) {
            sb.append(",\"content\":");
            JsonText.write(content, sb);
        }
        if (question != 0) sb.append(",\"question\":").append(question);
        return sb.append('}').toString();
    }

    /** Hands a decision another node sent to the stream this node runs; a malformed command is dropped. */
    @SuppressWarnings("unchecked") // a JSON object's members, as PartialJson reads them
    static void apply(RelayedStream stream, String command) {
        Map<?, ?> m = Json.object(command.substring(PREFIX.length()));
        if (m == null || !(m.get("call") instanceof String call) || !(m.get("approved") instanceof Boolean approved))
            return;
        Map<String, Object> content = m.get("content") instanceof Map<?, ?> c ? (Map<String, Object>) c : null;
        long question = m.get("question") instanceof Number n ? n.longValue() : 0;
        stream.decide(call, approved, m.get("reason") instanceof String r ? r : null, content, question);
    }

    /** Hands a decision another node sent to a task this node took over ({@link TaskTakeover}); a malformed command is dropped. */
    @SuppressWarnings({"unchecked", "NullAway"}) // a JSON object's members; ToolApprovals takes a null reason
    static void apply(RelaySource source, String command) {
        Map<?, ?> m = Json.object(command.substring(PREFIX.length()));
        if (m == null || !(m.get("call") instanceof String call) || !(m.get("approved") instanceof Boolean approved))
            return;
        Map<String, Object> content = m.get("content") instanceof Map<?, ?> c ? (Map<String, Object>) c : null;
        if (content != null && approved) source.answer(call, content);
        else source.approve(call, approved, m.get("reason") instanceof String r ? r : null);
    }

    /** {@return the call a decision's command is for; null for a malformed command} */
    static @Nullable String call(String command) {
        Map<?, ?> m = Json.object(command.substring(PREFIX.length()));
        return m != null && m.get("call") instanceof String call ? call : null;
    }

    /** {@return the gate key of the question a call's tool asked in the event of that id} */
    static String questionGate(String callId, long eventId) {
        return callId + "@" + eventId;
    }

    /**
     * {@return what the stored events say of a call: {@link Relay.Approval#NO_SUCH_CALL} when the
     * stream announced no such call, {@link Relay.Approval#ALREADY_DECIDED} when it was decided or
     * the stream ended, {@link Relay.Approval#DECIDED} when it waits (to be decided now): for an
     * approval, until its decision; for a tool's question ({@code tool_input}), until the call's
     * tool ends (an answer given meanwhile is refused by the gate, and by the running node). With
     * {@code question} not 0 (the id of a {@code tool_input} event), of that question:
     * {@link Relay.Approval#NO_SUCH_CALL} when that event is no question of the call's,
     * {@link Relay.Approval#ALREADY_DECIDED} when the call asked again since}
     */
    static Known stored(RelayStore store, String streamId, String callId, long question) {
        boolean asked = question == 0;
        boolean announced = false;
        boolean waiting = false;
        String gate = callId;
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
                    case RelayEvent.ToolApproval a
                    when a.id().equals(callId) -> {
                        announced = true;
                        waiting = true;
                        gate = callId;
                    }
                    case RelayEvent.ToolApprovalDecided d when d.id().equals(callId) -> waiting = false;
                    case RelayEvent.ToolInput q
                    when q.id().equals(callId) -> {
                        announced = true;
                        waiting = true;
                        gate = questionGate(callId, s.id());
                        if (s.id() == question) asked = true;
                    }
                    case RelayEvent.ToolDone d when d.id().equals(callId) -> waiting = false;
                    case RelayEvent.ToolFailed f when f.id().equals(callId) -> waiting = false;
                    case RelayEvent e
                    when e.terminal() -> {
                        return new Known(
                                announced && asked ? Relay.Approval.ALREADY_DECIDED : Relay.Approval.NO_SUCH_CALL,
                                gate);
                    }
                    default -> {}
                }
            }
            if (events.size() < BATCH) {
                Relay.Approval a = !announced || !asked
                        ? Relay.Approval.NO_SUCH_CALL
                        : waiting && (question == 0 || gate.equals(questionGate(callId, question)))
                                ? Relay.Approval.DECIDED
                                : Relay.Approval.ALREADY_DECIDED;
                return new Known(a, gate);
            }
        }
    }

    /** {@return true for the first decision of a call (the gate {@link #stored} named) on any node sharing the store, false for any later one} */
    static boolean firstDecision(RelayStore store, String streamId, String gate, Duration ttl) {
        return store.takeRate("approval:" + streamId + ":" + gate, 1, ttl).isZero();
    }
}
