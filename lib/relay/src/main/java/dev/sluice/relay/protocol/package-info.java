/**
 * The relay's protocols for frontends, each a thin mapping over {@link dev.sluice.relay.RelayEvent}s
 * in one place: a writer of the stream a client reads and a parser of the request it sends. The
 * Vercel AI SDK's UI message stream ({@link UiMessageStreamWriter}, {@link UiChatRequest}) and its
 * {@code useObject} text ({@link ObjectTextWriter}, {@link ObjectRequest}); AG-UI
 * ({@link AgUiWriter}, {@link AgUiRunInput}); the OpenAI-compatible Chat Completions gateway
 * ({@link GatewayWriter}, {@link GatewayRequest}); tool approvals as each protocol answers them
 * ({@link ToolApprovalResponse}). No HTTP here: {@code dev.sluice.relay.http} routes requests to
 * these. A request that cannot be parsed is refused with a
 * {@link dev.sluice.RelayException} of kind {@code INVALID_REQUEST} that names the member at fault.
 *
 * <p>Nulls: none accepted or returned unless a parameter, record component or return says so
 * ({@code @Nullable}): a request's optional members.
 *
 * <p>Threading: requests are immutable values; a writer is used by one thread at a time (its
 * subscription's), and does not close the stream it writes to.
 */
@NullMarked
package dev.sluice.relay.protocol;

import org.jspecify.annotations.NullMarked;
