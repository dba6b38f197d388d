package dev.sluice.gemini;

import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the JSON text of a function call's arguments from its streamed {@link PartialArg}s, piece
 * by piece: each {@link #apply} returns the text that follows what came before, so that the pieces
 * joined are the arguments, compact, members in the order they first came, exactly as
 * {@code Json.write(args)} writes a call sent whole. Containers open as paths enter them and close as
 * paths leave them (Gemini streams the values depth first, in order); a string continues over the
 * pieces of its path while they say {@code willContinue}.
 *
 * <p>Paths: {@code $}, then {@code .name}, {@code ['name']} / {@code ["name"]} (with {@code \}
 * escapes) and {@code [n]}. A path that goes back into a closed container, sets a value twice, skips
 * an array index or is not of that grammar is a {@link ProtocolException}: the text already given
 * could not be made right.
 *
 * <p>Threading: one instance per streamed call, used by one thread.
 */
final class StreamedArgs {
    /** An open object or array and what it holds so far. */
    private static final class Frame {
        final boolean array;
        int count;

        @Nullable
        Object current; // the key or index last entered

        final Set<String> keys = new HashSet<>();

        Frame(boolean array) {
            this.array = array;
        }
    }

    private final Deque<Frame> stack = new ArrayDeque<>(); // the root first
    private @Nullable List<Object> openString; // the path of a string that continues, or null
    private final StringBuilder text = new StringBuilder();
    private boolean ended;

    /** {@return the opening of the arguments, {@code "{"}} To be called once, first. */
    String start() {
        stack.push(new Frame(false));
        text.append('{');
        return "{";
    }

    /** {@return the text so far; valid JSON once {@link #end()} was called} */
    String text() {
        return text.toString();
    }

    /** {@return whether {@link #end()} was called} */
    boolean ended() {
        return ended;
    }

    /**
     * {@return the text this piece adds}
     *
     * @throws ProtocolException if the piece cannot follow the ones before (see the class comment)
     */
    String apply(PartialArg arg) {
        if (ended) throw bad("a piece after the call ended", arg.jsonPath());
        int from = text.length();
        List<Object> path = parse(arg.jsonPath());
        if (openString != null) {
            if (openString.equals(path)) {
                if (!(arg.value() instanceof String s))
                    throw bad("a string continued by a value that is not one", arg.jsonPath());
                text.append(escaped(s));
                if (!arg.willContinue()) {
                    text.append('"');
                    openString = null;
                }
                return text.substring(from);
            }
            text.append('"'); // the next path: the string ends
            openString = null;
        }
        List<Frame> frames = new ArrayList<>(stack);
        Collections.reverse(frames); // root first
        int depth = 0;
        while (depth < frames.size() - 1
                && depth < path.size() - 1
                && path.get(depth).equals(frames.get(depth).current)) depth++;
        while (stack.size() > depth + 1) text.append(stack.pop().array ? ']' : '}');
        for (int j = depth; j < path.size(); j++) {
            enter(stack.peek(), path.get(j), arg.jsonPath());
            if (j < path.size() - 1) {
                boolean array = path.get(j + 1) instanceof Integer;
                text.append(array ? '[' : '{');
                stack.push(new Frame(array));
            }
        }
        switch (arg.value()) {
            case null -> text.append("null");
            case String s -> {
                text.append('"').append(escaped(s));
                if (arg.willContinue()) openString = path;
                else text.append('"');
            }
            default -> text.append(Json.write(arg.value()));
        }
        return text.substring(from);
    }

    /** {@return the text that closes the arguments} Idempotent: later calls return "". */
    String end() {
        if (ended) return "";
        ended = true;
        int from = text.length();
        if (openString != null) text.append('"');
        openString = null;
        while (!stack.isEmpty()) text.append(stack.pop().array ? ']' : '}');
        return text.substring(from);
    }

    private void enter(Frame frame, Object segment, String path) {
        if (frame.array) {
            if (!(segment instanceof Integer i)) throw bad("a member name inside an array", path);
            if (i != frame.count) throw bad("array index " + i + " where " + frame.count + " comes next", path);
        } else {
            if (!(segment instanceof String key)) throw bad("an array index inside an object", path);
            if (!frame.keys.add(key)) throw bad("member '" + key + "' set again or reopened", path);
            if (frame.count > 0) text.append(',');
            text.append(Json.write(key)).append(':');
            frame.current = segment;
            frame.count++;
            return;
        }
        if (frame.count > 0) text.append(',');
        frame.current = segment;
        frame.count++;
    }

    private static String escaped(String s) {
        String quoted = Json.write(s);
        return quoted.substring(1, quoted.length() - 1);
    }

    /**
     * {@return the segments of a path: member names as strings, indexes as integers}
     *
     * @throws ProtocolException if it is not {@code $} followed by members and indexes
     */
    static List<Object> parse(String path) {
        if (!path.startsWith("$")) throw bad("not a JSON path", path);
        List<Object> segments = new ArrayList<>();
        int i = 1, n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[') i++;
                if (i == start) throw bad("an empty member name", path);
                segments.add(path.substring(start, i));
            } else if (c == '[' && i + 1 < n && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
                char quote = path.charAt(i + 1);
                StringBuilder name = new StringBuilder();
                i += 2;
                while (i < n && path.charAt(i) != quote) {
                    if (path.charAt(i) == '\\' && i + 1 < n) i++;
                    name.append(path.charAt(i++));
                }
                if (i + 1 >= n || path.charAt(i + 1) != ']') throw bad("an unclosed member name", path);
                segments.add(name.toString());
                i += 2;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) throw bad("an unclosed index", path);
                String digits = path.substring(i + 1, close).strip();
                if (!digits.matches("\\d{1,9}")) throw bad("an index that is not a non-negative integer", path);
                segments.add(Integer.parseInt(digits));
                i = close + 1;
            } else {
                throw bad("an unexpected '" + c + "'", path);
            }
        }
        if (segments.isEmpty()) throw bad("a value for the whole arguments, not one of their members", path);
        return segments;
    }

    private static ProtocolException bad(String what, String path) {
        return new ProtocolException(
                "Gemini streamed function-call arguments that cannot be joined: " + what + " (jsonPath "
                        + Json.truncate(path, 100) + ")",
                null);
    }
}
