package dev.sluice.anthropic;

/**
 * One block of a {@link Message}'s content:
 *
 * <ul>
 *   <li>{@link TextBlock} — text, with its citations;
 *   <li>{@link ToolUseBlock} — a call of one of the request's tools, with its input;
 *   <li>{@link ServerToolUseBlock} — a call of a server tool (web search, code execution…);
 *   <li>{@link ServerToolResultBlock} — its result, typed by kind (web search, web fetch, code
 *       execution, bash and text-editor code execution, tool search), complete when it starts;
 *   <li>{@link McpToolUseBlock} and {@link McpToolResultBlock} — a call of a remote MCP server's
 *       tool and its result;
 *   <li>{@link ContainerUploadBlock} — a file placed in the code-execution container;
 *   <li>{@link ThinkingBlock} — extended thinking, with its signature;
 *   <li>{@link RedactedThinkingBlock} — thinking the API returns encrypted;
 *   <li>{@link CompactionBlock} — the summary of server-side compaction, with its opaque state;
 *   <li>{@link FallbackBlock} — where a server-side fallback model takes over;
 *   <li>{@link OtherBlock} — any other block kept whole, exactly as it came: types this version
 *       does not know.
 * </ul>
 */
public sealed interface ContentBlock
        permits TextBlock,
                ToolUseBlock,
                ServerToolUseBlock,
                ServerToolResultBlock,
                McpToolUseBlock,
                McpToolResultBlock,
                ContainerUploadBlock,
                ThinkingBlock,
                RedactedThinkingBlock,
                CompactionBlock,
                FallbackBlock,
                OtherBlock {

    /** {@return the block's wire type, such as {@code text} or {@code tool_use}} */
    String type();
}
