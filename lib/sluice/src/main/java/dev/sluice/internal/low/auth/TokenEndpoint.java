package dev.sluice.internal.low.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.ExchangeDeadline;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.JsonResponse;
import dev.sluice.internal.low.http.RetryableFailure;
import dev.sluice.internal.low.http.ServerText;
import dev.sluice.internal.low.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One token request and its answer, for every source of this package: a form POST (an OAuth 2.0
 * token endpoint) or a GET (a metadata server, a managed identity endpoint) through
 * {@link HttpTransport} (blocking HTTP/1.1 on the caller's thread; the JDK's client where a proxy is
 * configured or a caller gives one), the answer read into an {@link AccessToken}, the whole exchange
 * within one deadline. Redirects are never followed (the form carries the secret). Failures: an error status is an {@link ApiException} whose type is
 * the OAuth {@code error} code and whose message is its {@code error_description}, then what the
 * request was for and what to check; no answer is a {@link TransportException}; an answer without
 * a token a {@link ProtocolException} that never shows the body (it may hold a token). Text the
 * endpoint sent is cleaned of the request's secrets first. Thread-safe; its owner {@linkplain #close()
 * closes} it (the transport's kept-alive connections).
 */
final class TokenEndpoint implements AutoCloseable {
    /** The longest wait for a token endpoint's whole answer, its body included. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The largest number of seconds read as an expiry: about 31,700 years, within {@link Instant}'s range. */
    private static final long MAX_SECONDS = 999_999_999_999L;
    /** The largest token answer read. */
    static final long MAX_ANSWER_BYTES = 1024 * 1024;

    private final HttpTransport transport;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param http how requests travel, set on the endpoint's own transport builder: nothing for the
     *     transport's choice (blocking HTTP/1.1, unless a proxy is configured), a caller's client
     *     ({@link HttpTransport.Builder#client}, which must not follow redirects), a TLS context or a
     *     connect timeout; the endpoint adds its error parser, answer bound, clock and request id header
     * @param requestIdHeader the answer's header naming the request for the issuer's support
     *     ({@code x-ms-request-id} for Entra ID), or null
     * @throws IllegalArgumentException if a caller's client follows redirects
     */
    TokenEndpoint(
            Consumer<HttpTransport.Builder> http, Clock clock, Duration timeout, @Nullable String requestIdHeader) {
        HttpTransport.Builder b = HttpTransport.builder();
        http.accept(b);
        this.transport = b.errorParser(OAuthErrorBody.PARSER)
                .clock(clock)
                .maxResponseBytes(MAX_ANSWER_BYTES)
                .requestIdHeader(requestIdHeader)
                .build();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * As {@link #TokenEndpoint(Consumer, Clock, Duration, String)}, through a caller's client.
     *
     * @param client the client requests go through; it must not follow redirects; never closed here
     */
    TokenEndpoint(HttpClient client, Clock clock, Duration timeout, @Nullable String requestIdHeader) {
        this(viaClient(client), clock, timeout, requestIdHeader);
    }

    /** {@return how requests travel through a caller's client} */
    static Consumer<HttpTransport.Builder> viaClient(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return b -> b.client(client);
    }

    /** {@return the transport requests go through (for the metadata server's other reads, and tests)} */
    HttpTransport transport() {
        return transport;
    }

    /** Closes the transport: its idle connections, or the client it made; a caller's client stays open. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    /** {@return the client's clock} */
    Clock clock() {
        return clock;
    }

    /** What a request is for, for messages: never a secret. */
    record Purpose(String what, String check) {}

    /**
     * {@return the token an OAuth 2.0 token endpoint gives for this form}
     *
     * @param secrets the values the form or headers carry that must never be shown (cleaned from the endpoint's text)
     */
    AccessToken post(
            URI uri, Map<String, String> form, Map<String, String> headers, List<String> secrets, Purpose purpose) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        // the secrets go with the request, so that the transport's own exception is made without them (a JFR
        // exception event records the message of every throwable made)
        HttpPost post = new HttpPost(uri, all, encode(form), timeout, timeout, "POST", secrets);
        return read(exchange(post, secrets, purpose), purpose);
    }

    /** {@return the token a metadata or managed identity endpoint gives for this GET} */
    AccessToken get(URI uri, Map<String, String> headers, List<String> secrets, Purpose purpose) {
        HttpPost get = HttpPost.get(uri, headers).withTimeout(timeout).withSecrets(secrets);
        return read(exchange(get, secrets, purpose), purpose);
    }

    /**
     * The exchange, within one deadline ({@code timeout}) that covers the answer's body as well as the
     * wait for it ({@link ExchangeDeadline}): an endpoint that trickles its answer is given up on then.
     */
    private JsonResponse exchange(HttpPost post, List<String> secrets, Purpose purpose) {
        String where = describe(post.uri());
        try (ExchangeDeadline deadline = ExchangeDeadline.start(timeout)) {
            return transport.send(post, deadline.cancellation());
        } catch (CancellationException | StreamTimeoutException e) { // only the deadline cancels it
            throw new TransportException(
                    where + " did not answer in full within " + ExchangeDeadline.inWords(timeout)
                            + " (the deadline covers the whole answer, its body included), " + purpose.what() + ": "
                            + purpose.check(),
                    e);
        } catch (RetryableFailure f) {
            throw restate(f.failure(), where, secrets, purpose);
        } catch (SluiceException e) {
            throw restate(e, where, secrets, purpose);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        }
    }

    /** The transport's failure, said of the token request, cleaned of the request's secrets. */
    private static SluiceException restate(SluiceException e, String where, List<String> secrets, Purpose purpose) {
        String context = " — from " + where + ", " + purpose.what() + ": " + purpose.check();
        if (e instanceof ApiException api) {
            Map<String, String> redact = redactions(secrets);
            String type = ServerText.clean(api.errorType(), redact);
            String message = ServerText.clean(api.errorMessage(), redact);
            return new ApiException(api.statusCode(), type, message + context, false, api.retryAfterMillis(), null)
                    .initContext(api.requestId().orElse(null), null);
        }
        if (e instanceof TransportException t) {
            return new TransportException(ServerText.clean(messageOf(t), redactions(secrets)) + context, t.getCause());
        }
        if (e instanceof ProtocolException p) {
            return new ProtocolException(ServerText.clean(messageOf(p), redactions(secrets)) + context, p.getCause());
        }
        return e; // a limit: names the limit, holds no text of the endpoint's
    }

    private static String messageOf(SluiceException e) {
        return Objects.requireNonNull(e.getMessage(), "every SluiceException has a message");
    }

    /** The secrets as {@link ServerText#clean} takes them: as the values of credential headers. */
    private static Map<String, String> redactions(List<String> secrets) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < secrets.size(); i++) map.put("secret-" + i, secrets.get(i));
        return map;
    }

    private AccessToken read(JsonResponse response, Purpose purpose) {
        Instant asked = clock.instant();
        // never Jackson's reading: its exception would quote the token of a malformed answer
        Object json = Json.readSecretBearing(response.body())
                .orElseThrow(() -> noToken(response, "an answer that is not JSON", purpose));
        if (!(json instanceof Map<?, ?> fields))
            throw noToken(response, "an answer that is not a JSON object", purpose);
        if (!(fields.get("access_token") instanceof String token) || token.isBlank()) {
            throw noToken(response, "no access_token", purpose);
        }
        Instant expiresAt;
        Optional<Long> expiresIn = seconds(fields.get("expires_in"));
        Optional<Long> expiresOn = seconds(fields.get("expires_on"));
        if (expiresIn.isPresent()) {
            expiresAt = asked.plusSeconds(expiresIn.get());
        } else if (expiresOn.isPresent()) {
            expiresAt = Instant.ofEpochSecond(expiresOn.get());
        } else {
            throw noToken(response, "no expires_in or expires_on (in seconds)", purpose);
        }
        try {
            return new AccessToken(token, expiresAt);
        } catch (IllegalArgumentException e) {
            throw noToken(response, "an access_token that cannot be sent in a header", purpose);
        }
    }

    /** {@return a whole number of seconds, as a JSON number or a string of digits; empty otherwise} */
    private static Optional<Long> seconds(@Nullable Object value) {
        try {
            return switch (value) {
                case Long l when l >= 0 && l <= MAX_SECONDS -> Optional.of(l);
                case BigDecimal d
                when d.signum() >= 0 && d.compareTo(BigDecimal.valueOf(MAX_SECONDS)) <= 0 ->
                    Optional.of(d.longValueExact());
                case String s when s.strip().matches("[0-9]{1,12}") -> Optional.of(Long.parseLong(s.strip()));
                case null, default -> Optional.empty();
            };
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static ProtocolException noToken(JsonResponse response, String what, Purpose purpose) {
        // never the body: it may hold the token
        return (ProtocolException) new ProtocolException(
                        "HTTP " + response.statusCode() + " came with " + what + ", " + purpose.what() + ": "
                                + purpose.check(),
                        null)
                .initContext(response.requestId(), null);
    }

    /** {@return the form, URL-encoded} */
    static String encode(Map<String, String> form) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (!b.isEmpty()) b.append('&');
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** {@return the endpoint for messages: scheme, host, port and path, without the query} */
    static String describe(URI uri) {
        int port = uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + (port < 0 ? "" : ":" + port)
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /**
     * OAuth 2.0 error bodies (RFC 6749 5.2): {@code {"error": "invalid_grant", "error_description": "..."}},
     * as Google's and Entra ID's token endpoints send them (Entra ID's description begins with its
     * {@code AADSTS} code); else the common shapes, as {@link ErrorBodyParser#standard()} reads them
     * (a managed identity endpoint's {@code {"error": {"code": .., "message": ..}}}).
     */
    static final class OAuthErrorBody implements ErrorBodyParser {
        static final ErrorBodyParser PARSER = new OAuthErrorBody();

        @Override
        public Optional<ErrorBody> parse(int status, String body) {
            String error = null;
            String description = null;
            try (JsonParser p = Json.parser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.VALUE_STRING && name.equals("error")) error = p.getText();
                    else if (v == JsonToken.VALUE_STRING && name.equals("error_description")) description = p.getText();
                    else p.skipChildren();
                }
                if (t != JsonToken.END_OBJECT) return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
            if (error == null || error.isBlank())
                return ErrorBodyParser.standard().parse(status, body);
            return Optional.of(new ErrorBody(error, description == null ? "" : description));
        }
    }

    @Override
    public String toString() {
        return "TokenEndpoint[timeout " + timeout + ", " + transport + "]";
    }
}
