/**
 * The tool runner: an agent loop on any {@link dev.sluice.chat.ChatProvider}. Declare tools once
 * ({@link dev.sluice.agent.AgentTool}: name, description, JSON Schema, a
 * {@link dev.sluice.agent.ToolHandler}), give them to a {@link dev.sluice.agent.ToolRunner}, and
 * read one {@link dev.sluice.stream.EventStream} of {@link dev.sluice.agent.AgentEvent}s for the
 * whole run: the model's chunks, each tool's start, progress and result, the turn boundaries, and
 * the final conversation with the usage of every turn added up.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise; a null where one is not allowed
 * throws {@code NullPointerException} naming it. In events, {@code ToolProgress}'s {@code percent},
 * {@code progress} and {@code total} are the only fields that may be null (not given).
 *
 * <p>Threading: {@code ToolRunner} and {@code AgentTool} are immutable and may be shared. Each run
 * has one producer virtual thread that emits every event; the model's stream of each turn is read
 * on a virtual thread of its own, and each tool call runs on its own virtual thread (at most
 * {@code maxParallelTools} at once), so a {@code ToolHandler} must be safe to run concurrently
 * with itself; a call that needs approval waits for it on that same thread, parked. A
 * {@code ToolContext}, a {@code ToolApprovals} and an {@code ApprovalPolicy} may be used from any
 * thread. Events are immutable.
 */
@NullMarked
package dev.sluice.agent;

import org.jspecify.annotations.NullMarked;
