package dev.sluice.internal.low.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fuzzes the AWS event stream decoder, the first reader of every byte Bedrock sends. For any bytes,
 * a small random {@code maxFrameBytes} and any chunking:
 * <ul>
 *   <li>the only exceptions are {@link ProtocolException} and {@link LimitExceededException} (no
 *       other runtime exception, no {@code Error});</li>
 *   <li>the buffer that gathers split frames stays within {@code maxFrameBytes} after every feed;</li>
 *   <li>any chunking gives the same messages and the same failure as one feed;</li>
 *   <li>every message given, re-encoded by AWS's own encoder (when it accepts it, and has no byte or short header, which it writes wrong), decodes to itself again.</li>
 * </ul>
 * The committed inputs in {@code EventStreamDecoderFuzzTestInputs/decode} replay in every build.
 */
class EventStreamDecoderFuzzTest {

    @FuzzTest
    void decode(FuzzedDataProvider data) {
        int maxFrameBytes = data.consumeInt(16, 4096);
        long chunkSeed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();

        Outcome whole = decode(stream, maxFrameBytes, new int[] {stream.length});
        Outcome chunked = decode(stream, maxFrameBytes, chunks(new Random(chunkSeed), stream.length));
        assertEquals(whole, chunked, "chunking changed the outcome");
        for (EventStreamMessage m : whole.messages) {
            // AWS's encoder (eventstream 1.0.1) writes a byte or short header's type without its value
            if (m.headers().values().stream()
                    .anyMatch(v -> v instanceof HeaderValue.ByteValue || v instanceof HeaderValue.ShortValue)) continue;
            byte[] again;
            try {
                again = Frames.aws(m.headers(), m.payload());
            } catch (RuntimeException refusedByAws) {
                continue; // a name or value AWS's encoder will not write (too long once ill-formed UTF-8 is replaced)
            }
            if (again.length <= maxFrameBytes)
                assertEquals(List.of(m), decode(again, maxFrameBytes, new int[] {again.length}).messages);
        }
    }

    /** What a decoding gave: the messages, and the class and message of the failure that ended it (null when none did). */
    record Outcome(List<EventStreamMessage> messages, String failure) {}

    private static Outcome decode(byte[] stream, int maxFrameBytes, int[] chunks) {
        List<EventStreamMessage> messages = new ArrayList<>();
        EventStreamDecoder decoder = new EventStreamDecoder(maxFrameBytes, messages::add);
        int at = 0;
        try {
            for (int c : chunks) {
                try {
                    decoder.feed(stream, at, c);
                } finally {
                    assertTrue(decoder.bufferCapacity() <= maxFrameBytes, "a buffer past maxFrameBytes");
                }
                at += c;
            }
            decoder.finish();
            return new Outcome(messages, null);
        } catch (ProtocolException | LimitExceededException e) {
            return new Outcome(messages, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static int[] chunks(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = length; left > 0; ) {
            int size = Math.min(left, random.nextInt(3) == 0 ? random.nextInt(4) : 1 + random.nextInt(80));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
