package dev.sluice.chat;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A piece of one tool call in a {@link MessageChunk}. The deltas of one call share its index; the
 * first carries its id and name, and the arguments arrive as JSON text in pieces that may split
 * anywhere, even inside a token.
 *
 * @param index which tool call of the response this piece belongs to, from 0
 * @param id the call's id on its first delta, otherwise null
 * @param name the tool's name on its first delta, otherwise null
 * @param arguments the next piece of the arguments' JSON text, possibly empty
 */
public record ToolCallDelta(
        int index, @Nullable String id, @Nullable String name, String arguments) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if arguments is null
     * @throws IllegalArgumentException if index is negative, or id or name is blank
     */
    public ToolCallDelta {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
        if (id != null && id.isBlank()) throw new IllegalArgumentException("id must not be blank (null when absent)");
        if (name != null && name.isBlank())
            throw new IllegalArgumentException("name must not be blank (null when absent)");
        Objects.requireNonNull(arguments, "arguments");
    }

    /**
     * The first delta of a call, carrying its id and name.
     *
     * @param index the call's index
     * @param id the call's id
     * @param name the tool's name
     * @param arguments the first piece of the arguments, possibly empty
     * @return the first delta of a call
     */
    public static ToolCallDelta start(int index, @Nullable String id, @Nullable String name, String arguments) {
        return new ToolCallDelta(
                index, Objects.requireNonNull(id, "id"), Objects.requireNonNull(name, "name"), arguments);
    }

    /**
     * A later delta of a call: only more arguments.
     *
     * @param index the call's index
     * @param arguments the next piece of the arguments
     * @return a later delta of a call
     */
    public static ToolCallDelta arguments(int index, String arguments) {
        return new ToolCallDelta(index, null, null, arguments);
    }
}
