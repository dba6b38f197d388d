package dev.sluice.openai;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.chat.Usage;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.sse.SseEvent;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a Responses API stream ({@link #TYPED}, {@link #TYPED_BACKGROUND}, {@link #NEUTRAL})
 * and its Server-Sent Events ({@link #SSE}, {@link #resumedAfter}), for
 * {@link dev.sluice.internal.call.stream.StreamingCall}:
 *
 * <ul>
 *   <li>each SSE event decodes to one {@link ResponseStreamEvent} ({@link ResponsesJson}); on a
 *       resumed stream, an event whose sequence number is not past the one resumed after is
 *       dropped (a server that repeats one is not shown twice);
 *   <li>content (counted): every event but {@code response.queued}, {@code .created},
 *       {@code .in_progress}, {@code keepalive}, {@code response.rate_limits.updated} and unknown
 *       events (so neither is an error nor ends the stream);
 *   <li>substance: a non-empty delta (text, refusal, arguments, summary, custom tool input, shell
 *       command, patch diff, MCP arguments), a {@code .done} of text, a refusal, arguments, a
 *       summary, custom tool input or an item, and the terminal event (and, for a background
 *       request, every lifecycle event: see {@link #TYPED_BACKGROUND}). The lifecycle opening,
 *       {@code output_item.added} and {@code content_part.added} are held back, so an error right
 *       after them can still be retried unseen;
 *   <li>terminal: {@code response.completed}, {@code .incomplete}, {@code .failed}; the stream
 *       ends at once after it, and the body is read on to its end (bounded) for a
 *       {@code response.rate_limits.updated} after it (see {@link ResponseStream#rateLimitsUpdated()});
 *   <li>in-band errors: the {@code error} event, an {@link ApiException} (type: its code),
 *       retryable before substance when the code names a server error or a rate limit; for the
 *       provider-neutral view also {@code response.failed} (its error's code and message);
 *   <li>a body that ends before the terminal event is an {@link IncompleteStreamException};
 *   <li>left out of the provider-neutral view ({@link #leftOut}): the items it has no place for,
 *       and unknown events.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class ResponsesStreamDecoding implements StreamRules<ResponseStreamEvent> {
    /** The Server-Sent Events of a stream: one event each. */
    static final SseFraming<ResponseStreamEvent> SSE = new Sse(-1);
    /** The rules of a typed stream: {@code response.failed} is delivered. */
    static final ResponsesStreamDecoding TYPED = new ResponsesStreamDecoding(false, false);
    /**
     * The rules of a typed background stream: its lifecycle events are substance too. Once the
     * server has created a background response, it runs whether or not the connection lasts, so a
     * stream cut off after that must be resumed, never sent again (a second response): the events
     * that name the response are delivered at once and the opening is not retried past them.
     */
    static final ResponsesStreamDecoding TYPED_BACKGROUND = new ResponsesStreamDecoding(false, true);
    /** The rules of the provider-neutral view: {@code response.failed} is thrown. */
    static final ResponsesStreamDecoding NEUTRAL = new ResponsesStreamDecoding(true, false);

    private final boolean failedIsError;
    private final boolean background;

    private ResponsesStreamDecoding(boolean failedIsError, boolean background) {
        this.failedIsError = failedIsError;
        this.background = background;
    }

    /**
     * {@return the Server-Sent Events of a stream resumed after this sequence number (a GET may be
     * retried freely): an event not past it is dropped}
     */
    static SseFraming<ResponseStreamEvent> resumedAfter(long sequenceNumber) {
        return new Sse(sequenceNumber);
    }

    /** {@link #SSE} and {@link #resumedAfter}. Immutable. */
    private static final class Sse extends SseFraming<ResponseStreamEvent> {
        private final long startingAfter;

        Sse(long startingAfter) {
            this.startingAfter = startingAfter;
        }

        @Override
        public void decode(SseEvent event, Consumer<? super ResponseStreamEvent> out) {
            ResponseStreamEvent e = ResponsesJson.decode(event);
            if (startingAfter >= 0 && e.sequenceNumber() >= 0 && e.sequenceNumber() <= startingAfter) return;
            out.accept(e);
        }
    }

    @Override
    public boolean isContent(ResponseStreamEvent event) {
        return switch (event) {
            case ResponseStreamEvent.Lifecycle l -> l.isTerminal();
            case ResponseStreamEvent.Unknown u -> false;
            case ResponseStreamEvent.Keepalive k -> false;
            case ResponseStreamEvent.RateLimitsUpdated r -> false;
            default -> true;
        };
    }

    @Override
    public boolean isSubstance(ResponseStreamEvent event) {
        return switch (event) {
            case ResponseStreamEvent.Lifecycle l -> background || l.isTerminal();
            case ResponseStreamEvent.OutputTextDelta d -> !d.delta().isEmpty();
            case ResponseStreamEvent.RefusalDelta d -> !d.delta().isEmpty();
            case ResponseStreamEvent.FunctionCallArgumentsDelta d -> !d.delta().isEmpty();
            case ResponseStreamEvent.ReasoningSummaryTextDelta d -> !d.delta().isEmpty();
            case ResponseStreamEvent.OutputTextDone d -> true;
            case ResponseStreamEvent.RefusalDone d -> true;
            case ResponseStreamEvent.FunctionCallArgumentsDone d -> true;
            case ResponseStreamEvent.ReasoningSummaryTextDone d -> true;
            case ResponseStreamEvent.OutputItemDone d -> true;
            case ResponseStreamEvent.ContentPart p -> p.type().endsWith(".done");
            case ResponseStreamEvent.CustomToolCallInputDelta d -> !d.delta().isEmpty();
            case ResponseStreamEvent.CustomToolCallInputDone d -> true;
            case ResponseStreamEvent.ShellCallCommand c -> !c.text().isEmpty();
            case ResponseStreamEvent.ApplyPatchDiff d -> !d.text().isEmpty();
            case ResponseStreamEvent.McpCallArguments a -> !a.text().isEmpty();
            default -> false;
        };
    }

    /**
     * {@return for the provider-neutral view, the type of an output item it has no place for (shell
     * and apply-patch calls, MCP calls, listings and approval requests, built-in tools' items, item
     * types added later) as the item is added, and of an event type Sluice does not know; null
     * otherwise} A typed stream delivers everything: only the neutral view names what it leaves out.
     */
    static @Nullable String leftOut(ResponseStreamEvent event) {
        return switch (event) {
            case ResponseStreamEvent.OutputItemAdded a ->
                switch (a.item()) {
                    case ResponseOutputItem.ShellCall c -> "shell_call";
                    case ResponseOutputItem.ApplyPatchCall c -> "apply_patch_call";
                    case ResponseOutputItem.McpApprovalRequest r -> "mcp_approval_request";
                    case ResponseOutputItem.Other o -> o.type();
                    default -> null;
                };
            case ResponseStreamEvent.Unknown u -> u.type();
            default -> null;
        };
    }

    @Override
    public boolean isTerminal(ResponseStreamEvent event) {
        return event instanceof ResponseStreamEvent.Lifecycle l && l.isTerminal();
    }

    @Override
    public Optional<InBandError> inBandError(ResponseStreamEvent event) {
        if (event instanceof ResponseStreamEvent.Error e) {
            return Optional.of(new InBandError(
                    e.code(),
                    e.message(),
                    OpenAiStreamDecoding.RETRYABLE.contains(e.code().toLowerCase(Locale.ROOT))));
        }
        if (failedIsError
                && event instanceof ResponseStreamEvent.Lifecycle l
                && l.type().equals("response.failed")) {
            Response.ResponseError error = l.response().error();
            String code = error == null ? "response_failed" : error.code();
            String message = error == null ? "the response failed" : error.message();
            return Optional.of(new InBandError(code, message, false));
        }
        return Optional.empty();
    }

    @Override
    public @Nullable Usage usage(ResponseStreamEvent event) {
        if (!(event instanceof ResponseStreamEvent.Lifecycle l) || l.response().usage() == null) return null;
        return ResponsesChat.usage(Objects.requireNonNull(l.response().usage())); // the cached input apart
    }

    @Override
    public Optional<SluiceException> endOfInput() {
        return Optional.of(new IncompleteStreamException("the response stream ended before response.completed, "
                + ".incomplete or .failed: the connection closed early; the partial response is attached"
                + " (a background response can be resumed after its last sequence number)"));
    }
}
