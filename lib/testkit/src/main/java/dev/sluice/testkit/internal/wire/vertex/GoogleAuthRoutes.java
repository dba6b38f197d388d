package dev.sluice.testkit.internal.wire.vertex;

import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.json.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where Google's credentials get their tokens, as the fake serves it (see {@link FakeVertex}):
 * the OAuth 2.0 token endpoint {@code POST /token} ({@code jwt-bearer} for a service account,
 * {@code refresh_token} for gcloud's user credentials; errors as Google's
 * {@code {"error","error_description"}}) and the metadata server
 * ({@code GET /computeMetadata/v1/instance/service-accounts/default/token} and
 * {@code /computeMetadata/v1/project/project-id}, {@code Metadata-Flavor: Google} required both ways).
 * Stateless and thread-safe.
 */
public final class GoogleAuthRoutes {
    public static final String METADATA_TOKEN = "/computeMetadata/v1/instance/service-accounts/default/token";
    public static final String METADATA_PROJECT = "/computeMetadata/v1/project/project-id";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** How far an assertion's {@code iat} may be ahead of the server's clock. */
    private static final long SKEW_SECONDS = 300;

    private static final PublicKey PUBLIC_KEY = publicKey();

    private GoogleAuthRoutes() {}

    /** {@return whether the path is one of these routes} */
    public static boolean serves(String path) {
        return path.equals(FakeVertex.TOKEN_PATH) || path.equals(METADATA_TOKEN) || path.equals(METADATA_PROJECT);
    }

    /** Answers a request to one of these routes. */
    public static void answer(Exchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        if (path.equals(FakeVertex.TOKEN_PATH)) {
            if (!method.equals("POST")) {
                send(
                        exchange,
                        405,
                        "text/html; charset=UTF-8",
                        "<!DOCTYPE html><title>Error 405 (Method Not Allowed)</title>");
                return;
            }
            tokenEndpoint(exchange);
            return;
        }
        exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
        String flavor = exchange.getRequestHeaders().getFirst("metadata-flavor");
        if (flavor == null || !flavor.equals("Google")) {
            send(exchange, 403, "text/html; charset=UTF-8", "Missing Metadata-Flavor:Google header.");
            return;
        }
        if (!method.equals("GET")) {
            send(exchange, 405, "text/html; charset=UTF-8", "Method not allowed.");
            return;
        }
        if (path.equals(METADATA_PROJECT)) {
            send(exchange, 200, "application/text", FakeVertex.PROJECT);
            return;
        }
        send(exchange, 200, "application/json", tokenAnswer(false));
    }

    private static void tokenEndpoint(Exchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.requestBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        if (grant.equals(JWT_BEARER)) {
            String problem = assertionProblem(form.getOrDefault("assertion", ""), Instant.now());
            if (problem != null) {
                oauthError(exchange, 400, "invalid_grant", problem);
                return;
            }
            send(exchange, 200, "application/json; charset=utf-8", tokenAnswer(false));
        } else if (grant.equals("refresh_token")) {
            if (!FakeVertex.USER_CLIENT_ID.equals(form.get("client_id"))
                    || !FakeVertex.USER_CLIENT_SECRET.equals(form.get("client_secret"))) {
                oauthError(exchange, 401, "invalid_client", "The OAuth client was not found.");
            } else if (!FakeVertex.USER_REFRESH_TOKEN.equals(form.get("refresh_token"))) {
                oauthError(exchange, 400, "invalid_grant", "Token has been expired or revoked.");
            } else {
                send(exchange, 200, "application/json; charset=utf-8", tokenAnswer(true));
            }
        } else if (grant.isEmpty()) {
            oauthError(exchange, 400, "invalid_request", "Missing required parameter: grant_type");
        } else {
            oauthError(
                    exchange,
                    400,
                    "unsupported_grant_type",
                    "Invalid grant_type: " + grant.replaceAll("[^\\x20-\\x7e]", "?"));
        }
    }

    /** {@return what is wrong with a service account's assertion, as Google's token endpoint says it, or null when it is good} */
    public static @Nullable String assertionProblem(String jwt, Instant now) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) return "Invalid JWT: the assertion is not a JWS in compact form.";
        JsonNode header;
        JsonNode claims;
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            header = Json.parse(d.decode(parts[0]));
            claims = Json.parse(d.decode(parts[1]));
            if (!header.isObject() || !claims.isObject())
                return "Invalid JWT: the header and the claims must be JSON objects.";
            if (!header.path("alg").asText("").equals("RS256")) return "Invalid JWT: the algorithm must be RS256.";
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(PUBLIC_KEY);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(d.decode(parts[2]))) return "Invalid JWT Signature.";
        } catch (IllegalArgumentException | Json.Malformed e) {
            return "Invalid JWT: it cannot be decoded.";
        } catch (GeneralSecurityException e) {
            return "Invalid JWT Signature.";
        }
        if (header.has("kid") && !header.path("kid").asText("").equals(FakeVertex.PRIVATE_KEY_ID))
            return "Invalid JWT Signature.";
        if (!claims.path("iss").asText("").equals(FakeVertex.CLIENT_EMAIL)) return "Invalid grant: account not found";
        if (!claims.path("aud").asText("").equals(FakeVertex.AUDIENCE)) {
            return "Invalid JWT: Failed audience check. The expected audience is " + FakeVertex.AUDIENCE + ".";
        }
        if (!Arrays.asList(claims.path("scope").asText("").split(" ")).contains(FakeVertex.SCOPE)) {
            return "Invalid OAuth scope or ID token audience provided.";
        }
        long iat;
        long exp;
        try {
            iat = Long.parseLong(claims.path("iat").asText(""));
            exp = Long.parseLong(claims.path("exp").asText(""));
        } catch (NumberFormatException e) {
            return "Invalid JWT: iat and exp must be numbers of seconds.";
        }
        long t = now.getEpochSecond();
        if (iat > t + SKEW_SECONDS || exp <= t || exp - iat > 3600 || exp <= iat) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
                    + " Check your iat and exp values in the JWT claim.";
        }
        return null;
    }

    private static String tokenAnswer(boolean scoped) {
        ObjectNode answer = Json.object();
        answer.put("access_token", FakeVertex.ACCESS_TOKEN);
        answer.put("expires_in", FakeVertex.TOKEN_LIFETIME_SECONDS);
        if (scoped) answer.put("scope", FakeVertex.SCOPE);
        answer.put("token_type", "Bearer");
        return Json.write(answer);
    }

    private static void oauthError(Exchange exchange, int status, String error, String description) throws IOException {
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description);
        send(exchange, status, "application/json; charset=utf-8", Json.write(body));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the pair is left out, and the grant found wanting
            }
        }
        return form;
    }

    private static void send(Exchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The test service account's public key, from its private key's modulus and public exponent. */
    private static PublicKey publicKey() {
        String pem = FakeVertex.PRIVATE_KEY_PEM;
        String base64 = pem.substring(
                pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
            return rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test service account's key cannot be read", e);
        }
    }
}
