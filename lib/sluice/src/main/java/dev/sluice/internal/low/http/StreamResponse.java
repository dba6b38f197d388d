package dev.sluice.internal.low.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A successfully opened {@code text/event-stream} response. The caller owns {@link #body()} and
 * must close it (closing it is also how a blocked read is cancelled).
 *
 * @param statusCode the 2xx status
 * @param headers the response headers
 * @param requestId the provider's request id, or null when the response had none
 * @param body the response body, unread
 */
public record StreamResponse(
        int statusCode, HttpHeaders headers, @Nullable String requestId, InputStream body) implements Closeable {
    private static final System.Logger LOG = System.getLogger(StreamResponse.class.getName());

    public StreamResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** Closes the body, quietly: the response is given up either way (a failure is logged at DEBUG). */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            if (LOG.isLoggable(System.Logger.Level.DEBUG))
                LOG.log(System.Logger.Level.DEBUG, "closing a response body failed: " + e);
        }
    }

    @Override
    public String toString() {
        return "StreamResponse[status " + statusCode + ", request id " + requestId + "]";
    }
}
