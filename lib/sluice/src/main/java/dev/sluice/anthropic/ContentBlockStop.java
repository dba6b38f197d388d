package dev.sluice.anthropic;

/**
 * {@code content_block_stop}: the content block at {@code index} is complete.
 *
 * @param index the block's position in the message's content
 */
public record ContentBlockStop(int index) implements StreamEvent {
    /** @throws IllegalArgumentException if {@code index} is negative */
    public ContentBlockStop {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
    }

    @Override
    public String type() {
        return "content_block_stop";
    }
}
