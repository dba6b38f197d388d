package dev.sluice.examples;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolApprovals;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** docs/tool-runner.md: a tool that runs only once someone approves its call. */
public final class ApproveToolCalls {
    private ApproveToolCalls() {}

    /** Runs {@code request} with {@code delete_file} asking for approval, and approves each call; {@return the tools approved} */
    static List<String> run(ChatProvider provider, ChatRequest request, AgentTool deleteFile, AgentTool listFiles) {
        List<String> approved = new ArrayList<>();
        ToolRunner runner = ToolRunner.builder(provider)
                .tool(deleteFile)
                .tool(listFiles)
                .approval(ApprovalPolicy.tools("delete_file")) // or all(), sources("github"), p.or(q)
                .approvalTimeout(Duration.ofMinutes(10)) // the default
                .build();
        ToolApprovals approvals = ToolApprovals.create(); // one per run
        try (EventStream<AgentEvent> events = runner.run(request, StreamController.create(), approvals)) {
            for (AgentEvent event : events) {
                if (event instanceof AgentEvent.ApprovalRequested asked) {
                    // show asked.name() and asked.arguments(); then, from any thread:
                    approvals.decide(asked.id(), true, null); // false if no such call waits
                    approved.add(asked.name());
                }
            }
        }
        return approved;
    }
}
