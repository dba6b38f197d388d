package dev.sluice.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A listener that records everything, in order, for assertions. */
final class Recorder implements SseListener {
    final List<SseEvent> events = new ArrayList<>();
    final List<Long> retries = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    /** Everything in arrival order, as readable strings. */
    final List<String> log = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
        events.add(event);
        log.add("event " + event);
    }

    @Override
    public void onRetry(long millis) {
        retries.add(millis);
        log.add("retry " + millis);
    }

    @Override
    public void onComment(String comment) {
        comments.add(comment);
        log.add("comment " + comment);
    }

    /** Parses the whole text in one feed, then finishes. */
    static Recorder parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static Recorder parse(byte[] bytes) {
        Recorder r = new Recorder();
        SseParser p = new SseParser(SseLimits.defaults(), r, true);
        p.feed(bytes, 0, bytes.length);
        p.finish();
        return r;
    }

    /** Parses the pieces as separate feeds, then finishes. */
    static Recorder parsePieces(String... pieces) {
        Recorder r = new Recorder();
        SseParser p = new SseParser(SseLimits.defaults(), r, true);
        for (String piece : pieces) {
            byte[] b = piece.getBytes(StandardCharsets.UTF_8);
            p.feed(b, 0, b.length);
        }
        p.finish();
        return r;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }
}
