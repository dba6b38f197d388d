package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code content_block_start}: a content block begins at {@code index}, in its initial state
 * (empty text, empty tool input; result blocks such as {@code web_search_tool_result} arrive
 * whole here as an {@link OtherBlock}).
 *
 * @param index the block's position in the message's content, from 0
 * @param contentBlock the block as it starts
 */
public record ContentBlockStart(int index, ContentBlock contentBlock) implements StreamEvent {
    /**
     * @throws IllegalArgumentException if {@code index} is negative
     * @throws NullPointerException if {@code contentBlock} is null
     */
    public ContentBlockStart {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
        Objects.requireNonNull(contentBlock, "contentBlock");
    }

    @Override
    public String type() {
        return "content_block_start";
    }
}
