package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code citations_delta}: one citation, appended to the text block's citations.
 *
 * @param citation the citation
 */
public record CitationsDelta(Citation citation) implements Delta {
    /** @throws NullPointerException if {@code citation} is null */
    public CitationsDelta {
        Objects.requireNonNull(citation, "citation");
    }

    @Override
    public String type() {
        return "citations_delta";
    }
}
