package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.low.eventstream.EventStreamDecoder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What decoding one large ConverseStream frame costs in heap, read as a body is (16 KiB at a time)
 * through the event stream decoder and Bedrock's decoder to the event: the bytes allocated per byte
 * of the frame, an upper bound of what is held at once. The frame is handed to its message, not
 * copied; its text becomes one string (one byte a character for Latin-1 text, two otherwise).
 * {@code sluice serve}'s memory estimate counts a frame at the bound asserted here
 * ({@code MemoryBudget.FRAME_AMPLIFICATION}).
 */
class BedrockFrameMemoryTest {
    /** The most bytes allocated per byte of a frame, what serve's estimate counts ({@code MemoryBudget.FRAME_AMPLIFICATION}). */
    static final double AMPLIFICATION = 5;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** {@return bytes allocated per frame byte to decode a contentBlockDelta of this text} */
    private static double decode(String text, List<ConverseEvent> events) {
        byte[] body = new ConverseFrames()
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}")
                .bytes();
        BedrockDecoder bedrock = new BedrockDecoder();
        EventStreamDecoder frames = new EventStreamDecoder(m -> events.add(bedrock.event(m)));
        byte[] read = new byte[16384];
        long before = allocated();
        for (int i = 0; i < body.length; i += read.length) {
            int n = Math.min(read.length, body.length - i);
            System.arraycopy(body, i, read, 0, n); // the body's read buffer, reused
            frames.feed(read, 0, n);
        }
        frames.finish();
        long after = allocated();
        return (double) (after - before) / body.length;
    }

    /**
     * ASCII text: the frame and its string of one byte a character, 2 bytes per frame byte (the frame
     * was gathered by doubling, then copied: 4). Greek (two UTF-8 bytes a character) and Chinese
     * (three): the frame, and the string decoded through a scratch array as wide as the UTF-8 is long.
     */
    @ParameterizedTest
    @CsvSource({"ascii, 2.2", "greek, 5", "chinese, 5"})
    void decode_frameNearTheBound_allocatesAtMostTheCountedMultiple(String script, double bound) {
        String unit = switch (script) {
            case "ascii" -> "the tide comes in. ";
            case "greek" -> "η παλίρροια έρχεται. ";
            default -> "潮水涨上来了。";
        };
        int bytesPerRepeat = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        String text = unit.repeat((EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES - 1024) / bytesPerRepeat);
        List<ConverseEvent> events = new ArrayList<>();
        decode(text.substring(0, 1000), new ArrayList<>()); // warm up the paths

        double perByte = decode(text, events);

        assertEquals(1, events.size());
        assertEquals(
                text, ((ConverseDelta.TextDelta) ((ConverseEvent.ContentBlockDelta) events.getFirst()).delta()).text());
        System.out.printf("decode of a %s frame: %.2f bytes allocated per frame byte%n", script, perByte);
        assertTrue(
                perByte <= bound && bound <= AMPLIFICATION,
                script + ": " + perByte + " bytes allocated per frame byte");
    }

    @Test
    void defaultMaxFrameBytes_isWhatBedrockSendsWithRoom() {
        // a PayloadPart's bytes: at most 1,000,000 (Bedrock's API reference), 1,333,336 in base64 within its JSON
        assertTrue(EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES >= 1_333_336 + 128 * 1024);
        assertTrue(EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES <= 2 * 1024 * 1024);
    }
}
