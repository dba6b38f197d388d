package dev.sluice.internal.low.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The decoder against AWS's own encoder ({@code software.amazon.eventstream.Message#toByteBuffer}):
 * random frames round-trip under random chunking, and every frame with one bit flipped is refused.
 */
class EventStreamDecoderPropertyTest {
    private static final int FRAMES = 10_000;
    private static final int FRAMES_PER_STREAM = 50;

    @Test
    void feed_tenThousandAwsEncodedFrames_anyChunking_roundTrip() {
        Random random = new Random(70);
        int checked = 0;
        while (checked < FRAMES) {
            List<EventStreamMessage> expected = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < FRAMES_PER_STREAM; i++) {
                EventStreamMessage m = randomMessage(random);
                expected.add(m);
                stream.writeBytes(Frames.aws(m.headers(), m.payload()));
            }
            byte[] bytes = stream.toByteArray();
            int[] chunks = new int[1 + random.nextInt(40)];
            for (int i = 0; i < chunks.length; i++) chunks[i] = 1 + random.nextInt(random.nextBoolean() ? 4096 : 64);
            List<EventStreamMessage> got = Frames.decode(bytes, EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, chunks);
            assertEquals(expected, got, "seed 70, stream at frame " + checked);
            checked += FRAMES_PER_STREAM;
        }
        assertEquals(FRAMES, checked);
    }

    @Test
    void feed_anyOneBitFlippedInAnAwsFrame_isRefusedWithProtocolException() {
        Random random = new Random(71);
        for (int i = 0; i < 2_000; i++) {
            EventStreamMessage m = randomMessage(random);
            byte[] frame = Frames.aws(m.headers(), m.payload());
            // half the flips in the prelude and the CRCs, where lengths and checksums live
            int at = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(12);
                case 1 -> frame.length - 1 - random.nextInt(4);
                default -> random.nextInt(frame.length);
            };
            frame[at] ^= (byte) (1 << random.nextInt(8));
            int chunk = 1 + random.nextInt(4096);
            ProtocolException e = assertThrows(
                    ProtocolException.class,
                    () -> Frames.decode(frame, EventStreamDecoder.DEFAULT_MAX_FRAME_BYTES, chunk),
                    "bit flipped at byte " + at);
            assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
        }
    }

    /** A message of random headers (unique names) and a random payload, as AWS's encoder takes them. */
    static EventStreamMessage randomMessage(Random random) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        int count = random.nextInt(8);
        for (int i = 0; i < count; i++) headers.put(randomText(random, 1, 24) + "#" + i, randomValue(random));
        int size = switch (random.nextInt(20)) {
            case 0 -> 0;
            case 1 -> 4096 + random.nextInt(60_000);
            default -> random.nextInt(400);
        };
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        return new EventStreamMessage(headers, payload);
    }

    /**
     * A random value of every type but byte and short: AWS's encoder (eventstream 1.0.1) writes their
     * type without their value, a frame its own decoder cannot read; EventStreamDecoderTest checks
     * those two against AWS's decoder.
     */
    static HeaderValue randomValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new HeaderValue.BoolValue(true);
            case 1 -> new HeaderValue.BoolValue(false);
            case 2 -> new HeaderValue.IntValue(random.nextInt());
            case 3 -> new HeaderValue.LongValue(random.nextLong());
            case 4 -> {
                byte[] b = new byte[1 + random.nextInt(100)]; // AWS's encoder refuses empty bytes
                random.nextBytes(b);
                yield new HeaderValue.BytesValue(b);
            }
            case 5 -> new HeaderValue.StringValue(randomText(random, 1, 60)); // AWS's encoder refuses an empty string
            case 6 -> new HeaderValue.TimestampValue(Instant.ofEpochMilli(random.nextLong() >> 2));
            default -> new HeaderValue.UuidValue(new UUID(random.nextLong(), random.nextLong()));
        };
    }

    /** Text of whole code points (ASCII mostly, some Latin, CJK and emoji), so UTF-8 round-trips. */
    static String randomText(Random random, int min, int max) {
        StringBuilder s = new StringBuilder();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            int cp = switch (random.nextInt(10)) {
                case 0 -> 0xA0 + random.nextInt(0x100);
                case 1 -> 0x4E00 + random.nextInt(0x500);
                case 2 -> 0x1F600 + random.nextInt(0x40);
                default -> 0x20 + random.nextInt(0x5F);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }
}
