package dev.sluice.benchmarks;

import dev.sluice.chat.PartialJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one client received of one relayed stream, over all its connections (the first, and each
 * resume with {@code Last-Event-ID}), and what is wrong with it: {@link SoakRun}'s check that no
 * stream loses or repeats an event. Ids must run 1, 2, 3 ... across the connections, each resume
 * going on at the id after the last one received; nothing may follow the terminal event; the
 * answer's text is the deltas' as the relay's events say to assemble it (a {@code switch} in
 * {@code restart} mode discards the text so far, one in {@code continue} mode keeps it and names
 * it in {@code kept}), and the {@code done} event's {@code text}, when present, is that text.
 *
 * <p>Not thread-safe: one client's thread.
 */
final class Transcript {
    static final Set<String> TERMINAL = Set.of("done", "error", "cancelled");

    private final List<String> problems = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private long lastId;
    private long expectedNext = 1;
    private @Nullable String terminal;
    private @Nullable String errorType;
    private int switches;
    private int connections;

    /** A new connection begins: from the first event, or resumed after {@link #lastId()}. */
    void connect() {
        connections++;
        expectedNext = lastId + 1;
    }

    /** One event as parsed from the SSE: its {@code id:}, {@code event:} and {@code data:}. */
    void accept(@Nullable String id, String type, String data) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            problems.add("event " + type + " without a numeric id: '" + id + "'");
            return;
        }
        if (terminal != null) {
            problems.add("event " + n + " (" + type + ") after the terminal " + terminal);
            return;
        }
        if (n != expectedNext) {
            problems.add((n < expectedNext ? "repeated" : "gap:") + " event " + n + " (" + type + ") where "
                    + expectedNext + " was due, connection " + connections);
        }
        expectedNext = n + 1;
        lastId = Math.max(lastId, n);
        Map<?, ?> json = json(data);
        switch (type) {
            case "delta" -> text.append(string(json, "text"));
            case "switch" -> {
                switches++;
                if ("restart".equals(json.get("mode"))) text.setLength(0);
                else if (!string(json, "kept").equals(text.toString())) {
                    problems.add("switch " + n + " kept " + quote(string(json, "kept")) + " but the text so far is "
                            + quote(text.toString()));
                }
            }
            case "done" -> {
                Object whole = json.get("text");
                if (whole != null && !whole.equals(text.toString())) {
                    problems.add(
                            "done's text " + quote(whole.toString()) + " is not the deltas' " + quote(text.toString()));
                }
            }
            case "error" -> errorType = string(json, "type");
            default -> {}
        }
        if (TERMINAL.contains(type)) terminal = type;
    }

    /** The connection ended (the body's end, or the client closed it). */
    void disconnected(boolean bodyEnded) {
        if (bodyEnded && terminal == null)
            problems.add("the body ended after event " + lastId + " without a terminal event");
    }

    /** Records a problem found outside the events (a status, a hang). */
    void problem(String what) {
        problems.add(what);
    }

    /**
     * Checks the assembled text against the answer expected.
     *
     * @param whole true when the whole answer is due (the stream ended with {@code done}); else
     *     what arrived must be a beginning of it
     */
    void expect(String expected, boolean whole) {
        String got = text.toString();
        if (whole ? !got.equals(expected) : !expected.startsWith(got)) {
            problems.add((whole ? "text differs from" : "text is not a beginning of") + " the expected answer: got "
                    + quote(got) + ", expected " + quote(expected));
        }
    }

    long lastId() {
        return lastId;
    }

    /** {@return the terminal event's type, or null while there is none} */
    @Nullable
    String terminal() {
        return terminal;
    }

    /** {@return the {@code error} event's {@code type}, or null} */
    @Nullable
    String errorType() {
        return errorType;
    }

    int switches() {
        return switches;
    }

    int connections() {
        return connections;
    }

    String text() {
        return text.toString();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private Map<?, ?> json(String data) {
        PartialJson.Result r = PartialJson.parse(data);
        if (r.isValid() && r.value() instanceof Map<?, ?> m) return m;
        problems.add("event data is not a JSON object: " + quote(data));
        return Map.of();
    }

    private static String string(Map<?, ?> json, String member) {
        Object v = json.get(member);
        return v == null ? "" : v.toString();
    }

    /** {@return the text quoted, its middle cut when long} */
    static String quote(String s) {
        String q = s.length() <= 120
                ? s
                : s.substring(0, 50) + "[..." + (s.length() - 100) + " chars...]" + s.substring(s.length() - 50);
        return "\"" + q.replace("\n", "\\n") + "\"";
    }
}
