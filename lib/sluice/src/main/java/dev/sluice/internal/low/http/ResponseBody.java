package dev.sluice.internal.low.http;

import dev.sluice.internal.low.sse.EndAwareBody;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body of either transport: {@link LosslessBodyStream} (the JDK's client) or
 * {@link Http1Body} (the blocking HTTP/1.1 transport). A read blocks the reading thread; {@link #close()}
 * from any thread ends the exchange unless the body has ended (a blocked read then throws), and
 * never throws.
 */
abstract sealed class ResponseBody extends InputStream implements EndAwareBody permits LosslessBodyStream, Http1Body {
    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Ends the exchange, unless the body has ended: idempotent, any thread. */
    @Override
    public abstract void close();
}
