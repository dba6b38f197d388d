package dev.sluice.internal.call.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneEventPerSseFramingTest {

    /** The raw decoding a test gives, or none. */
    interface RawDecoder {
        String decode(String type, byte[] data, int offset, int length);
    }

    /** A framing of strings: the data is the event. */
    private static OneEventPerSseFraming<String> framing(RawDecoder raw) {
        return new OneEventPerSseFraming<>() {
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
        };
    }

    @Test
    void decodeBytes_rawDecoderRecognisesTheEvent_emitsItAndReportsHandled() {
        byte[] data = "xhelloy".getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        boolean handled = framing((type, d, off, len) ->
                        type.equals("delta") ? "raw:" + new String(d, off, len, StandardCharsets.US_ASCII) : null)
                .decode("delta", data, 1, 5, out::add);
        assertTrue(handled);
        assertEquals(List.of("raw:hello"), out);
    }

    @Test
    void decodeBytes_rawDecoderDeclines_nothingEmittedAndNotHandled() {
        List<String> out = new ArrayList<>();
        assertFalse(framing((type, d, off, len) -> null).decode("other", new byte[] {'a'}, 0, 1, out::add));
        assertTrue(out.isEmpty());
    }

    @Test
    void decodeBytes_withoutRawDecoder_declinesEverything() {
        OneEventPerSseFraming<String> p = framing(null);
        List<String> out = new ArrayList<>();
        assertFalse(p.decode("delta", new byte[] {'a'}, 0, 1, out::add));
        p.decode(SseEvent.of("delta", "a"), out::add);
        assertEquals(List.of("a"), out);
    }
}
