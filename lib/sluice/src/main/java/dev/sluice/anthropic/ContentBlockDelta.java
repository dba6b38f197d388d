package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code content_block_delta}: a piece of the content block at {@code index} — by far the most
 * frequent event of a stream.
 *
 * @param index the block's position in the message's content
 * @param delta what to add to the block
 */
public record ContentBlockDelta(int index, Delta delta) implements StreamEvent {
    /**
     * @throws IllegalArgumentException if {@code index} is negative
     * @throws NullPointerException if {@code delta} is null
     */
    public ContentBlockDelta {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
        Objects.requireNonNull(delta, "delta");
    }

    @Override
    public String type() {
        return "content_block_delta";
    }
}
