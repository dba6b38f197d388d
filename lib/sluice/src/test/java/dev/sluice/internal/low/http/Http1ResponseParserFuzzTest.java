package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Fuzzes the blocking transport's reading of a response, the first reader of every byte a server
 * sends on it: the head ({@link Http1ResponseParser}) and the body's framing ({@link Http1Body}:
 * Content-Length, chunked with its trailers, or to the end), from any bytes, in any chunking, read
 * any number of bytes at a time. For any input:
 * <ul>
 *   <li>the only exceptions are {@link IOException}s: an {@link Http1ComplianceException} naming
 *       the rule, or the end of the stream where more was due (no runtime exception, no
 *       {@code Error});</li>
 *   <li>any chunking of the bytes and any read size give the same body and the same failure;</li>
 *   <li>a body of Content-Length framing is never longer than its length, and a body is never
 *       longer than the bytes received.</li>
 * </ul>
 * The committed inputs in {@code Http1ResponseParserFuzzTestInputs/parse} replay in every build.
 */
class Http1ResponseParserFuzzTest {

    @FuzzTest
    void parse(FuzzedDataProvider data) {
        int readA = data.consumeInt(1, 5000);
        int readB = data.consumeInt(1, 64);
        long seedA = data.consumeLong();
        long seedB = data.consumeLong();
        byte[] response = data.consumeRemainingAsBytes();

        Outcome a = read(response, seedA, readA);
        Outcome b = read(response, seedB, readB);
        assertEquals(a, b, "the chunking or the read size changed the outcome");
        assertTrue(a.body.length <= response.length);
        if (a.contentLength >= 0) assertTrue(a.body.length <= a.contentLength);
    }

    /** What reading a response gave: the body's bytes, the framing's length, and the failure's kind. */
    record Outcome(byte[] body, long contentLength, String failure) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other
                    && Arrays.equals(body, other.body)
                    && contentLength == other.contentLength
                    && failure.equals(other.failure);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(body) * 31 + failure.hashCode();
        }

        @Override
        public String toString() {
            return "Outcome[" + body.length + " bytes, length " + contentLength + ", " + failure + "]";
        }
    }

    static Outcome read(byte[] response, long seed, int readSize) {
        Http1Input in = new Http1Input(
                new Http1ResponseParserTest.ChoppedStream(response, new Random(seed)), null, 1 + (int) (seed & 63));
        Http1Connection c =
                new Http1Connection(new Http1Connection.Key(false, "h", 80), in, OutputStream.nullOutputStream());
        Http1ResponseParser parser = new Http1ResponseParser(in);
        Http1Pool pool = new Http1Pool(1, Long.MAX_VALUE, System::nanoTime);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long length = -1;
        try {
            Http1ResponseParser.Head head = parser.readHead();
            length = head.contentLength();
            try (Http1Body body = new Http1Body(pool.new Lease(c), parser, head)) {
                byte[] buf = new byte[readSize];
                int n;
                while ((n = body.read(buf, 0, buf.length)) >= 0) out.write(buf, 0, n);
            }
            return new Outcome(out.toByteArray(), length, "none");
        } catch (Http1ComplianceException e) {
            return new Outcome(out.toByteArray(), length, e.violation().name());
        } catch (IOException e) {
            return new Outcome(out.toByteArray(), length, "end of stream");
        } finally {
            pool.close();
        }
    }
}
