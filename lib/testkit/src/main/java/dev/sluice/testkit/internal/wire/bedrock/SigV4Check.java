package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.wire.ApiError;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) the way AWS does for a service other
 * than S3: the canonical request is rebuilt from what arrived (the path's segments encoded once more,
 * the query sorted, the signed headers trimmed, the body's SHA-256), signed with the
 * {@linkplain FakeBedrock test key}, and compared. A mismatch, an unknown key, a missing part or a
 * date more than 15 minutes off is an {@link ApiError} of AWS's type and message. The verifying side
 * only, written here so that the testkit does not check the library's signer with its own code.
 * Stateless.
 */
public final class SigV4Check {
    public static final String MISMATCH =
            "The request signature we calculated does not match the signature you provided. Check your"
                    + " AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4Check() {}

    /**
     * Checks the signature of one request.
     *
     * @param authorization the {@code Authorization} header, starting with {@code AWS4-HMAC-SHA256}
     * @param target the request target as sent (raw path and query)
     * @param signingName the service name the host wants signatures for ({@code bedrock}, {@code bedrock-mantle})
     * @throws ApiError 403 {@code IncompleteSignatureException}, {@code UnrecognizedClientException} or
     *     {@code InvalidSignatureException}, as AWS answers
     */
    static void verify(
            String method,
            String target,
            Headers headers,
            byte[] body,
            String authorization,
            Instant now,
            String signingName)
            throws ApiError {
        String params = authorization.substring(ALGORITHM.length()).strip();
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : params.split(",")) {
            String p = part.strip();
            if (p.startsWith("Credential=")) credential = p.substring("Credential=".length());
            else if (p.startsWith("SignedHeaders=")) signedHeaders = p.substring("SignedHeaders=".length());
            else if (p.startsWith("Signature=")) signature = p.substring("Signature=".length());
        }
        String amzDate = headers.getFirst("x-amz-date");
        if (credential == null || signedHeaders == null || signature == null || amzDate == null) {
            throw forbidden(
                    "IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'Signature' and"
                            + " 'SignedHeaders' parameters, and the request an 'X-Amz-Date' header. Authorization="
                            + ALGORITHM);
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw forbidden(
                    "IncompleteSignatureException",
                    "Credential should be scoped to a valid region, not '" + (scope.length > 2 ? scope[2] : "") + "'.");
        }
        if (!scope[0].equals(FakeBedrock.ACCESS_KEY_ID)) {
            throw forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw forbidden(
                    "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        if (signedAt.isBefore(now.minus(SKEW))) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(SKEW)) + " ("
                            + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(SKEW))) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(now.plus(SKEW))
                            + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
        if (!scope[3].equals(signingName)) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Credential should be scoped to correct service: '" + signingName + "'. ");
        }
        if (!scope[1].equals(amzDate.substring(0, 8))) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601" + " version of date from HTTP: '"
                            + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        String bodyHash = HEX.formatHex(sha256(body));
        String claimed = headers.getFirst("x-amz-content-sha256");
        if (claimed != null && !claimed.equals(bodyHash) && !claimed.equals("UNSIGNED-PAYLOAD")) {
            throw forbidden("InvalidSignatureException", MISMATCH);
        }
        String payloadHash = "UNSIGNED-PAYLOAD".equals(claimed) ? claimed : bodyHash;

        StringBuilder request = new StringBuilder(512).append(method).append('\n');
        URI uri = URI.create(target);
        request.append(canonicalPath(uri.getRawPath())).append('\n');
        request.append(canonicalQuery(uri.getRawQuery())).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.get(name);
            if (values == null) throw forbidden("InvalidSignatureException", MISMATCH);
            request.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) request.append(',');
                request.append(values.get(i).strip().replaceAll(" +", " "));
            }
            request.append('\n');
        }
        request.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n"
                + String.join("/", List.of(scope).subList(1, 5)) + "\n"
                + HEX.formatHex(sha256(request.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + FakeBedrock.SECRET_ACCESS_KEY).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        byte[] expected = hmac(key, stringToSign);
        if (!MessageDigest.isEqual(
                HEX.formatHex(expected).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw forbidden("InvalidSignatureException", MISMATCH);
        }
    }

    static ApiError forbidden(String type, String message) {
        return ApiError.other(403, type, message);
    }

    /** The raw (once-encoded) path encoded again, segment by segment: what AWS signs for services other than S3. */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) return "/";
        return encode(URI.create(rawPath).normalize().getRawPath(), true);
    }

    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(encode(name, false), k -> new ArrayList<>()).add(encode(value, false));
        }
        StringBuilder q = new StringBuilder();
        params.forEach((name, values) -> {
            values.sort(null);
            for (String v : values) {
                if (!q.isEmpty()) q.append('&');
                q.append(name).append('=').append(v);
            }
        });
        return q.toString();
    }

    private static String encode(String s, boolean keepSlashes) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || "-_.~".indexOf(c) >= 0;
            if (unreserved || (keepSlashes && c == '/')) out.append((char) c);
            else out.append('%').append(HEX.withUpperCase().toHexDigits((byte) c));
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JDK has HmacSHA256
        }
    }
}
