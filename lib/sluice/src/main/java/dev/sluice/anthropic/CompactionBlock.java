package dev.sluice.anthropic;

import org.jspecify.annotations.Nullable;

/**
 * {@code compaction}: the summary the API wrote of the conversation before it when server-side
 * compaction ran (the {@code compact_20260112} context edit). Send it back, unchanged and where
 * it was, on the next request: the API then drops every block before it and goes on from the
 * summary. Its {@code encrypted_content} is opaque and must go back byte for byte.
 *
 * <p>It streams as a {@code content_block_start} (usually with both fields null) and one or more
 * {@code compaction_delta}s ({@link CompactionDelta}), each field a delta carries replacing the
 * block's, as the official SDKs accumulate it.
 *
 * @param content the summary, or null (a failed compaction, which the API treats as a no-op)
 * @param encryptedContent the opaque state to send back verbatim, or null
 */
public record CompactionBlock(
        @Nullable String content, @Nullable String encryptedContent) implements ContentBlock {
    @Override
    public String type() {
        return "compaction";
    }
}
