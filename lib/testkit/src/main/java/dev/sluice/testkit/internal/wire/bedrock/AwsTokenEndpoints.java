package dev.sluice.testkit.internal.wire.bedrock;

import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.internal.http.Exchange;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.wire.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints AWS's credential chain fetches temporary credentials from, on the fake's base URL,
 * each answering as AWS's does and handing out the {@linkplain FakeBedrock test key} (with a session
 * token and an expiration an hour away), so that the fake Bedrock accepts what they give:
 * <ul>
 *   <li>STS {@code AssumeRoleWithWebIdentity} ({@code POST /sts} or {@code POST /}, a form; XML):
 *       the token must be {@link FakeBedrock#WEB_IDENTITY_TOKEN} and the role an IAM role's ARN,
 *       else 400 {@code InvalidIdentityToken} / {@code ValidationError};
 *   <li>the container credentials endpoint ({@code GET /container-credentials...}; JSON): the
 *       {@code Authorization} header must be {@link FakeBedrock#CONTAINER_AUTHORIZATION_TOKEN}, else 401;
 *   <li>IMDSv2: {@code PUT /latest/api/token} (with {@code x-aws-ec2-metadata-token-ttl-seconds})
 *       gives a session token, which each {@code GET /latest/meta-data/iam/security-credentials/}
 *       (the role, {@link FakeBedrock#INSTANCE_ROLE}), {@code .../ROLE} (its credentials, also under
 *       {@code security-credentials-extended/}) and {@code /latest/dynamic/instance-identity/document}
 *       (region {@code us-east-1}) must carry, else 401.
 * </ul>
 * These requests are not recorded and take no enqueued response.
 *
 * <p>Threading: any request thread; the IMDS tokens handed out are a concurrent set.
 */
public final class AwsTokenEndpoints {
    static final String STS_PATH = "/sts";
    static final String CONTAINER_PATH = "/container-credentials";
    private static final String IMDS = "/latest/";
    private static final String CREDENTIALS = "/latest/meta-data/iam/security-credentials/";
    private static final String CREDENTIALS_EXTENDED = "/latest/meta-data/iam/security-credentials-extended/";
    private static final String IDENTITY = "/latest/dynamic/instance-identity/document";
    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final Set<String> imdsTokens = ConcurrentHashMap.newKeySet();

    /** {@return whether the request is for one of these endpoints} */
    public boolean serves(String method, String path, Headers headers) {
        if (path.startsWith(IMDS) || path.startsWith(CONTAINER_PATH)) return true;
        String type = headers.getFirst("content-type");
        return method.equals("POST")
                && (path.equals("/") || path.equals(STS_PATH) || path.equals(STS_PATH + "/"))
                && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Answers the request; the connection may carry another. */
    public void answer(Exchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Headers headers = exchange.getRequestHeaders();
        if (path.startsWith(CONTAINER_PATH)) {
            container(exchange, method, headers);
        } else if (path.startsWith(IMDS)) {
            imds(exchange, method, path, headers);
        } else {
            sts(exchange, new String(exchange.requestBytes(), StandardCharsets.UTF_8));
        }
        exchange.close();
    }

    private void sts(Exchange exchange, String form) throws IOException {
        Map<String, String> p = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) p.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        if (!"AssumeRoleWithWebIdentity".equals(p.get("Action"))) {
            stsError(
                    exchange,
                    400,
                    "InvalidAction",
                    "Could not find operation " + p.getOrDefault("Action", "") + " for version "
                            + p.getOrDefault("Version", ""));
            return;
        }
        String role = p.getOrDefault("RoleArn", "");
        String session = p.getOrDefault("RoleSessionName", "");
        if (!role.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+")) {
            stsError(exchange, 400, "ValidationError", "Request ARN is invalid");
            return;
        }
        if (session.isEmpty() || !session.matches("[\\w+=,.@-]{2,64}")) {
            stsError(
                    exchange,
                    400,
                    "ValidationError",
                    "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
            return;
        }
        if (!FakeBedrock.WEB_IDENTITY_TOKEN.equals(p.get("WebIdentityToken"))) {
            stsError(
                    exchange,
                    400,
                    "InvalidIdentityToken",
                    "The web identity token that was passed could not be validated by AWS."
                            + " Get a new identity token from the identity provider and then retry the request.");
            return;
        }
        String roleName = role.substring(role.lastIndexOf('/') + 1);
        String xml = "<AssumeRoleWithWebIdentityResponse xmlns=\"" + STS_NS + "\">\n"
                + "  <AssumeRoleWithWebIdentityResult>\n"
                + "    <Audience>sts.amazonaws.com</Audience>\n"
                + "    <AssumedRoleUser>\n"
                + "      <AssumedRoleId>AROAFAKEROLEID:" + session + "</AssumedRoleId>\n"
                + "      <Arn>arn:aws:sts::" + role.split(":")[4] + ":assumed-role/" + roleName + "/" + session
                + "</Arn>\n"
                + "    </AssumedRoleUser>\n"
                + "    <Provider>sluice-fake-oidc</Provider>\n"
                + "    <Credentials>\n"
                + "      <AccessKeyId>" + FakeBedrock.ACCESS_KEY_ID + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + FakeBedrock.SECRET_ACCESS_KEY + "</SecretAccessKey>\n"
                + "      <SessionToken>" + FakeBedrock.SESSION_TOKEN + "-sts</SessionToken>\n"
                + "      <Expiration>" + expiration() + "</Expiration>\n"
                + "    </Credentials>\n"
                + "    <SubjectFromWebIdentityToken>system:serviceaccount:default:sluice</SubjectFromWebIdentityToken>\n"
                + "  </AssumeRoleWithWebIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + Ids.request() + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</AssumeRoleWithWebIdentityResponse>\n";
        send(exchange, 200, "text/xml", xml);
    }

    private static void stsError(Exchange exchange, int status, String code, String message) throws IOException {
        send(
                exchange,
                status,
                "text/xml",
                "<ErrorResponse xmlns=\"" + STS_NS + "\">\n  <Error>\n    <Type>Sender</Type>\n"
                        + "    <Code>" + code + "</Code>\n    <Message>" + message + "</Message>\n  </Error>\n"
                        + "  <RequestId>" + Ids.request() + "</RequestId>\n</ErrorResponse>\n");
    }

    private static void container(Exchange exchange, String method, Headers headers) throws IOException {
        if (!method.equals("GET")) {
            send(exchange, 405, "text/plain", "Method not allowed");
            return;
        }
        if (!FakeBedrock.CONTAINER_AUTHORIZATION_TOKEN.equals(headers.getFirst("authorization"))) {
            send(
                    exchange,
                    401,
                    "application/json",
                    "{\"code\":\"AccessDeniedException\",\"message\":\"Unable to authorize request\"}");
            return;
        }
        send(
                exchange,
                200,
                "application/json",
                "{\"RoleArn\":\"" + FakeBedrock.ROLE_ARN + "\",\"AccessKeyId\":\""
                        + FakeBedrock.ACCESS_KEY_ID + "\",\"SecretAccessKey\":\"" + FakeBedrock.SECRET_ACCESS_KEY
                        + "\",\"Token\":\""
                        + FakeBedrock.SESSION_TOKEN + "-container\",\"Expiration\":\"" + expiration() + "\"}");
    }

    private void imds(Exchange exchange, String method, String path, Headers headers) throws IOException {
        if (path.equals("/latest/api/token")) {
            String ttl = headers.getFirst("x-aws-ec2-metadata-token-ttl-seconds");
            if (!method.equals("PUT")) {
                send(exchange, 405, "text/plain", "Method Not Allowed");
            } else if (ttl == null
                    || !ttl.matches("\\d{1,5}")
                    || Integer.parseInt(ttl) < 1
                    || Integer.parseInt(ttl) > 21600) {
                send(exchange, 400, "text/plain", "Bad Request");
            } else {
                String token = "sluice-fake-imds-" + Ids.request();
                imdsTokens.add(token);
                exchange.getResponseHeaders().set("x-aws-ec2-metadata-token-ttl-seconds", ttl);
                send(exchange, 200, "text/plain", token);
            }
            return;
        }
        String token = headers.getFirst("x-aws-ec2-metadata-token");
        if (token == null || !imdsTokens.contains(token)) {
            send(exchange, 401, "text/plain", "Unauthorized");
            return;
        }
        if (!method.equals("GET")) {
            send(exchange, 405, "text/plain", "Method Not Allowed");
            return;
        }
        String base = path.startsWith(CREDENTIALS)
                ? CREDENTIALS
                : path.startsWith(CREDENTIALS_EXTENDED) ? CREDENTIALS_EXTENDED : null;
        if (path.equals(IDENTITY)) {
            send(
                    exchange,
                    200,
                    "text/plain",
                    "{\"accountId\":\"123456789012\",\"architecture\":\"x86_64\","
                            + "\"availabilityZone\":\"us-east-1a\",\"instanceId\":\"i-0fake\",\"region\":\"us-east-1\"}");
        } else if (base != null && path.length() == base.length()) {
            send(exchange, 200, "text/plain", FakeBedrock.INSTANCE_ROLE);
        } else if (base != null && path.substring(base.length()).equals(FakeBedrock.INSTANCE_ROLE)) {
            send(
                    exchange,
                    200,
                    "text/plain",
                    "{\"Code\":\"Success\",\"LastUpdated\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                            + "\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + FakeBedrock.ACCESS_KEY_ID
                            + "\",\"SecretAccessKey\":\""
                            + FakeBedrock.SECRET_ACCESS_KEY + "\",\"Token\":\"" + FakeBedrock.SESSION_TOKEN
                            + "-imds\",\"Expiration\":\""
                            + expiration() + "\""
                            + (base.equals(CREDENTIALS_EXTENDED) ? ",\"AccountId\":\"123456789012\"" : "") + "}");
        } else {
            send(
                    exchange,
                    404,
                    "text/html",
                    "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><title>404 - Not Found</title>");
        }
    }

    private static String expiration() {
        return Instant.now()
                .plus(Duration.ofHours(1))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(Exchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
