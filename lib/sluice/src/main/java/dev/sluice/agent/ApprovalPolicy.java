package dev.sluice.agent;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which tool calls wait for a person's approval before their handler runs
 * ({@link ToolRunner.Builder#approval}). A call of a tool the policy selects emits
 * {@link AgentEvent.ApprovalRequested} and waits until it is decided through the run's
 * {@link ToolApprovals}, or the runner's approval timeout passes.
 *
 * <pre>{@code
 * ApprovalPolicy policy = ApprovalPolicy.tools("delete_file").or(ApprovalPolicy.sources("github"));
 * }</pre>
 *
 * <p>Implementations must be thread-safe and quick: the policy is asked on the run's producer
 * thread, once per call, after the call's arguments were checked.
 */
@FunctionalInterface
public interface ApprovalPolicy {

    /**
     * {@return whether a call of this tool must be approved before it runs}
     *
     * @param tool the tool the model called
     */
    boolean requiresApproval(AgentTool tool);

    /** {@return a policy under which no call waits (the runner's default)} */
    static ApprovalPolicy none() {
        return Policies.NONE;
    }

    /** {@return a policy under which every call waits for approval} */
    static ApprovalPolicy all() {
        return tool -> true;
    }

    /**
     * {@return a policy selecting the tools of these names}
     *
     * @param names the tools' names, as the model calls them
     * @throws NullPointerException if an argument is null
     */
    static ApprovalPolicy tools(String... names) {
        Set<String> set = Set.copyOf(List.of(names));
        return tool -> set.contains(tool.name());
    }

    /**
     * {@return a policy selecting every tool from these sources} ({@link AgentTool#source()}: an
     * MCP server's name, {@code ""} for Java tools)
     *
     * @param servers the sources' names
     * @throws NullPointerException if an argument is null
     */
    static ApprovalPolicy sources(String... servers) {
        Set<String> set = Set.copyOf(List.of(servers));
        return tool -> set.contains(tool.source());
    }

    /**
     * {@return a policy selecting the tools this one or {@code other} selects}
     *
     * @param other the other policy
     * @throws NullPointerException if other is null
     */
    @SuppressWarnings("ReferenceEquality") // identity: Policies.NONE is the one policy that never asks
    default ApprovalPolicy or(ApprovalPolicy other) {
        Objects.requireNonNull(other, "other");
        if (this == Policies.NONE) return other;
        if (other == Policies.NONE) return this;
        return tool -> requiresApproval(tool) || other.requiresApproval(tool);
    }
}
