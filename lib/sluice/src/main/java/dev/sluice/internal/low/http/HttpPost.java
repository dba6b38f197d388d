package dev.sluice.internal.low.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One JSON POST for {@link HttpTransport}: where, which headers, what body, and how long to wait
 * for the response headers. {@link #toString()} shows the header names only, never their values,
 * and never the secrets.
 *
 * @param uri the endpoint, {@code http} or {@code https}
 * @param headers the provider's headers (API key, version, ...), in order; {@code Content-Type}
 *     and {@code Accept} are added by the transport unless given here
 * @param body the JSON body
 * @param timeout how long to wait for the response headers, or null for no limit; for a stream,
 *     what remains of the first-event timeout
 * @param timeoutLimit the configured timeout {@code timeout} is what remains of, reported in the
 *     {@link dev.sluice.StreamTimeoutException}; null when {@code timeout} is
 * @param method {@code POST} (the body sent), {@code GET} (the body, empty, not sent: a stream
 *     read again, such as an OpenAI background response's), {@code DELETE} (no body: an MCP
 *     session's end), or {@code PUT} (no body, {@code Content-Length: 0}: IMDSv2's session token)
 * @param secrets what else the request carries that a server's text must be cleaned of, beyond its
 *     credential headers' values ({@link #redactions()}): a token form's client secret, refresh
 *     token or assertion, a managed identity endpoint's secret header; never sent as they are here
 * @param refusalNote what a refusal of this request (a 401 or 403) adds to its message: how it was
 *     authorized, such as the region an AWS request was sent for and where that came from; null for nothing
 */
public record HttpPost(
        URI uri,
        Map<String, String> headers,
        String body,
        @Nullable Duration timeout,
        @Nullable Duration timeoutLimit,
        String method,
        List<String> secrets,
        @Nullable String refusalNote) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the scheme is not http(s), a header name or value is
     *     malformed (the message names the header, never its value), or a timeout is not positive
     */
    public HttpPost {
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(method, "method");
        if (!method.equals("POST") && !method.equals("GET") && !method.equals("DELETE") && !method.equals("PUT"))
            throw new IllegalArgumentException("method must be POST, GET, DELETE or PUT: " + method);
        if (!method.equals("POST") && !body.isEmpty())
            throw new IllegalArgumentException("a " + method + " has no body");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "uri must be an absolute http or https URI with a host: " + describe(uri));
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
        if (timeout != null && timeoutLimit != null && timeoutLimit.compareTo(timeout) < 0) {
            throw new IllegalArgumentException(
                    "timeoutLimit (" + timeoutLimit + ") must not be less than timeout (" + timeout + ")");
        }
    }

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

    /** {@return whether {@code s} contains a control character: below U+0020, or U+007F} */
    public static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    /**
     * {@return a setting sent as a header value, stripped}
     *
     * @param name the setting, named in the message
     * @throws IllegalArgumentException if blank or containing a control character (the message
     *     shows the value: use it for values that are not secret)
     */
    public static String headerToken(String value, String name) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty()) throw new IllegalArgumentException(name + " must not be blank");
        if (hasControlCharacter(v)) throw new IllegalArgumentException(name + " contains a control character: " + v);
        return v;
    }

    /** A request without a refusal note, as {@link #HttpPost(URI, Map, String, Duration, Duration, String, List, String)}. */
    public HttpPost(
            URI uri,
            Map<String, String> headers,
            String body,
            @Nullable Duration timeout,
            @Nullable Duration timeoutLimit,
            String method,
            List<String> secrets) {
        this(uri, headers, body, timeout, timeoutLimit, method, secrets, null);
    }

    /** A request without secrets beyond its headers, as {@link #HttpPost(URI, Map, String, Duration, Duration, String, List)}. */
    public HttpPost(
            URI uri,
            Map<String, String> headers,
            String body,
            @Nullable Duration timeout,
            @Nullable Duration timeoutLimit,
            String method) {
        this(uri, headers, body, timeout, timeoutLimit, method, List.of());
    }

    /** A POST, as {@link #HttpPost(URI, Map, String, Duration, Duration, String, List)} with {@code POST}. */
    public HttpPost(
            URI uri,
            Map<String, String> headers,
            String body,
            @Nullable Duration timeout,
            @Nullable Duration timeoutLimit) {
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
    public HttpPost withTimeout(@Nullable Duration remaining, @Nullable Duration limit) {
        return new HttpPost(uri, headers, body, remaining, limit, method, secrets, refusalNote);
    }

    /** {@return this request with these headers in place of its own, its secrets kept} */
    public HttpPost withHeaders(Map<String, String> replaced) {
        return new HttpPost(uri, replaced, body, timeout, timeoutLimit, method, secrets, refusalNote);
    }

    /** {@return this request with this {@linkplain #refusalNote() refusal note}} */
    public HttpPost withRefusalNote(@Nullable String note) {
        return new HttpPost(uri, headers, body, timeout, timeoutLimit, method, secrets, note);
    }

    /** {@return this request with these secrets besides its own (see {@link #secrets()})} */
    public HttpPost withSecrets(List<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new HttpPost(uri, headers, body, timeout, timeoutLimit, method, all, refusalNote);
    }

    /**
     * {@return what {@link ServerText#clean} cleans a server's answer to this request of: its
     * headers (their credentials' values), and its {@linkplain #secrets() secrets} as if each were
     * the value of a credential header}
     */
    public Map<String, String> redactions() {
        if (secrets.isEmpty()) return headers;
        Map<String, String> all = new LinkedHashMap<>(headers);
        // a space is in no header's name, so these never replace a header
        for (int i = 0; i < secrets.size(); i++) all.put("secret " + i, secrets.get(i));
        return Collections.unmodifiableMap(all);
    }

    /** {@return this POST waiting at most {@code timeout} for the response headers} */
    public HttpPost withTimeout(@Nullable Duration timeout) {
        return withTimeout(timeout, timeout);
    }

    /** {@return {@code host:port} of the URI, with the scheme's default port when none is given: where, for messages} */
    public String target() {
        return target(uri);
    }

    private static String target(URI uri) {
        int port = uri.getPort();
        if (port < 0) port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /** {@return the URI without user info, query or fragment, for messages} */
    static String describe(URI uri) {
        if (uri.getHost() == null) return "<" + (uri.getScheme() == null ? "relative" : uri.getScheme()) + " URI>";
        return uri.getScheme() + "://" + target(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /**
     * {@return the JDK request of this POST} {@code Content-Type: application/json} and
     * {@code Accept: accept} are added unless given; the timeout is the wait for the response headers.
     * Requests to an {@code https} URI use the client's HTTP version (by default HTTP/2, negotiated
     * by ALPN, falling back to HTTP/1.1); requests to a cleartext {@code http} URI use HTTP/1.1, so
     * no h2c upgrade is attempted.
     *
     * @throws IllegalArgumentException if java.net.http refuses a header (restricted or malformed);
     *     the message names the header, never its value
     */
    HttpRequest toRequest(String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (method.equals("GET")) {
            b.GET();
        } else if (method.equals("DELETE")) {
            b.DELETE();
        } else if (method.equals("PUT")) {
            b.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            b.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        boolean hasContentType = !method.equals("POST"); // no body to describe
        boolean hasAccept = false;
        for (var h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            hasContentType |= name.equals("content-type");
            hasAccept |= name.equals("accept");
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // The JDK's message may quote the value; name the header only.
                throw new IllegalArgumentException(
                        "header " + h.getKey() + " is not allowed by java.net.http" + " (restricted or malformed)");
            }
        }
        if (!hasContentType) b.header("Content-Type", "application/json");
        if (!hasAccept) b.header("Accept", accept);
        if (timeout != null) b.timeout(timeout);
        // Cleartext http: HTTP/1.1, set on the request so that it holds for a caller's client too.
        // The client's default, HTTP/2, makes every such request an h2c upgrade attempt
        // (Connection: Upgrade, HTTP2-Settings, Upgrade: h2c), which local and proxy servers
        // ignore or refuse. Over https the client's version stands: HTTP/2 when ALPN agrees.
        if ("http".equalsIgnoreCase(uri.getScheme())) b.version(HttpClient.Version.HTTP_1_1);
        return b.build();
    }

    @Override
    public String toString() {
        return "HttpPost[" + (method.equals("POST") ? "" : method + " ") + describe(uri) + ", headers "
                + headers.keySet()
                + ", " + body.length() + " chars" + (timeout == null ? "" : ", timeout " + timeout)
                + (secrets.isEmpty() ? "" : ", " + secrets.size() + " secrets") + "]";
    }
}
