package dev.sluice.stream;

import dev.sluice.sse.SseEvent;

/** A test decoder: each event's data is an item; type "ping" is a keep-alive; type "stop" ends the stream. */
final class LineDecoder implements SseDecoder<String> {
    @Override
    public boolean decode(SseEvent event, Emitter<String> out) {
        return switch (event.type()) {
            case "stop" -> true;
            case "ping" -> {
                out.emitUncounted("ping");
                yield false;
            }
            default -> {
                out.emit(event.data());
                yield false;
            }
        };
    }
}
