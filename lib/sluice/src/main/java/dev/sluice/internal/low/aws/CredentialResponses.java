package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.http.ExchangeDeadline;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * What the credential endpoints have in common: an HTTP exchange whose body is read up to a bound,
 * and the JSON credentials the container endpoint, the instance metadata service and a
 * {@code credential_process} answer with. Messages name the source and never quote a body: it may
 * hold a secret.
 */
final class CredentialResponses {
    /** Bodies past this are refused: credentials are a few kilobytes. */
    static final int MAX_BODY_BYTES = 64_000;

    record Response(int status, String body) {}

    private CredentialResponses() {}

    /**
     * {@return the response, its body read up to {@link #MAX_BODY_BYTES}} The request goes through the
     * settings' {@link HttpTransport} (blocking HTTP/1.1, unless a proxy is configured); its timeout is
     * the deadline of the whole exchange, its body included ({@link ExchangeDeadline}): an endpoint
     * that trickles its answer is given up on when it passes, as one that does not answer is. A
     * redirect is an answer like any other status, never followed.
     *
     * @param what the endpoint, as a message names it
     * @param unreachable the kind of the exception when no answer came (a refused connection, a timeout)
     * @throws CredentialsException if no answer came, whole, within the request's timeout, or the body is too long
     * @throws IllegalArgumentException if the request has no timeout
     */
    static Response send(HttpTransport http, HttpPost request, String what, Kind unreachable) {
        try {
            ExchangeDeadline.Answer r = ExchangeDeadline.exchange(http, request, MAX_BODY_BYTES);
            if (r.tooLong()) {
                throw new CredentialsException(
                        Kind.FAILED, what + " answered with more than " + MAX_BODY_BYTES + " bytes", null);
            }
            return new Response(r.status(), r.body());
        } catch (HttpTimeoutException e) {
            throw new CredentialsException(
                    unreachable,
                    what + " did not answer in full within "
                            + ExchangeDeadline.inWords(Objects.requireNonNull(request.timeout()))
                            + " (the deadline covers the whole answer, its body included)",
                    e);
        } catch (IOException e) {
            throw new CredentialsException(
                    unreachable, what + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException(Kind.FAILED, "interrupted while calling " + what, e);
        }
    }

    /**
     * {@return the credentials of a JSON object with {@code AccessKeyId}, {@code SecretAccessKey},
     * the session token under {@code tokenMember}, and an optional ISO-8601 {@code Expiration}}
     *
     * @throws CredentialsException ({@link Kind#FAILED}) if the JSON or a member is malformed or missing
     */
    static Expiring<AwsCredentials> json(String body, String tokenMember, String what) {
        // never Jackson's reading: its exception would quote a secret of a malformed answer
        Object value = Json.readSecretBearing(body)
                .orElseThrow(() -> new CredentialsException(Kind.FAILED, what + " answered with malformed JSON", null));
        if (!(value instanceof Map<?, ?> m))
            throw new CredentialsException(Kind.FAILED, what + " did not answer with a JSON object", null);
        String id = member(m, "AccessKeyId", what);
        String secret = member(m, "SecretAccessKey", what);
        Object token = m.get(tokenMember);
        if (token != null && !(token instanceof String)) throw malformed(what, tokenMember);
        Object expiration = m.get("Expiration");
        if (expiration != null && !(expiration instanceof String)) throw malformed(what, "Expiration");
        String t = token == null || ((String) token).isBlank() ? null : (String) token;
        return new Expiring<>(
                new AwsCredentials(id, secret, t), expiration == null ? null : instant((String) expiration, what));
    }

    /** {@return an ISO-8601 date and time, with an offset or a Z} */
    static Instant instant(String text, String what) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException again) {
                throw new CredentialsException(
                        Kind.FAILED, what + " gave an Expiration that is not an ISO-8601 time", null);
            }
        }
    }

    private static String member(Map<?, ?> m, String name, String what) {
        if (!(m.get(name) instanceof String s) || s.isBlank()) {
            throw new CredentialsException(Kind.FAILED, what + " answered without " + name, null);
        }
        return s;
    }

    private static CredentialsException malformed(String what, String member) {
        return new CredentialsException(
                Kind.FAILED, what + " answered with a " + member + " that is not a string", null);
    }
}
