package dev.sluice.bedrock;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of a Bedrock {@code ConverseStream} response, as AWS's event stream frames it (the
 * frame's {@code :event-type} header names it; its payload is the JSON). Users {@code switch} with a
 * {@code default}: an event type Bedrock adds later arrives as {@link UnknownEvent}, never as an error.
 */
public sealed interface ConverseEvent
        permits ConverseEvent.MessageStart,
                ConverseEvent.ContentBlockStart,
                ConverseEvent.ContentBlockDelta,
                ConverseEvent.ContentBlockStop,
                ConverseEvent.MessageStop,
                ConverseEvent.Metadata,
                ConverseEvent.UnknownEvent {

    /**
     * {@code messageStart}: the response message begins.
     *
     * @param role the role, {@code assistant} in practice
     */
    record MessageStart(String role) implements ConverseEvent {
        public MessageStart {
            Objects.requireNonNull(role, "role");
        }
    }

    /**
     * {@code contentBlockStart}: a block that announces itself begins; Bedrock sends it for tool-use
     * blocks (text and reasoning blocks start with their first delta).
     *
     * @param index the block's index in the message
     * @param toolUse the tool call it starts, or null when the start is of another kind
     */
    record ContentBlockStart(int index, @Nullable ToolUseStart toolUse) implements ConverseEvent {}

    /**
     * The start of a tool-use block.
     *
     * @param toolUseId the call's id, sent back with its result
     * @param name the tool's name
     */
    record ToolUseStart(String toolUseId, String name) {
        public ToolUseStart {
            Objects.requireNonNull(toolUseId, "toolUseId");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code contentBlockDelta}: a piece of a block.
     *
     * @param index the block's index in the message
     * @param delta the piece
     */
    record ContentBlockDelta(int index, ConverseDelta delta) implements ConverseEvent {
        public ContentBlockDelta {
            Objects.requireNonNull(delta, "delta");
        }
    }

    /**
     * {@code contentBlockStop}: a block is complete.
     *
     * @param index the block's index in the message
     */
    record ContentBlockStop(int index) implements ConverseEvent {}

    /**
     * {@code messageStop}: the model stopped. The {@code metadata} event (usage) follows it.
     *
     * @param stopReason Bedrock's stop reason, such as {@code end_turn}, {@code tool_use},
     *     {@code max_tokens}; empty when absent
     * @param additionalModelResponseFields the model's own extra fields as JSON text, or null
     */
    record MessageStop(String stopReason, @Nullable String additionalModelResponseFields) implements ConverseEvent {
        public MessageStop {
            Objects.requireNonNull(stopReason, "stopReason");
        }
    }

    /**
     * {@code metadata}: the response's usage and metrics, after {@code messageStop}.
     *
     * @param usage the token counts (zeros when absent)
     * @param latencyMs {@code metrics.latencyMs}, or -1 when absent
     * @param trace the guardrail or prompt-router trace as JSON text, or null
     */
    record Metadata(
            ConverseUsage usage, long latencyMs, @Nullable String trace) implements ConverseEvent {
        public Metadata {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * Bedrock's token counts.
     *
     * @param inputTokens {@code inputTokens}: the prompt's tokens not read from or written to the cache
     * @param outputTokens {@code outputTokens}
     * @param totalTokens {@code totalTokens}
     * @param cacheReadInputTokens {@code cacheReadInputTokens}
     * @param cacheWriteInputTokens {@code cacheWriteInputTokens}
     */
    record ConverseUsage(
            long inputTokens,
            long outputTokens,
            long totalTokens,
            long cacheReadInputTokens,
            long cacheWriteInputTokens) {
        public ConverseUsage {
            if (inputTokens < 0
                    || outputTokens < 0
                    || totalTokens < 0
                    || cacheReadInputTokens < 0
                    || cacheWriteInputTokens < 0) {
                throw new IllegalArgumentException(
                        "token counts must not be negative: " + inputTokens + ", " + outputTokens + ", " + totalTokens
                                + ", " + cacheReadInputTokens + ", " + cacheWriteInputTokens);
            }
        }
    }

    /**
     * An event of a type this version does not know, kept as it came.
     *
     * @param type the frame's {@code :event-type} (empty when it had none)
     * @param json the payload as text
     */
    record UnknownEvent(String type, String json) implements ConverseEvent {
        public UnknownEvent {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
