package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.Relay;
import dev.sluice.relay.protocol.ToolInputResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's decision over HTTP for {@link RelayAdmission#approve}: the approval's JSON checked
 * (a boolean {@code approved}, a short {@code reason}, a question's {@code content}), then handed
 * to the relay, and the relay's answer refused as HTTP when it did not decide. Stateless.
 */
final class ToolDecisions {
    /** The longest reason a decision may carry, in characters. */
    static final int MAX_REASON_CHARS = 2000;

    private ToolDecisions() {}

    /** Decides a call or answers a question on the relay, as {@link RelayAdmission#approve} says. */
    static void decide(Relay relay, String streamId, String callId, @Nullable Map<?, ?> decision) {
        if (decision == null || !(decision.get("approved") instanceof Boolean approved)) {
            throw HttpRefusals.of(
                    400,
                    "invalid_request",
                    "send {\"approved\": true} or {\"approved\": false}, with an optional \"reason\""
                            + " (or, answering a tool's question, {\"approved\": true, \"content\": {...}})");
        }
        Object reason = decision.get("reason");
        if (reason != null && !(reason instanceof String r && r.length() <= MAX_REASON_CHARS)) {
            throw HttpRefusals.of(
                    400,
                    "invalid_request",
                    "\"reason\" must be a string of at most " + MAX_REASON_CHARS + " characters");
        }
        Map<String, Object> content = null;
        if (decision.containsKey("content")) {
            try {
                content = ToolInputResponse.content(decision.get("content"), "\"content\"");
            } catch (RelayException e) {
                throw HttpRefusals.of(e);
            }
        }
        if (content != null && !approved) {
            throw HttpRefusals.of(
                    400,
                    "invalid_request",
                    "\"content\" answers a question: send it with \"approved\": true, or decline with"
                            + " {\"approved\": false} alone");
        }
        Relay.Approval result;
        try {
            result = content != null
                    ? relay.answer(streamId, callId, content)
                    : relay.approve(streamId, callId, approved, (String) reason);
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
        switch (result) {
            case DECIDED -> {}
            case NO_SUCH_STREAM ->
                throw HttpRefusals.of(
                        404,
                        "not_found",
                        "no stream \"" + HttpRefusals.shorten(streamId)
                                + "\": it never existed, or it ended longer ago than the relay keeps streams");
            case NO_SUCH_CALL ->
                throw HttpRefusals.of(
                        404,
                        "not_found",
                        "stream \"" + HttpRefusals.shorten(streamId) + "\" has no tool call \""
                                + HttpRefusals.shorten(callId) + "\" that asked for approval or an answer");
            case ALREADY_DECIDED ->
                throw HttpRefusals.of(
                        409,
                        "already_decided",
                        "tool call \"" + HttpRefusals.shorten(callId)
                                + "\" was decided or answered already, or its tool or stream has ended;"
                                + " its stream's events say how");
        }
    }
}
