package dev.sluice.relay.protocol;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A person's answer to a tool call that waits for approval, as a frontend protocol's next request
 * brings it: the Vercel AI SDK's tool part in state {@code approval-responded} ({@link UiChatRequest}),
 * an AG-UI {@code resume} entry ({@link AgUiRunInput}). The relay decides the call with it
 * ({@link dev.sluice.relay.Relay#approve}) and the request's response continues the stream.
 *
 * @param callId the tool call's id (the approval's and the interrupt's id)
 * @param approved whether the call may run
 * @param reason why, or null
 */
public record ToolApprovalResponse(
        String callId, boolean approved, @Nullable String reason) {
    /** @throws NullPointerException if callId is null */
    public ToolApprovalResponse {
        Objects.requireNonNull(callId, "callId");
    }
}
