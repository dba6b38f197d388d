package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.relay.ApiKey;
import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.KeyAccount;
import dev.sluice.relay.RelayStore;
import dev.sluice.relay.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's minted keys over HTTP: the admin's routes ({@code POST /v1/keys}, {@code GET
 * /v1/keys}, {@code DELETE /v1/keys/ID}, which {@link RelayHttpApi} lets the token alone call) and
 * who a request's key is ({@link #caller}). A key's secret is {@code sk-sluice-} and 40 letters and
 * digits, shown once in the answer that mints it; the store keeps its SHA-256. Immutable; safe from
 * any thread.
 */
final class KeysHttp {
    /** How every minted key's secret begins. */
    static final String PREFIX = "sk-sluice-";

    private final ApiKeyStore store;
    private final RelayStore rates;

    KeysHttp(ApiKeyStore store, RelayStore rates) {
        this.store = store;
        this.rates = rates;
    }

    /**
     * {@return the minted key a request comes with ({@code Authorization: Bearer}, {@code
     * x-api-key}, or the page's cookie); null when it comes with none (the token, or nothing)}
     *
     * @param headers the request's headers by name
     * @param cookieName the name of the cookie the page carries its credential in
     * @throws HttpRefusals.Refused 401 {@code unauthorized} for a key that is unknown, revoked or
     *     expired; 503 while a shared store cannot be reached
     */
    @Nullable
    KeyCaller caller(Function<String, @Nullable String> headers, String cookieName) {
        String secret = secret(headers, cookieName);
        if (secret == null) return null;
        Optional<ApiKey> key;
        String hash = sha256(secret);
        try {
            key = store.find(hash);
        } catch (RelayException e) { // a shared store that cannot be reached: 503
            throw HttpRefusals.of(e);
        }
        if (key.isEmpty()) throw revoked();
        if (key.get().expired(Instant.now()))
            throw HttpRefusals.of(
                    401,
                    "unauthorized",
                    "the key " + key.get().id() + " expired at " + key.get().expiresAt(),
                    Map.of("WWW-Authenticate", "Bearer"));
        return new KeyCaller(key.get(), hash, store, rates);
    }

    /** {@return the refusal of a key not known, or revoked} */
    static HttpRefusals.Refused revoked() {
        return HttpRefusals.of(
                401,
                "unauthorized",
                "this key is not known here or was revoked; ask the gateway's operator for one",
                Map.of("WWW-Authenticate", "Bearer"));
    }

    private static @Nullable String secret(Function<String, @Nullable String> headers, String cookieName) {
        String authorization = headers.apply("Authorization");
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
        String apiKey = headers.apply("x-api-key");
        if (apiKey != null) apiKey = apiKey.strip();
        // two credentials that disagree, one of them a key: neither is taken for the other's spare
        if (bearer != null
                && apiKey != null
                && !bearer.equals(apiKey)
                && (bearer.startsWith(PREFIX) || apiKey.startsWith(PREFIX)))
            throw HttpRefusals.of(
                    401,
                    "unauthorized",
                    "the request sends two different credentials (Authorization and x-api-key); send one",
                    Map.of("WWW-Authenticate", "Bearer"));
        if (bearer != null && bearer.startsWith(PREFIX)) return bearer;
        if (apiKey != null && apiKey.startsWith(PREFIX)) return apiKey;
        return RequestGuard.cookies(headers, cookieName).stream()
                .filter(c -> c.startsWith(PREFIX))
                .findFirst()
                .orElse(null);
    }

    /**
     * {@return whether a secret is a minted key's, valid now (the page's {@code ?token=})}
     *
     * @param secret the secret
     * @throws HttpRefusals.Refused 503 while a shared store cannot be reached
     */
    boolean valid(String secret) {
        if (!secret.startsWith(PREFIX)) return false;
        try {
            return store.find(sha256(secret))
                    .filter(k -> !k.expired(Instant.now()))
                    .isPresent();
        } catch (RelayException e) {
            throw HttpRefusals.of(e);
        }
    }

    /**
     * {@code POST /v1/keys}: mints a key from {@code {"name", "models"?, "max_tokens_total"?,
     * "max_requests_per_minute"?, "expires_at"?}} ({@code expires_at} an ISO-8601 instant or epoch
     * seconds).
     *
     * @param json the request's body
     * @param offered whether the gateway offers a model so named ({@code provider/model} or an alias)
     * @return the {@code 201} body, the only one that carries the key's secret
     * @throws HttpRefusals.Refused 400 {@code invalid_request_error} naming the member at fault
     */
    String mint(String json, Predicate<String> offered) {
        Map<?, ?> body = Json.object(json);
        if (body == null) throw invalid("the body must be a JSON object: {\"name\": ...}");
        if (!(body.get("name") instanceof String name) || name.isBlank() || name.length() > 200)
            throw invalid("name: a string of 1 to 200 characters is required");
        List<String> models = new ArrayList<>();
        Object m = body.get("models");
        if (m != null) {
            if (!(m instanceof List<?> list)) throw invalid("models: an array of provider/model names or aliases");
            for (Object o : list) {
                if (!(o instanceof String s) || !offered.test(s))
                    throw invalid("models: " + Json.shorten(o, 80)
                            + " is not a model this gateway offers (provider/model or an alias; GET /v1/models)");
                models.add(s);
            }
        }
        long maxTokens = count(body, "max_tokens_total", Long.MAX_VALUE);
        long rate = count(body, "max_requests_per_minute", 1_000_000);
        Instant expires = expiry(body.get("expires_at"));
        Instant now = Instant.now();
        if (expires != null && !expires.isAfter(now)) throw invalid("expires_at: must be in the future");
        ApiKey key = new ApiKey("key_" + RandomIds.draw(24), name, models, maxTokens, (int) rate, expires, now);
        String secret = PREFIX + RandomIds.draw(40);
        store.add(key, sha256(secret));
        String view = view(new KeyAccount(key, 0, 0, 0));
        return "{\"id\":" + Json.string(key.id()) + ",\"key\":" + Json.string(secret) + "," + view.substring(1);
    }

    /** {@return the body of {@code GET /v1/keys}: {@code {"object":"list","data":[...]}}, no secrets} */
    String list() {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        boolean first = true;
        for (KeyAccount a : store.keys()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"id\":").append(Json.string(a.key().id())).append(',').append(view(a).substring(1));
        }
        return sb.append("]}").toString();
    }

    /**
     * {@code DELETE /v1/keys/ID}.
     *
     * @param id the key's id
     * @throws HttpRefusals.Refused 404 {@code not_found} when there is no such key
     */
    void revoke(String id) {
        if (!store.revoke(id)) throw HttpRefusals.of(404, "not_found", "no key " + HttpRefusals.shorten(id));
    }

    /** {@return a key's members but its id and secret, as one JSON object} */
    private static String view(KeyAccount a) {
        ApiKey k = a.key();
        return "{\"object\":\"key\",\"name\":" + Json.string(k.name()) + ",\"models\":" + Json.write(k.models())
                + ",\"max_tokens_total\":" + (k.maxTokensTotal() == 0 ? "null" : Long.toString(k.maxTokensTotal()))
                + ",\"max_requests_per_minute\":"
                + (k.maxRequestsPerMinute() == 0 ? "null" : Integer.toString(k.maxRequestsPerMinute()))
                + ",\"expires_at\":"
                + (k.expiresAt() == null ? "null" : Json.string(k.expiresAt().toString()))
                + ",\"created_at\":" + Json.string(k.createdAt().toString())
                + ",\"used_tokens\":" + a.usedTokens() + ",\"reserved_tokens\":" + a.reservedTokens()
                + ",\"requests\":" + a.requests() + "}";
    }

    private static long count(Map<?, ?> body, String member, long max) {
        Object v = body.get(member);
        if (v == null) return 0;
        if (!(v instanceof Long n) || n < 1 || n > max)
            throw invalid(member + ": a positive whole number" + (max < Long.MAX_VALUE ? " up to " + max : ""));
        return n;
    }

    private static @Nullable Instant expiry(@Nullable Object v) {
        if (v == null) return null;
        try {
            if (v instanceof Long seconds) return Instant.ofEpochSecond(seconds);
            if (v instanceof String s) return Instant.parse(s);
        } catch (DateTimeException e) {
            // answered below
        }
        throw invalid("expires_at: an ISO-8601 instant (2026-12-31T00:00:00Z) or epoch seconds");
    }

    private static HttpRefusals.Refused invalid(String message) {
        return HttpRefusals.of(400, "invalid_request_error", message);
    }

    /** {@return the lower-case hex SHA-256 of a secret} */
    static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
