package dev.sluice.relay;

import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a client received, parsed back with Sluice's own SSE parser. */
record Recorded(List<SseEvent> events, List<String> comments) {
    private static final Pattern TEXT =
            Pattern.compile("\"text\":\"((?:[^\"\\\\]++|\\\\.)*+)\""); // possessive: long texts do not recurse

    static Recorded of(byte[] bytes) {
        List<SseEvent> events = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        SseParser parser = new SseParser(
                SseLimits.defaults(),
                new SseListener() {
                    @Override
                    public void onEvent(SseEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onComment(String comment) {
                        comments.add(comment);
                    }
                },
                true);
        parser.feed(bytes, 0, bytes.length);
        parser.finish();
        return new Recorded(events, comments);
    }

    static Recorded of(ByteArrayOutputStream out) {
        return of(out.toByteArray());
    }

    List<String> types() {
        return events.stream().map(SseEvent::type).toList();
    }

    List<Long> ids() {
        return events.stream().map(e -> Long.parseLong(e.lastEventId())).toList();
    }

    /** {@return the text of the delta events, JSON-unescaped} */
    String text() {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            if (!e.type().equals("delta")) continue;
            Matcher m = TEXT.matcher(e.data());
            if (!m.find()) throw new AssertionError("no text in " + e.data());
            sb.append(unescape(m.group(1)));
        }
        return sb.toString();
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    static String utf8(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }
}
