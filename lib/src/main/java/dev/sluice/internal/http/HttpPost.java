package dev.sluice.internal.http;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One JSON POST for {@link HttpTransport}: where, which headers, what body, and how long to wait
 * for the response headers. {@link #toString()} shows the header names only, never their values.
 *
 * @param uri the endpoint, {@code http} or {@code https}
 * @param headers the provider's headers (API key, version, ...), in order; {@code Content-Type}
 *     and {@code Accept} are added by the transport unless given here
 * @param body the JSON body
 * @param timeout how long to wait for the response headers, or null for no limit; for a stream,
 *     what remains of the first-event timeout
 * @param timeoutLimit the configured timeout {@code timeout} is what remains of, reported in the
 *     {@link dev.sluice.StreamTimeoutException}; null when {@code timeout} is
 * @param method {@code POST} (the body sent), or {@code GET} (the body, empty, not sent: a stream
 *     read again, such as an OpenAI background response's)
 * @throws IllegalArgumentException if the scheme is not http(s), a header name or value is
 *     malformed (the message names the header, never its value), or a timeout is not positive
 */
public record HttpPost(URI uri, Map<String, String> headers, String body, Duration timeout, Duration timeoutLimit,
                       String method) {

    public HttpPost {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(method, "method");
        if (!method.equals("POST") && !method.equals("GET")) throw new IllegalArgumentException("method must be POST or GET: " + method);
        if (method.equals("GET") && !body.isEmpty()) throw new IllegalArgumentException("a GET has no body");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("uri must be an absolute http or https URI with a host: "
                    + HttpTransport.describe(uri));
        }
        Objects.requireNonNull(headers, "headers");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (!isValidHeaderName(name)) throw new IllegalArgumentException("invalid header name: " + name);
            if (value == null) throw new NullPointerException("the value of header " + name + " is null");
            if (hasLineBreakOrNul(value)) {
                throw new IllegalArgumentException("the value of header " + name + " contains a line break or NUL");
            }
            copy.put(name, value);
        }
        headers = Collections.unmodifiableMap(copy);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (timeout == null && timeoutLimit != null) {
            throw new IllegalArgumentException("timeoutLimit is given without a timeout");
        }
        if (timeout != null && timeoutLimit == null) timeoutLimit = timeout;
        if (timeout != null && timeoutLimit.compareTo(timeout) < 0) {
            throw new IllegalArgumentException("timeoutLimit (" + timeoutLimit + ") must not be less than timeout ("
                    + timeout + ")");
        }
    }

    // The checks below are loops rather than predicates over chars(): a fresh JVM links each lambda
    // the first time it runs, on the way to the first request.

    /** {@return whether {@code name} is a non-empty header name of visible ASCII characters without a colon} */
    public static boolean isValidHeaderName(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') return false;
        }
        return true;
    }

    /** {@return whether {@code value} contains a CR, an LF or a NUL} */
    public static boolean hasLineBreakOrNul(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) return true;
        }
        return false;
    }

    /** A POST, as {@link #HttpPost(URI, Map, String, Duration, Duration, String)} with {@code POST}. */
    public HttpPost(URI uri, Map<String, String> headers, String body, Duration timeout, Duration timeoutLimit) {
        this(uri, headers, body, timeout, timeoutLimit, "POST");
    }

    /** {@return a GET with these headers and no timeout} */
    public static HttpPost get(URI uri, Map<String, String> headers) {
        return new HttpPost(uri, headers, "", null, null, "GET");
    }

    /** {@return a POST of this JSON body with these headers and no timeout} */
    public static HttpPost json(URI uri, Map<String, String> headers, String body) {
        return new HttpPost(uri, headers, body, null, null);
    }

    /**
     * {@return this POST waiting at most {@code remaining} for the response headers, reported as
     * part of a first-event timeout of {@code limit}}
     */
    public HttpPost withTimeout(Duration remaining, Duration limit) {
        return new HttpPost(uri, headers, body, remaining, limit, method);
    }

    /** {@return this POST waiting at most {@code timeout} for the response headers} */
    public HttpPost withTimeout(Duration timeout) {
        return withTimeout(timeout, timeout);
    }

    @Override
    public String toString() {
        return "HttpPost[" + (method.equals("GET") ? "GET " : "") + HttpTransport.describe(uri) + ", headers " + headers.keySet() + ", " + body.length()
                + " chars" + (timeout == null ? "" : ", timeout " + timeout) + "]";
    }
}
