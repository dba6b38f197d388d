package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.json.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A planned answer, provider-neutral: its content blocks, each already cut into the deltas it is
 * streamed as, and how it ends. Each {@link WireFormat} renders the same value as its API's event
 * stream and as its non-streaming response, so all of them always agree.
 *
 * @param id a neutral id ({@code fake_...}); wire formats add their prefix
 * @param stopSequence the stop sequence that ended the answer, or null
 * @param outputTokens the output tokens: for a planned answer the {@linkplain Tokens estimate} of its
 *     deltas (thinking, text and tool-input fragments), for a scripted one as scripted or one per delta
 * @param estimated whether each delta counts its {@linkplain Tokens estimated tokens} (a planned
 *     answer, paced token by token) rather than one (a scripted answer, paced delta by delta)
 */
public record Reply(
        String id,
        String model,
        List<Block> blocks,
        Stop stop,
        @Nullable String stopSequence,
        int inputTokens,
        int outputTokens,
        boolean estimated) {

    /**
     * Why the answer ended; each wire format names it its own way. {@code FORCED_TOOL_USE} is a call
     * of the tool the request's tool choice named (OpenAI's Chat Completions then says {@code stop});
     * {@code REFUSAL} a refused answer.
     */
    public enum Stop {
        END_TURN,
        MAX_TOKENS,
        STOP_SEQUENCE,
        TOOL_USE,
        FORCED_TOOL_USE,
        REFUSAL
    }

    public Reply {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(stop, "stop");
        blocks = List.copyOf(blocks);
    }

    /** One content block with its deltas. */
    public sealed interface Block permits Thinking, Text, ToolUse, Refusal {
        /** {@return the deltas, in order} */
        List<String> deltas();
    }

    public record Thinking(List<String> deltas, String signature) implements Block {
        public Thinking {
            deltas = List.copyOf(deltas);
            Objects.requireNonNull(signature, "signature");
        }
    }

    public record Text(List<String> deltas) implements Block {
        public Text {
            deltas = List.copyOf(deltas);
        }

        public String text() {
            return String.join("", deltas);
        }
    }

    /**
     * A tool call.
     *
     * @param id a neutral id ({@code fake_...}); wire formats add their prefix
     * @param deltas the argument JSON fragments
     * @param cut whether the token limit cut the arguments off (Gemini, which sends a call whole, then sends none)
     */
    public record ToolUse(String id, String name, ObjectNode input, List<String> deltas, boolean cut) implements Block {
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
            deltas = List.copyOf(deltas);
        }

        public ToolUse(String id, String name, ObjectNode input, List<String> deltas) {
            this(id, name, input, deltas, false);
        }
    }

    /**
     * The text of a refusal, where the API streams one (OpenAI's {@code refusal}); Anthropic carries
     * it in {@code stop_details}, Gemini in {@code finishMessage}.
     */
    public record Refusal(List<String> deltas) implements Block {
        public Refusal {
            deltas = List.copyOf(deltas);
        }

        public String text() {
            return String.join("", deltas);
        }
    }

    /** {@return the tokens a delta counts for: its estimate, or 1 for a scripted answer} */
    public int tokens(String delta) {
        return estimated ? Tokens.of(delta) : 1;
    }

    /** {@return the refusal's text, or null when the answer was not refused} */
    @Nullable
    public String refusal() {
        if (stop != Stop.REFUSAL) return null;
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) if (b instanceof Refusal r) sb.append(r.text());
        return sb.toString();
    }

    /** {@return the answer's text: its text blocks joined} */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) if (b instanceof Text t) sb.append(t.text());
        return sb.toString();
    }
}
