package dev.sluice.internal.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * A successfully opened {@code text/event-stream} response. The caller owns {@link #body()} and
 * must close it (closing it is also how a blocked read is cancelled).
 *
 * @param statusCode the 2xx status
 * @param headers the response headers
 * @param requestId the provider's request id, or null when the response had none
 * @param body the response body, unread
 */
public record StreamResponse(int statusCode, HttpHeaders headers, String requestId, InputStream body)
        implements Closeable {

    public StreamResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** Closes the body. */
    @Override
    public void close() throws IOException {
        body.close();
    }

    @Override
    public String toString() {
        return "StreamResponse[status " + statusCode + ", request id " + requestId + "]";
    }
}
