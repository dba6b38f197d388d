package dev.sluice.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneEventPerSseProtocolTest {

    private static OneEventPerSseProtocol<String> protocol(OneEventPerSseProtocol.RawDecoder<String> raw) {
        return new OneEventPerSseProtocol<>(SseEvent::data, e -> !e.isEmpty(), "end"::equals,
                (e, status) -> Optional.empty(), () -> new IncompleteStreamException("ended early"), raw);
    }

    @Test
    void decodeBytes_rawDecoderRecognisesTheEvent_emitsItAndReportsHandled() {
        byte[] data = "xhelloy".getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        boolean handled = protocol((type, d, off, len) -> type.equals("delta") ? "raw:" + new String(d, off, len, StandardCharsets.US_ASCII) : null)
                .decode("delta", data, 1, 5, out::add);
        assertTrue(handled);
        assertEquals(List.of("raw:hello"), out);
    }

    @Test
    void decodeBytes_rawDecoderDeclines_nothingEmittedAndNotHandled() {
        List<String> out = new ArrayList<>();
        assertFalse(protocol((type, d, off, len) -> null).decode("other", new byte[] {'a'}, 0, 1, out::add));
        assertTrue(out.isEmpty());
    }

    @Test
    void decodeBytes_withoutRawDecoder_declinesEverything() {
        OneEventPerSseProtocol<String> p = new OneEventPerSseProtocol<>(SseEvent::data, e -> true, "end"::equals,
                (e, status) -> Optional.empty(), () -> new IncompleteStreamException("ended early"));
        List<String> out = new ArrayList<>();
        assertFalse(p.decode("delta", new byte[] {'a'}, 0, 1, out::add));
        p.decode(SseEvent.of("delta", "a"), out::add);
        assertEquals(List.of("a"), out);
        assertTrue(p.endOfInput().orElseThrow() instanceof IncompleteStreamException);
    }
}
