package dev.sluice.anthropic;

/**
 * What a {@link ContentBlockDelta} adds to its content block:
 *
 * <ul>
 *   <li>{@link TextDelta} — text, for a text block;
 *   <li>{@link InputJsonDelta} — a piece of a tool's input JSON, for a tool-use block;
 *   <li>{@link CitationsDelta} — one citation, for a text block;
 *   <li>{@link ThinkingDelta} — thinking text, for a thinking block;
 *   <li>{@link SignatureDelta} — a piece of a thinking block's signature;
 *   <li>{@link CompactionDelta} — the summary and opaque state of a compaction block;
 *   <li>{@link UnknownDelta} — a delta type this version does not know, kept with its raw JSON.
 * </ul>
 */
public sealed interface Delta
        permits TextDelta,
                InputJsonDelta,
                CitationsDelta,
                ThinkingDelta,
                SignatureDelta,
                CompactionDelta,
                UnknownDelta {

    /** {@return the delta's wire type, such as {@code text_delta}} */
    String type();
}
