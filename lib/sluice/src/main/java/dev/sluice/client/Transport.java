package dev.sluice.client;

/**
 * How a client reaches its provider ({@link ClientSettings#transport(Transport)}).
 *
 * <p>{@link #BLOCKING} is the default: each stream writes its request and reads its response on
 * its own virtual thread, over HTTP/1.1, with kept-alive connections in a pool per client. The
 * JDK's {@link java.net.http.HttpClient} serves instead, decided once when the client is built and
 * named in its {@code toString()}, when it is chosen here, when a caller's {@code HttpClient} is
 * given ({@link ClientSettings#httpClient}), or when the default {@link java.net.ProxySelector}
 * selects a proxy for the base URL. See docs/performance.md.
 */
public enum Transport {
    /**
     * HTTP/1.1 on the stream's own virtual thread: no selector, no hand-off between threads; TLS
     * through {@code SSLSocket} with SNI and HTTPS endpoint identification.
     */
    BLOCKING,
    /** The JDK's {@link java.net.http.HttpClient}: HTTP/2 over TLS when the server offers it, proxies. */
    HTTP_CLIENT
}
