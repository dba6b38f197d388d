package dev.sluice.anthropic;

/**
 * One block of a {@link Message}'s content:
 *
 * <ul>
 *   <li>{@link TextBlock} — text, with its citations;
 *   <li>{@link ToolUseBlock} — a call of one of the request's tools, with its input;
 *   <li>{@link ServerToolUseBlock} — a call of a server tool (web search, code execution…);
 *   <li>{@link ThinkingBlock} — extended thinking, with its signature;
 *   <li>{@link RedactedThinkingBlock} — thinking the API returns encrypted;
 *   <li>{@link OtherBlock} — any other block kept whole, exactly as it came: server tool results
 *       such as {@code web_search_tool_result}, and types this version does not know.
 * </ul>
 */
public sealed interface ContentBlock
        permits TextBlock, ToolUseBlock, ServerToolUseBlock, ThinkingBlock, RedactedThinkingBlock, OtherBlock {

    /** {@return the block's wire type, such as {@code text} or {@code tool_use}} */
    String type();
}
