package dev.sluice.anthropic;

import org.jspecify.annotations.Nullable;

/**
 * {@code compaction_delta}: the content of a {@link CompactionBlock}. A field it carries replaces
 * the block's (the official SDKs set both from each delta; a field absent here keeps the block's).
 *
 * @param content the summary, or null when this delta carries none
 * @param encryptedContent the opaque state, or null when this delta carries none
 */
public record CompactionDelta(
        @Nullable String content, @Nullable String encryptedContent) implements Delta {
    @Override
    public String type() {
        return "compaction_delta";
    }
}
