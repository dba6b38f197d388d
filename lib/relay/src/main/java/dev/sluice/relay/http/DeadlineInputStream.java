package dev.sluice.relay.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A request body that must arrive whole by a deadline ({@link RelayAdmission#bodyTimeout()}): a read
 * that begins after it throws {@link SocketTimeoutException}. The floor of the body timeout on any
 * server: a body that trickles in ends at its first read past the deadline. A read that waits
 * for bytes that do not come is the server's to end ({@link HttpExchange#body}).
 *
 * <p>Threading: the request's thread.
 */
final class DeadlineInputStream extends FilterInputStream {
    private final long deadline;

    DeadlineInputStream(InputStream in, Duration timeout) {
        super(in);
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public int read() throws IOException {
        check();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        return super.read(b, off, len);
    }

    private void check() throws SocketTimeoutException {
        if (System.nanoTime() - deadline > 0)
            throw new SocketTimeoutException("the request body did not arrive within its timeout");
    }
}
