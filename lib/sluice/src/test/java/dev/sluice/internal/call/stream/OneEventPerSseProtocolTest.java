package dev.sluice.internal.call.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneEventPerSseProtocolTest {

    /** The raw decoding a test gives, or none. */
    interface RawDecoder {
        String decode(String type, byte[] data, int offset, int length);
    }

    /** A protocol of strings: the data is the event, "end" ends the stream, empty data is no content. */
    private static OneEventPerSseProtocol<String> protocol(RawDecoder raw) {
        return new OneEventPerSseProtocol<>() {
            @Override
            protected String decodeOne(SseEvent event) {
                return event.data();
            }

            @Override
            protected String decodeOne(String type, byte[] data, int offset, int length) {
                return raw == null
                        ? super.decodeOne(type, data, offset, length)
                        : raw.decode(type, data, offset, length);
            }

            @Override
            public boolean isContent(String event) {
                return !event.isEmpty();
            }

            @Override
            public boolean isTerminal(String event) {
                return event.equals("end");
            }

            @Override
            public Optional<StreamProtocol.InBandError> inBandError(String event) {
                return Optional.empty();
            }

            @Override
            protected SluiceException incomplete() {
                return new IncompleteStreamException("ended early");
            }
        };
    }

    @Test
    void decodeBytes_rawDecoderRecognisesTheEvent_emitsItAndReportsHandled() {
        byte[] data = "xhelloy".getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        boolean handled = protocol((type, d, off, len) ->
                        type.equals("delta") ? "raw:" + new String(d, off, len, StandardCharsets.US_ASCII) : null)
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
        OneEventPerSseProtocol<String> p = protocol(null);
        List<String> out = new ArrayList<>();
        assertFalse(p.decode("delta", new byte[] {'a'}, 0, 1, out::add));
        p.decode(SseEvent.of("delta", "a"), out::add);
        assertEquals(List.of("a"), out);
        assertTrue(p.endOfInput().orElseThrow() instanceof IncompleteStreamException);
    }
}
