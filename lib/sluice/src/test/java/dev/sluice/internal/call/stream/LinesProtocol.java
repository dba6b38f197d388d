package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.sse.SseEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A protocol for the streaming call's tests: each event is its data string; "start" and
 * "keepalive..." are not content, "err:X" an in-band error of type X (retryable when X is "busy"),
 * "[DONE]" terminal; a body may end without it.
 */
final class LinesProtocol implements StreamProtocol<String> {
    static final LinesProtocol INSTANCE = new LinesProtocol();

    private LinesProtocol() {}

    @Override
    public void decode(SseEvent event, Consumer<? super String> out) {
        out.accept(event.data());
    }

    @Override
    public boolean isContent(String event) {
        return !event.equals("start") && !event.startsWith("keepalive");
    }

    @Override
    public boolean isTerminal(String event) {
        return event.equals("[DONE]");
    }

    @Override
    public Optional<InBandError> inBandError(String event) {
        if (!event.startsWith("err:")) return Optional.empty();
        return Optional.of(new InBandError(event.substring(4), "", event.equals("err:busy")));
    }

    @Override
    public Optional<SluiceException> endOfInput() {
        return Optional.empty();
    }
}
