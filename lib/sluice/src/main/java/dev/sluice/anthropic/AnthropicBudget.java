package dev.sluice.anthropic;

import dev.sluice.SluiceException;
import dev.sluice.client.TokenBudget;
import dev.sluice.internal.call.stream.ForwardingEmitter;
import dev.sluice.internal.call.stream.Resumer;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EndReason;
import org.jspecify.annotations.Nullable;

/**
 * A stream's {@link TokenBudget}: counts the output tokens of the events delivered (estimated per
 * delta, the API's {@code message_delta} count when higher), calls the alert once, and ends the
 * stream as {@link EndReason#TOKEN_BUDGET} after the event that reaches the budget. Given to the
 * call as a {@link Resumer} that wraps the emitter (after the resumer's stitching, when the stream
 * also resumes, so that it counts what the user sees across parts) and delegates continuations.
 *
 * <p>Threading: the producer thread owns {@code count} and {@code alerted}; {@code count} is
 * volatile for {@link #count()} from any thread.
 */
final class AnthropicBudget implements Resumer<StreamEvent> {
    private static final System.Logger LOG = System.getLogger(AnthropicBudget.class.getName());

    private final TokenBudget budget;
    private final @Nullable AnthropicResume resumer; // null: a drop fails the stream
    private volatile long count;
    private long reported; // the API's latest output count
    private boolean alerted;

    AnthropicBudget(TokenBudget budget, @Nullable AnthropicResume resumer) {
        this.budget = budget;
        this.resumer = resumer;
    }

    /** {@return the output tokens counted so far} Any thread. */
    long count() {
        return count;
    }

    @Override
    public Emitter<StreamEvent> wrap(Emitter<StreamEvent> out) {
        Emitter<StreamEvent> counting = new Counting(out);
        return resumer == null ? counting : resumer.wrap(counting);
    }

    @Override
    public HttpPost continuation(SluiceException lost) {
        if (resumer == null) throw lost;
        return resumer.continuation(lost);
    }

    /** {@return the tokens an event adds to the count} */
    private long tokens(StreamEvent e) {
        return switch (e) {
            case ContentBlockDelta(int index, TextDelta(String t)) -> TokenBudget.estimate(t.length());
            case ContentBlockDelta(int index, ThinkingDelta(String t)) -> TokenBudget.estimate(t.length());
            case ContentBlockDelta(int index, InputJsonDelta(String j)) -> TokenBudget.estimate(j.length());
            default -> 0;
        };
    }

    private final class Counting extends ForwardingEmitter<StreamEvent> {
        Counting(Emitter<StreamEvent> out) {
            super(out);
        }

        @Override
        public boolean emit(StreamEvent item) {
            return counted(item, out.emit(item));
        }

        @Override
        public boolean emitUncounted(StreamEvent item) {
            return counted(item, out.emitUncounted(item));
        }

        private boolean counted(StreamEvent item, boolean go) {
            long c = count + tokens(item);
            if (item instanceof MessageDelta d && d.usage().outputTokens() != null) {
                reported = Math.max(reported, d.usage().outputTokens());
            }
            c = Math.max(c, reported);
            count = c;
            if (!alerted && c >= budget.alertAtTokens()) {
                alerted = true;
                try {
                    budget.onAlert().accept(c);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a TokenBudget alert threw; ignored", e);
                }
            }
            if (go && c >= budget.maxOutputTokens() && item instanceof ContentBlockDelta) {
                return out.end(EndReason.TOKEN_BUDGET);
            }
            return go;
        }
    }
}
