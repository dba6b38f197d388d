package dev.sluice.testkit.internal.wire.azure;

import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.http.PlainEndpoint;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake's Microsoft Entra ID, as azure-identity's credentials reach it: the client credentials
 * grant at {@code POST /{tenant}/oauth2/v2.0/token} (a client secret, or a workload identity's
 * {@code client_assertion}), and App Service's managed identity endpoint, {@code GET}
 * {@link FakeAzure#IDENTITY_PATH}{@code ?api-version=2019-08-01&resource=...} with
 * {@code X-IDENTITY-HEADER}. Tokens are {@link FakeAzure#TOKEN_PREFIX} and a number; the Azure routes
 * accept exactly the tokens issued here ({@link #issued}). Refusals have Entra ID's shape
 * ({@code {"error":"invalid_client","error_description":"AADSTS7000215: ..."}}), each answer an
 * {@code x-ms-request-id}.
 *
 * <p>Thread-safe: the issued tokens are a concurrent set, the count an atomic.
 */
public final class AzureEntra implements PlainEndpoint {
    private static final String TOKEN_SUFFIX = "/oauth2/v2.0/token";
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    /** {@return whether the token was issued here} */
    boolean issued(String token) {
        return token != null && issued.contains(token);
    }

    @Override
    public boolean serves(String method, String path) {
        return path.equals(FakeAzure.IDENTITY_PATH)
                || (path.endsWith(TOKEN_SUFFIX) && path.indexOf('/', 1) == path.length() - TOKEN_SUFFIX.length());
    }

    @Override
    public void answer(Exchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        String path = exchange.getRequestURI().getPath();
        if (path.equals(FakeAzure.IDENTITY_PATH)) {
            managedIdentity(exchange);
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            refuse(exchange, 405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.");
            return;
        }
        String tenant = path.substring(1, path.length() - TOKEN_SUFFIX.length());
        Map<String, String> form = form(new String(exchange.requestBytes(), StandardCharsets.UTF_8));
        if (!tenant.equals(FakeAzure.TENANT_ID)) {
            refuse(
                    exchange,
                    400,
                    "invalid_request",
                    "AADSTS90002: Tenant '" + tenant + "' not found. Check to make sure you"
                            + " have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            refuse(
                    exchange,
                    400,
                    "unsupported_grant_type",
                    "AADSTS70003: The app requested an unsupported grant type '" + form.get("grant_type") + "'.");
            return;
        }
        if (!FakeAzure.CLIENT_ID.equals(form.get("client_id"))) {
            refuse(
                    exchange,
                    400,
                    "unauthorized_client",
                    "AADSTS700016: Application with identifier '" + form.get("client_id")
                            + "' was not found in the directory '" + tenant + "'.");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            refuse(
                    exchange,
                    400,
                    "invalid_scope",
                    "AADSTS1002012: The provided value for scope " + scope + " is not valid."
                            + " Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
            return;
        }
        String assertion = form.get("client_assertion");
        boolean secret = FakeAzure.CLIENT_SECRET.equals(form.get("client_secret"));
        boolean federated = assertion != null
                && !assertion.isBlank()
                && "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"));
        if (!secret && !federated) {
            refuse(
                    exchange,
                    401,
                    "invalid_client",
                    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent"
                            + " in the request is the client secret value, not the client secret ID, for a secret added to app '"
                            + FakeAzure.CLIENT_ID + "'.");
            return;
        }
        ObjectNode answer = Json.object();
        answer.put("token_type", "Bearer");
        answer.put("expires_in", FakeAzure.TOKEN_LIFETIME_SECONDS);
        answer.put("ext_expires_in", FakeAzure.TOKEN_LIFETIME_SECONDS);
        answer.put("access_token", issue());
        send(exchange, 200, Json.write(answer));
    }

    private void managedIdentity(Exchange exchange) throws IOException {
        if (!FakeAzure.IDENTITY_HEADER.equals(exchange.getRequestHeaders().getFirst("x-identity-header"))) {
            ObjectNode body = Json.object();
            body.put("statusCode", 400);
            body.put(
                    "message",
                    "Unable to load the proper Managed Identity: the X-IDENTITY-HEADER is missing or wrong.");
            send(exchange, 400, Json.write(body));
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = form(query == null ? "" : query);
        String resource = params.getOrDefault("resource", "");
        if (resource.isEmpty() || !"2019-08-01".equals(params.get("api-version"))) {
            refuse(exchange, 400, "invalid_request", "resource and api-version=2019-08-01 are required");
            return;
        }
        ObjectNode answer = Json.object();
        answer.put("access_token", issue());
        answer.put("expires_on", Long.toString(Instant.now().getEpochSecond() + FakeAzure.TOKEN_LIFETIME_SECONDS));
        answer.put("resource", resource);
        answer.put("token_type", "Bearer");
        answer.put("client_id", params.getOrDefault("client_id", FakeAzure.CLIENT_ID));
        send(exchange, 200, Json.write(answer));
    }

    private String issue() {
        String token = FakeAzure.TOKEN_PREFIX + count.incrementAndGet();
        issued.add(token);
        return token;
    }

    private static void refuse(Exchange exchange, int status, String error, String description) throws IOException {
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description + "\r\nTrace ID: " + UUID.randomUUID());
        body.put("timestamp", Instant.now().toString());
        send(exchange, status, Json.write(body));
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            form.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void send(Exchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-store, no-cache");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
