package dev.sluice.relay.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Who may use the relay's API, without a server library: the checks that keep a web page the
 * operator visits, a rebound DNS name and a client without the token from spending the operator's
 * keys, as Jupyter Server and Ollama make them.
 *
 * <ul>
 * <li><b>Host</b>: every request's {@code Host} must be one of the server's own names — the
 *     loopback names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) when bound to loopback,
 *     the bound address otherwise (every local address when bound to all of them), plus the names
 *     allowed with {@link Builder#allowHost}. Otherwise 403: a DNS-rebinding page sends its own name.</li>
 * <li><b>Origin</b>: an API request or WebSocket upgrade whose {@code Origin} is present and not
 *     allowed is refused with 403. Allowed: {@code http://NAME:PORT} for each own name (the page
 *     itself), and the origins allowed with {@link Builder#allowOrigin}, which alone get CORS
 *     headers ({@link #corsOrigin}).</li>
 * <li><b>Token</b>, when one is set: every API request and upgrade needs {@code Authorization:
 *     Bearer TOKEN}, {@code x-api-key: TOKEN} (as Anthropic's clients send their key) or the cookie
 *     that {@code /?token=TOKEN} sets ({@code HttpOnly; SameSite=Strict}, so no other site's page
 *     sends it); otherwise 401, also when it sends both a Bearer token and an {@code x-api-key} and
 *     either is not the token. Compared in constant time. A request with two {@code Authorization}
 *     or two {@code x-api-key} headers is refused with 400 ({@link #checkCredentialsOnce}).</li>
 * </ul>
 *
 * Headers are read through a function from a header's name to its value (null when absent), such
 * as {@code exchange::header} ({@link HttpExchange}) or {@code exchange.getRequestHeaders()::getFirst}
 * on the JDK's HttpServer. Immutable and thread-safe.
 */
public final class RequestGuard {
    /** The loopback names, as they appear in a {@code Host} header. */
    static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> hosts;
    private final Set<String> origins;
    private final Set<String> corsOrigins;
    private final byte @Nullable [] token;
    private final String cookieName;

    private RequestGuard(Builder b) {
        Set<String> own = ownNames(b.boundHost);
        Set<String> hostSet = new LinkedHashSet<>(own);
        hostSet.addAll(b.allowedHosts);
        this.hosts = Collections.unmodifiableSet(hostSet);
        Set<String> originSet = new LinkedHashSet<>();
        for (String h : hostSet) {
            originSet.add("http://" + h + ":" + b.port);
            if (b.port == 80) originSet.add("http://" + h);
        }
        originSet.addAll(b.allowedOrigins);
        this.origins = Collections.unmodifiableSet(originSet);
        this.corsOrigins = Set.copyOf(b.allowedOrigins);
        this.token = b.token == null ? null : b.token.getBytes(StandardCharsets.UTF_8);
        this.cookieName = "sluice-token-" + b.port;
    }

    /**
     * {@return a builder for a server bound to this address and port}
     *
     * @param boundHost the address the server listens on, as given ({@code 127.0.0.1},
     *     {@code 0.0.0.0}, {@code 192.168.1.5}, {@code localhost})
     * @param port the port it listens on (the real one, not 0)
     */
    public static Builder builder(String boundHost, int port) {
        return new Builder(boundHost, port);
    }

    /** {@return the {@code Host} names accepted, lower case, IPv6 addresses in brackets} */
    public Set<String> hosts() {
        return hosts;
    }

    /** {@return the origins accepted} */
    public Set<String> origins() {
        return origins;
    }

    /** {@return whether a token is required} */
    public boolean requiresToken() {
        return token != null;
    }

    /**
     * Checks a request's {@code Host}.
     *
     * @param headers the request's headers by name
     * @throws HttpRefusals.Refused 403 {@code host_not_allowed}, whose message names none of the accepted
     *     names (a page on a rebound name reads it before any token is asked for)
     */
    void checkHost(Function<String, @Nullable String> headers) {
        String host = hostName(headers.apply("Host"));
        if (host == null || !hosts.contains(host)) {
            // names no address and no configured name: a rebinding page reads this before any token is checked
            throw HttpRefusals.of(
                    403,
                    "host_not_allowed",
                    "this server does not answer to the name in the Host header;"
                            + " its operator can allow another name with --allow-host NAME");
        }
    }

    /**
     * Checks an API request or WebSocket upgrade: its {@code Host}, its {@code Origin} and, when a
     * token is set, its credentials.
     *
     * @param headers the request's headers by name
     * @throws HttpRefusals.Refused 403 {@code host_not_allowed} or {@code origin_not_allowed}, 401 {@code unauthorized}
     */
    void checkApi(Function<String, @Nullable String> headers) {
        checkApi(headers, false);
    }

    /**
     * Checks an API request as {@link #checkApi(Function)}, but for the token when the request came
     * with a minted key ({@code KeysHttp}), which was checked instead.
     *
     * @param headers the request's headers by name
     * @param keyed whether the request's credential is a minted key, found valid
     * @throws HttpRefusals.Refused as {@link #checkApi(Function)}
     */
    void checkApi(Function<String, @Nullable String> headers, boolean keyed) {
        checkHost(headers);
        String origin = headers.apply("Origin");
        if (origin != null && !origins.contains(normalizeOrigin(origin))) {
            throw HttpRefusals.of(
                    403,
                    "origin_not_allowed",
                    "requests from the page at " + HttpRefusals.shorten(origin, 80)
                            + " are not allowed; start the server with --allow-origin "
                            + HttpRefusals.shorten(origin, 80)
                            + " to allow them");
        }
        if (token != null && !keyed && !authorized(headers)) {
            throw HttpRefusals.of(
                    401,
                    "unauthorized",
                    "send Authorization: Bearer TOKEN (or x-api-key: TOKEN), or open the page at /?token=TOKEN"
                            + " (the token is what serve printed, --token or SLUICE_SERVE_TOKEN)",
                    Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    /** The headers a client's token may come in: a request may carry each at most once. */
    private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "x-api-key");

    /**
     * Checks, when a token is set, that a request carries each header a token comes in at most once:
     * of two {@code Authorization} lines a proxy, a servlet container and this guard may each read
     * another, so such a request is refused rather than judged by one of them.
     *
     * @param headers every value of a request header by name, one per header line (as
     *     {@link HttpExchange#headers} gives them)
     * @throws HttpRefusals.Refused 400 {@code invalid_request}, naming the header
     */
    void checkCredentialsOnce(Function<String, List<String>> headers) {
        if (token == null) return;
        for (String name : CREDENTIAL_HEADERS) {
            if (headers.apply(name).size() > 1) {
                throw HttpRefusals.of(
                        400, "invalid_request", "the request has more than one " + name + " header; send one");
            }
        }
    }

    /** What a request for the page may have. */
    public enum PageAccess {
        /** Serve the page. */
        SERVE,
        /** The right {@code ?token=}: set the cookie ({@link #cookie(String)}) and redirect to the page without it. */
        SET_COOKIE,
        /** No token, or a wrong one: 401. */
        REFUSE
    }

    /**
     * {@return what a request for the page gets} (its {@code Host} is checked apart)
     *
     * @param queryToken the {@code token} query parameter, or null
     * @param headers the request's headers by name
     */
    public PageAccess page(@Nullable String queryToken, Function<String, @Nullable String> headers) {
        if (token == null) return PageAccess.SERVE;
        if (queryToken != null && equal(queryToken)) return PageAccess.SET_COOKIE;
        return authorized(headers) ? PageAccess.SERVE : PageAccess.REFUSE;
    }

    /**
     * {@return the {@code Set-Cookie} value that carries the token: {@code HttpOnly; SameSite=Strict}}
     *
     * @param path the cookie's {@code Path}: where the relay is mounted, {@code /} at the root
     * @throws IllegalStateException if no token is set
     */
    public String cookie(String path) {
        return cookie(path, false);
    }

    /**
     * {@return the {@code Set-Cookie} value that carries the token: {@code HttpOnly; SameSite=Strict},
     * and {@code Secure} when the page was asked for over TLS}
     *
     * @param path the cookie's {@code Path}: where the relay is mounted, {@code /} at the root
     * @param secure whether the request came over TLS ({@link RelayAdmission#secure}): the browser then
     *     sends the token over TLS only
     * @throws IllegalStateException if no token is set
     */
    public String cookie(String path, boolean secure) {
        if (token == null) throw new IllegalStateException("no token is set");
        return cookie(path, secure, new String(token, StandardCharsets.UTF_8));
    }

    /** {@return the {@code Set-Cookie} value of {@link #cookie(String, boolean)}, carrying another credential (a minted key)} */
    String cookie(String path, boolean secure, String credential) {
        return cookieName + "=" + credential + "; Path=" + path + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** {@return the name of the cookie the page's credential is carried in} */
    String cookieName() {
        return cookieName;
    }

    /**
     * {@return the origin to name in {@code Access-Control-Allow-Origin}, when the request comes
     * from an origin allowed explicitly} Same-origin pages need no CORS headers; others get none.
     *
     * @param headers the request's headers by name
     */
    public Optional<String> corsOrigin(Function<String, @Nullable String> headers) {
        String origin = headers.apply("Origin");
        if (origin == null) return Optional.empty();
        String o = normalizeOrigin(origin);
        return corsOrigins.contains(o) ? Optional.of(o) : Optional.empty();
    }

    private boolean authorized(Function<String, @Nullable String> headers) {
        String authorization = headers.apply("Authorization");
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
        String apiKey = headers.apply("x-api-key"); // Anthropic's clients send their key so
        // two credentials must both hold the token: one that disagrees is another client's key, not a spare
        if (bearer != null && apiKey != null) return equal(bearer) && equal(apiKey.strip());
        if (bearer != null && equal(bearer)) return true;
        if (apiKey != null && equal(apiKey.strip())) return true;
        return cookies(headers, cookieName).stream().anyMatch(this::equal);
    }

    /**
     * {@return the values of the request's cookies of this name}, in the order sent (a browser
     * sends the cookie of the longest path first); none without a {@code Cookie} header
     */
    static List<String> cookies(Function<String, @Nullable String> headers, String name) {
        String cookies = headers.apply("Cookie");
        if (cookies == null) return List.of();
        List<String> values = new ArrayList<>(1);
        for (String c : cookies.split(";")) {
            int eq = c.indexOf('=');
            if (eq > 0 && c.substring(0, eq).strip().equals(name))
                values.add(c.substring(eq + 1).strip());
        }
        return values;
    }

    private boolean equal(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return the token, checked: fit for a header and a cookie, and long enough not to be guessed}
     *
     * @param token the token
     * @throws IllegalArgumentException if it is shorter than 16 characters, or has a space, a
     *     comma, a semicolon, a quote, a backslash or a character outside printable ASCII
     */
    public static String checkToken(String token) {
        if (token.length() < 16 || !token.matches("[\\x21-\\x7e&&[^,;\"\\\\]]+")) {
            throw new IllegalArgumentException(
                    "the token must be at least 16 printable ASCII characters without spaces,"
                            + " commas, semicolons, quotes or backslashes");
        }
        return token;
    }

    /**
     * {@return the name, checked (a host name or address, without a port or a path), in lower case}
     *
     * @param name a {@code Host} name the server answers to
     * @throws IllegalArgumentException if it is not a host name
     * @throws NullPointerException if name is null
     */
    public static String checkHostName(String name) {
        String h = hostName(Objects.requireNonNull(name, "name"));
        if (h == null || h.isEmpty() || name.contains("/"))
            throw new IllegalArgumentException("not a host name: " + name);
        return h;
    }

    /**
     * {@return the origin, checked (a scheme and a host, with a port or not, and no path or query), as
     * a browser writes it}
     *
     * @param origin such as {@code https://chat.example.com}
     * @throws IllegalArgumentException if it is not an origin
     * @throws NullPointerException if origin is null
     */
    public static String checkOrigin(String origin) {
        URI u;
        try {
            u = URI.create(Objects.requireNonNull(origin, "origin").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
        }
        if (u.getScheme() == null
                || u.getHost() == null
                || !(u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
                || u.getQuery() != null) {
            throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
        }
        return normalizeOrigin(origin);
    }

    /** {@return the name part of a {@code Host} header, lower case, or null when absent or malformed} */
    static @Nullable String hostName(@Nullable String host) {
        if (host == null || host.isBlank()) return null;
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? null : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** {@return an origin as a browser writes it: scheme://host[:port], lower case, no default port, no path} */
    static String normalizeOrigin(String origin) {
        try {
            URI u = URI.create(origin.strip());
            if (u.getScheme() == null || u.getHost() == null)
                return origin.strip().toLowerCase(Locale.ROOT);
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return origin.strip().toLowerCase(Locale.ROOT);
        }
    }

    /** {@return the names a server bound to this address answers to} */
    private static Set<String> ownNames(String boundHost) {
        Set<String> names = new LinkedHashSet<>();
        String literal = boundHost.strip().toLowerCase(Locale.ROOT);
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the address to serve on: " + boundHost, e);
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) names.addAll(LOOPBACK_NAMES);
        if (address.isAnyLocalAddress()) {
            try {
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(n.getInetAddresses())) names.add(hostLiteral(a));
                }
            } catch (SocketException e) {
                // no interface list: the loopback names and --allow-host still apply
            }
        } else {
            names.add(literal.contains(":") && !literal.startsWith("[") ? "[" + literal + "]" : literal);
        }
        return names;
    }

    private static String hostLiteral(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        if (scope >= 0) s = s.substring(0, scope);
        return s.contains(":") ? "[" + s.toLowerCase(Locale.ROOT) + "]" : s;
    }

    /** Builds a {@link RequestGuard}; each setter checks its argument at once. */
    public static final class Builder {
        private final String boundHost;
        private final int port;
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private @Nullable String token;

        private Builder(String boundHost, int port) {
            this.boundHost = Objects.requireNonNull(boundHost, "boundHost");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1 to 65535: " + port);
            this.port = port;
        }

        /**
         * Accepts another {@code Host} name (a name the server is reached at, such as a reverse
         * proxy's), and {@code http://NAME:PORT} as an origin.
         *
         * @param name a host name or address, without a port
         * @return this builder
         */
        public Builder allowHost(String name) {
            allowedHosts.add(checkHostName(name));
            return this;
        }

        /**
         * Accepts requests from the page at another origin, with CORS headers.
         *
         * @param origin such as {@code https://chat.example.com}; a scheme and a host, no path
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(checkOrigin(origin));
            return this;
        }

        /**
         * Requires this token of every API request and upgrade, and of the page.
         *
         * @param token at least 16 characters, no spaces, commas or semicolons; null for none
         * @return this builder
         */
        public Builder token(@Nullable String token) {
            this.token = token == null ? null : checkToken(token);
            return this;
        }

        /** {@return the guard} */
        public RequestGuard build() {
            return new RequestGuard(this);
        }
    }
}
