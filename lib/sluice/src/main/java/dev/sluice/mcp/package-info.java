/**
 * The MCP client: the tools of Model Context Protocol servers, listed and called.
 * {@link dev.sluice.mcp.McpClient} connects to one server, over Streamable HTTP (MCP 2026-07-28's
 * stateless form, the 2025-11-25 session form as a fallback) or stdio (a child process), and lists
 * its tools as {@link dev.sluice.mcp.McpTool}s, whose calls report the server's progress to a
 * {@link dev.sluice.mcp.ProgressListener}. The package knows nothing of the tool runner: the runner
 * offers these tools to a model through {@code dev.sluice.agent.McpTools}.
 *
 * <p>Nulls: arguments are non-null; a null throws {@code NullPointerException} naming it.
 *
 * <p>Threading: a client is thread-safe; each tool call blocks its caller's (virtual) thread and
 * reads the server's messages for it on a virtual thread of the client's. Failures are
 * {@link dev.sluice.McpException}s.
 */
@NullMarked
package dev.sluice.mcp;

import org.jspecify.annotations.NullMarked;
