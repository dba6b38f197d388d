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
final class LinesProtocol {
    /** The rules above. */
    static final StreamRules<String> RULES = new Rules();
    /** Each event's data one event, under {@link #RULES}. */
    static final StreamProtocol<String> INSTANCE = StreamProtocol.of(new Lines(), RULES);

    private LinesProtocol() {}

    private static final class Lines extends SseFraming<String> {
        @Override
        public void decode(SseEvent event, Consumer<? super String> out) {
            out.accept(event.data());
        }
    }

    private static final class Rules implements StreamRules<String> {
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
}
