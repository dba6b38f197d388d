package dev.sluice.internal.low.http;

import dev.sluice.internal.low.sse.EndAwareBody;
import java.io.InputStream;

/**
 * A response body of either transport: {@link LosslessBodyStream} (the JDK's client) or
 * {@link Http1Body} (the blocking HTTP/1.1 transport). A read blocks the reading thread; {@link #close()}
 * from any thread ends the exchange unless the body has ended (a blocked read then throws), and
 * never throws.
 */
abstract sealed class ResponseBody extends InputStream implements EndAwareBody permits LosslessBodyStream, Http1Body {
    /** Ends the exchange, unless the body has ended: idempotent, any thread. */
    @Override
    public abstract void close();
}
