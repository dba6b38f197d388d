package dev.sluice.anthropic;

import org.jspecify.annotations.Nullable;

/**
 * A {@link CompactionBlock} passed back unchanged in an assistant message.
 *
 * @param content the summary, or null (a failed compaction)
 * @param encryptedContent the opaque state as it was received, or null
 */
public record CompactionParam(
        @Nullable String content, @Nullable String encryptedContent) implements ContentBlockParam {
    /** {@return the param of a received block} @throws NullPointerException if block is null */
    public static CompactionParam of(CompactionBlock block) {
        return new CompactionParam(block.content(), block.encryptedContent());
    }

    @Override
    public String type() {
        return "compaction";
    }
}
