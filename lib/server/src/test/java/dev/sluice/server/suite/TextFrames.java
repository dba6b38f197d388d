package dev.sluice.server.suite;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket listener that collects whole text frames, for the tests of {@code /api/ws}. */
public final class TextFrames implements WebSocket.Listener {
    public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    /** {@return the next whole frame} @throws AssertionError when none comes within the seconds given */
    public String next(int seconds) throws InterruptedException {
        String f = frames.poll(seconds, TimeUnit.SECONDS);
        if (f == null) throw new AssertionError("no frame within " + seconds + " s");
        return f;
    }

    public String next() throws InterruptedException {
        return next(10);
    }
}
