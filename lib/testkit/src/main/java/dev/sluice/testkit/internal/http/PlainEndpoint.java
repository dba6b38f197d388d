package dev.sluice.testkit.internal.http;

import java.io.IOException;

/**
 * An endpoint of the fake server that is not a model's API: a cloud's token service or metadata
 * endpoint, which reads forms or query strings and answers in its own shape. Asked before the
 * {@code WireFormat}s, for requests no scripted response takes. Stateless or thread-safe.
 */
public interface PlainEndpoint {
    /** {@return whether this endpoint answers the request} */
    boolean serves(String method, String path);

    /** Answers the request completely (status, headers, body). */
    void answer(Exchange exchange) throws IOException;
}
