package dev.sluice.internal.low.aws;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs HTTP requests with AWS Signature Version 4 in the {@code Authorization} header, byte for byte
 * as the AWS SDK for Java 2.x signs a request to a service other than S3 (its
 * {@code AwsV4HttpSigner} with payload signing on, as {@code BedrockRuntimeClient} uses it).
 *
 * <p>What is signed: the method; the canonical URI, which is the request's raw path normalized
 * ({@code .} and {@code ..} segments removed, as {@link URI#normalize()} does) and then URI-encoded
 * once more, so a path segment's {@code %3A} (a Bedrock model id's {@code :}) reads {@code %253A}
 * (an empty path is {@code /}); the canonical query string, each parameter's name and value
 * percent-decoded (a {@code +} as a space) and encoded again (everything but {@code A-Z a-z 0-9 - _ . ~}
 * as UTF-8 {@code %XX}), sorted by name and then value, a parameter without {@code =} given an empty
 * value, one with an empty name left out; the canonical headers, which are the request's headers but
 * {@code connection}, {@code user-agent}, {@code expect} and {@code x-amzn-trace-id}, with
 * {@code host} from the URI unless given (with its port when it is not the scheme's default), and
 * the headers the signer adds: {@code x-amz-date}, {@code x-amz-security-token} with temporary
 * credentials, and {@code x-amz-content-sha256} (unless turned off); names lowercased and sorted,
 * values trimmed with inner runs of whitespace made one space, a name's several values joined with
 * commas; and the payload's SHA-256 in lowercase hex.
 *
 * <p>The string to sign is {@code AWS4-HMAC-SHA256}, the date and time, the scope
 * ({@code date/region/service/aws4_request}) and the canonical request's SHA-256; the signing key is
 * the HMAC-SHA256 chain from {@code "AWS4" + secret} through the date, region, service and
 * {@code aws4_request} (kept for the day it is for: one key per credentials and day).
 *
 * <p>The time comes from the {@link Clock} given, so tests sign at a fixed instant. Immutable and
 * safe for concurrent use.
 */
public final class SigV4Signer {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Set<String> UNSIGNED = Set.of("connection", "x-amzn-trace-id", "user-agent", "expect");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) UNRESERVED[c] = true;
        for (char c = 'a'; c <= 'z'; c++) UNRESERVED[c] = true;
        for (char c = '0'; c <= '9'; c++) UNRESERVED[c] = true;
        for (char c : "-_.~".toCharArray()) UNRESERVED[c] = true;
    }

    private final String region;
    private final String service;
    private final Clock clock;
    private final boolean contentSha256Header;
    /** The last signing key derived: credentials and day → key (one entry, replaced whole). */
    private volatile @Nullable SigningKey lastKey;

    @SuppressWarnings("ArrayRecordComponent") // a cache entry matched by its strings, never compared whole
    private record SigningKey(String secret, String date, byte[] key) {}

    /**
     * A signer that adds {@code x-amz-content-sha256}, as the AWS SDK does.
     *
     * @param region the region, such as {@code us-east-1}
     * @param service the service's signing name, such as {@code bedrock} (for {@code bedrock-runtime})
     * @param clock the clock the signing time is read from
     * @throws IllegalArgumentException if the region or the service is blank or holds a {@code /}
     * @throws NullPointerException if an argument is null
     */
    public SigV4Signer(String region, String service, Clock clock) {
        this(region, service, clock, true);
    }

    /**
     * @param contentSha256Header whether to add (and sign) {@code x-amz-content-sha256} with the
     *     payload's hash: the AWS SDK does; the classic SigV4 examples do not
     * @throws IllegalArgumentException if the region or the service is blank or holds a {@code /}
     * @throws NullPointerException if an argument is null
     */
    public SigV4Signer(String region, String service, Clock clock, boolean contentSha256Header) {
        this.region = scopePart(region, "region");
        this.service = scopePart(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.contentSha256Header = contentSha256Header;
    }

    private static String scopePart(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.indexOf('/') >= 0 || !value.equals(value.trim()))
            throw new IllegalArgumentException(
                    name + " must be a plain name, without '/' or surrounding spaces, such as "
                            + ("region".equals(name) ? "us-east-1" : "bedrock-mantle") + ": '" + value + "'");
        return value;
    }

    /** {@return the region signed for} */
    public String region() {
        return region;
    }

    /** {@return the service's signing name} */
    public String service() {
        return service;
    }

    /**
     * Signs a request.
     *
     * @param method the HTTP method, such as {@code POST}
     * @param uri the request's URI as it is sent (its path percent-encoded: a Bedrock model id's
     *     {@code :} as {@code %3A}, a {@code /} within it as {@code %2F}); non-ASCII characters in it
     *     are taken as their UTF-8 percent-encoding
     * @param headers the headers to sign, with the values of each (names are case-insensitive;
     *     {@code host} is taken from the URI unless given); these headers must be sent as signed
     * @param body the payload ({@code new byte[0]} for none)
     * @param credentials the credentials to sign with
     * @return the headers to add to the request
     * @throws IllegalArgumentException if the URI is not absolute, its query holds a malformed
     *     {@code %} escape, or the headers include {@code authorization}
     * @throws NullPointerException if an argument, a header name or a value is null
     */
    public SigV4Headers sign(
            String method, URI uri, Map<String, List<String>> headers, byte[] body, AwsCredentials credentials) {
        Canonical c = canonicalize(method, uri, headers, body, credentials);
        String signature = HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), c.date()), stringToSign(c)));
        String authorization = ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + c.scope()
                + ", SignedHeaders=" + c.signedHeaders() + ", Signature=" + signature;
        return new SigV4Headers(
                c.amzDate(), credentials.sessionToken(), contentSha256Header ? c.payloadHash() : null, authorization);
    }

    /** A canonical request and what goes with it. */
    record Canonical(String amzDate, String scope, String request, String signedHeaders, String payloadHash) {
        String date() {
            return amzDate.substring(0, 8);
        }
    }

    /** {@return the canonical request of a request, as {@link #sign} builds it} */
    Canonical canonicalize(
            String method, URI uri, Map<String, List<String>> headers, byte[] body, AwsCredentials credentials) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(credentials, "credentials");
        URI ascii = URI.create(Objects.requireNonNull(uri, "uri").toASCIIString());
        if (!ascii.isAbsolute() || ascii.getRawAuthority() == null)
            throw new IllegalArgumentException(
                    "the URI must be absolute, with a host: " + uri.getScheme() + "://" + uri.getRawAuthority());
        String amzDate = AMZ_DATE.format(clock.instant());
        String payloadHash = HEX.formatHex(sha256(body));

        TreeMap<String, List<String>> canonical = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization"))
                throw new IllegalArgumentException(
                        "the authorization header is what the signer writes; do not pass one");
            if (UNSIGNED.contains(lower)) return;
            List<String> all = canonical.computeIfAbsent(lower, k -> new ArrayList<>(1));
            for (String v : values) all.add(Objects.requireNonNull(v, () -> "a value of header " + name));
        });
        canonical.computeIfAbsent("host", k -> List.of(host(ascii)));
        // what the signer writes replaces what was given under the same name
        canonical.put("x-amz-date", List.of(amzDate));
        if (credentials.sessionToken() != null)
            canonical.put("x-amz-security-token", List.of(credentials.sessionToken()));
        if (contentSha256Header) canonical.put("x-amz-content-sha256", List.of(payloadHash));

        StringBuilder request = new StringBuilder(512).append(method).append('\n');
        request.append(canonicalUri(ascii)).append('\n');
        request.append(canonicalQuery(ascii.getRawQuery())).append('\n');
        StringBuilder signed = new StringBuilder(128);
        canonical.forEach((name, values) -> {
            request.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) request.append(',');
                appendTrimmed(request, values.get(i));
            }
            request.append('\n');
            if (!signed.isEmpty()) signed.append(';');
            signed.append(name);
        });
        request.append('\n').append(signed).append('\n').append(payloadHash);
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        return new Canonical(amzDate, scope, request.toString(), signed.toString(), payloadHash);
    }

    /** {@return the string to sign for a canonical request} */
    static String stringToSign(Canonical c) {
        return ALGORITHM + "\n" + c.amzDate() + "\n" + c.scope() + "\n"
                + HEX.formatHex(sha256(c.request().getBytes(StandardCharsets.UTF_8)));
    }

    byte[] signingKey(String secret, String date) {
        SigningKey last = lastKey;
        if (last != null && last.date.equals(date) && last.secret.equals(secret)) return last.key;
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        lastKey = new SigningKey(secret, date, key);
        return key;
    }

    static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            // a registry-based authority (for example an underscore in the name): its raw text, user info aside
            String authority = uri.getRawAuthority();
            return authority.substring(authority.indexOf('@') + 1);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? host : host + ":" + port;
    }

    static String canonicalUri(URI uri) {
        String path = uri.normalize().getRawPath();
        if (path == null || path.isEmpty()) return "/";
        path = encode(path, true);
        if (!path.startsWith("/")) path += "/";
        String decoded = uri.getPath();
        if (path.length() > 1 && path.endsWith("/") && (decoded == null || !decoded.endsWith("/")))
            path = path.substring(0, path.length() - 1);
        return path;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            if (name.isEmpty()) continue;
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            params.computeIfAbsent(encode(name, false), k -> new ArrayList<>(1)).add(encode(value, false));
        }
        StringBuilder query = new StringBuilder(rawQuery.length() + 16);
        params.forEach((name, values) -> {
            values.sort(null);
            for (String value : values) {
                if (!query.isEmpty()) query.append('&');
                query.append(name).append('=').append(value);
            }
        });
        return query.toString();
    }

    /** Percent-encodes all but the unreserved characters (and {@code /}, when asked), as UTF-8. */
    static String encode(String s, boolean keepSlashes) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean keep = b < 128 && (UNRESERVED[b] || (keepSlashes && b == '/'));
            if (keep) {
                if (out != null) out.append((char) b);
            } else {
                if (out == null) {
                    out = new StringBuilder(utf8.length + 16);
                    for (int j = 0; j < i; j++) out.append((char) utf8[j]);
                }
                out.append('%').append(HEX_UPPER[b >> 4]).append(HEX_UPPER[b & 0xF]);
            }
        }
        return out == null ? s : out.toString();
    }

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    /** Percent-decodes as a form does ({@code +} is a space); malformed UTF-8 becomes U+FFFD. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) throw new IllegalArgumentException("a malformed % escape in the query at index " + i);
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Appends a header value trimmed, each inner run of whitespace made one space. */
    private static void appendTrimmed(StringBuilder out, String value) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f') {
                pendingSpace = started;
            } else {
                if (pendingSpace) out.append(' ');
                pendingSpace = false;
                started = true;
                out.append(c);
            }
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
