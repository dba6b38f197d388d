package dev.sluice.anthropic;

/**
 * One block of a request message's content:
 *
 * <ul>
 *   <li>{@link TextParam} — text, optionally with citations and cache control;
 *   <li>{@link ImageParam} — an image, base64 or by URL;
 *   <li>{@link DocumentParam} — a document: a base64 PDF, plain text, or a URL;
 *   <li>{@link ToolUseParam} — a tool call the assistant made (when replaying a conversation);
 *   <li>{@link ToolResultParam} — the result of a tool call, in a user message;
 *   <li>{@link ThinkingParam}, {@link RedactedThinkingParam} — thinking passed back unchanged;
 *   <li>{@link CompactionParam}, {@link VerbatimParam} — compaction, fallback, server-tool and MCP blocks passed back
 *       unchanged, in place.
 * </ul>
 */
public sealed interface ContentBlockParam
        permits TextParam,
                ImageParam,
                DocumentParam,
                ToolUseParam,
                ToolResultParam,
                ThinkingParam,
                RedactedThinkingParam,
                CompactionParam,
                VerbatimParam {

    /** {@return the block's wire type, such as {@code text}} */
    String type();
}
