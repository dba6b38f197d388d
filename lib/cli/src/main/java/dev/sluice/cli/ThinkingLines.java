package dev.sluice.cli;

import dev.sluice.models.ModelCatalog;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --thinking} of {@code stream}, {@code agent} and {@code object}: the model's thinking, as
 * its deltas come, cut into lines that each go to stderr starting {@code thinking: } (stdout keeps
 * the answer's text alone). A line is written when its line break comes, and the rest when the
 * thinking stops: before the answer's text, a tool call, or the end. Used by the consuming thread
 * only.
 */
final class ThinkingLines {
    /** What each line of thinking starts with on stderr. */
    static final String PREFIX = "thinking: ";

    private final Consumer<String> line;
    private final StringBuilder pending = new StringBuilder();

    /** @param line writes one whole line of stderr (the prefix included, no line break) */
    ThinkingLines(Consumer<String> line) {
        this.line = line;
    }

    /**
     * Checks that every model the command may ask thinks, as the catalog says (a model it does not
     * know passes).
     *
     * @param models the model and its fallbacks' models
     * @throws UsageException naming the first model that does not think
     */
    static void check(List<String> models) throws UsageException {
        for (String model : models) {
            try {
                ModelCatalog.checkShowThinking(model);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--thinking: " + e.getMessage());
            }
        }
    }

    /** Takes the next piece of the thinking, writing each line it completes. */
    void add(String delta) {
        for (int i = 0; i < delta.length(); i++) {
            char c = delta.charAt(i);
            if (c == '\n') {
                write();
            } else if (c != '\r') {
                pending.append(c);
            }
        }
    }

    /** Writes the thinking's unfinished line, if any: the thinking stopped. */
    void flush() {
        if (!pending.isEmpty()) write();
    }

    private void write() {
        line.accept(PREFIX + pending);
        pending.setLength(0);
    }
}
