package dev.sluice.testkit.clouds;

import java.net.URI;
import java.util.Objects;

/**
 * What a test needs to name of the fake Google Vertex AI that {@link dev.sluice.testkit.FakeLlmServer}
 * serves on its one base URL: the project, the test service account (its key pair and the JSON key
 * file a test writes), the test user credentials of gcloud, and the access token the fake issues.
 * Test values only: they open nothing but the fake.
 *
 * <p>The fake's routes (docs/testkit.md lists their answers):
 * <ul>
 *   <li>{@code POST /token}, Google's OAuth 2.0 token endpoint: the {@code jwt-bearer} grant of a
 *       service account (the RS256 assertion verified with the test key's public key, and its
 *       {@code iss}, {@code aud}, {@code scope}, {@code iat} and {@code exp} checked), and the
 *       {@code refresh_token} grant of {@link #USER_CLIENT_ID}; both answer {@link #ACCESS_TOKEN};</li>
 *   <li>{@code GET /computeMetadata/v1/instance/service-accounts/default/token} and
 *       {@code /computeMetadata/v1/project/project-id}, the metadata server (set {@code GCE_METADATA_HOST}
 *       to the server's {@code host:port}), with {@code Metadata-Flavor: Google} required;</li>
 *   <li>{@code POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent}
 *       (Gemini) and {@code .../publishers/anthropic/models/{model}:streamRawPredict}, {@code :rawPredict},
 *       {@code .../models/count-tokens:rawPredict} (Claude), which want {@code Authorization: Bearer}
 *       {@link #ACCESS_TOKEN} (else 401 {@code UNAUTHENTICATED}) and the project {@link #PROJECT}
 *       (else 403 {@code PERMISSION_DENIED}).</li>
 * </ul>
 *
 * <pre>{@code
 * Path key = Files.writeString(dir.resolve("key.json"), FakeVertex.serviceAccountJson(server.baseUrl()));
 * // GOOGLE_APPLICATION_CREDENTIALS=key, GOOGLE_VERTEX_BASE_URL=server.baseUrl(), GOOGLE_CLOUD_LOCATION=us-central1
 * }</pre>
 */
public final class FakeVertex {
    /** The project the fake serves (and the service account's {@code project_id}). */
    public static final String PROJECT = "sluice-fake-project";

    /** The access token the fake issues, and the only one its model routes accept. */
    public static final String ACCESS_TOKEN = "ya29.sluice-fake-vertex-access-token";

    /** How long an issued token lives, in seconds, as Google's {@code expires_in} says. */
    public static final int TOKEN_LIFETIME_SECONDS = 3599;

    /** The token endpoint's path on the fake's base URL (a key file's {@code token_uri}). */
    public static final String TOKEN_PATH = "/token";

    /** The audience a service account's assertion must name: Google's token endpoint, as google-auth-library sets it. */
    public static final String AUDIENCE = "https://oauth2.googleapis.com/token";

    /** The scope every token is asked for: Vertex AI needs it. */
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** The test service account's e-mail ({@code client_email}). */
    public static final String CLIENT_EMAIL = "sluice-test@" + PROJECT + ".iam.gserviceaccount.com";

    /** The test key's id ({@code private_key_id}). */
    public static final String PRIVATE_KEY_ID = "sluice-fake-key-1";

    /** The test service account's RSA private key, PKCS#8 PEM, as a key file holds it. */
    public static final String PRIVATE_KEY_PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQChwRDt1ML1Vk+v
            HleBcE4piZ1fxvcti+B2ryxnUkY9gB6QLQyOfFGqasQEFVhcNr+lWR7idi8yFCbj
            QjarLqMDxfT+yEHQHNJJ6UiGYxxywD1RwY9T/iwd6ypYUhYbkk8YnhEaIlt2Z0TT
            SBELgpWQacx4pqKc0wyt7ME3Dkeh9AZZmVYKtwdrd+EZn3SLl1FPxuKVP7T4X0qE
            kRru8urHI2yw6y58Qnw2uPR4apw+orjsj/Z7RdmVCGUFLG7lt+kAjN3Cl2SaVzQg
            OJp10T3J8dxhI4jSFoieYEICHAlknvX60KM0/uKOxIWeBwCZnNWGjMTDse1OakBT
            yoj0HVdDAgMBAAECggEATpn5ZoDhngNrpE6rug//Q2sGaODQAzd6A2JbQvf1fvQv
            peLmO6UIsDXCe7N9pQ3LsgctHWHNzFmDjiKCW0vF1lMPGvHoHT+sJlNwtTEbRV3K
            TlyvD+Muv/kjMhjtekduHSnOaLMyW8aR6NOXyM6TbEIlJKng0jEyc5/dQiozv+wF
            Yg/ghzXSaeRPv8Tlwf5NkkS1cLEP2y2vo0BDXEBPqVecy542X0LgWCC/AuUZy6aR
            GQmTt+i95YMYv2DROYX9ezdW2CzdY6lkhI+okTNU0WtNrxPngeXQXxSSFUfLZ4BZ
            vj+LpR6d0rm0jcrhfFy76b/OWuHvQh4jSGtpvEZkFQKBgQDVAS0bZvQ8V+HIPZSH
            pxopEd1JGW3N3w5DjMYdcO1ARa9sJNDKw4mROIQSLPfKL3QXcEQIdASm09VX8Ns+
            IwyQtN6T9tP52poljO0u/xGJLJ0Q/6K0f/u80shb6J5lPBNM1PUGqeufhYmLRFu6
            kNFjeNkp2qsjWS7OQ7E5AylzHwKBgQDCZ5HAmPp3o3iAhCC2sot6NNnNVlL1GJrR
            k4pzpJXzaw882MAtR9fG8ax5/T+eDkuE9sEupHP7wcAHfiX2WHIw0hQ1bA7/wGMq
            D0B2UjG+kX1MyFTwKvp5kdhFMmpStpzs88ynEH027V9dwlbza4z4vV7YgAxzcEFS
            kkUMgA3bXQKBgGPTK0qeU3Q8U4o+oe95Nt9sieKKUlWbZdnujaKam/X1MqNiFaAR
            R9WRQQQrou1Uk/mwGZJEnTF6MZAHRxi14FupCG8bzHhaJMfYZggSbit1hx7CT4R8
            PoRd3JyGRkV3hCwL2dGHrO+T68QjA0JKQHd32X6uBmqIj1EHlHT9sF1NAoGAH4Il
            z297+PQXzcyceMALdy0lt/Ar1em8/gbJw+CDJUbO22/OBgjE4ku9RrBTJUzv1Ich
            3GtvGPjYJN6/TGQdbeg+ukHfVHhcGi8KpaLAyUBPbKhzi9GLczS+NsjrDqjmWklR
            fCpiAQsMD+g1q5Jc8NvQiYqHehZRoA5w/ouqs0kCgYEAoOQGGBSjUAL//ASmjQ2R
            31sD8lHcJqwNaqOtxtj0o57Tm9a/FMOPlWS98AUPlhCWGDGA9tN63bxXR7ZMSsPH
            8KmKC7L+WxxDoKVMBi89Ailf0OIUr2zC3MIM39h/q8VKQGYfkOMPjtJUBppMjllS
            wSEgXbC7l6OHAEDR0wf6RbE=
            -----END PRIVATE KEY-----
            """;

    /** The OAuth client id of the test user credentials ({@code authorized_user}). */
    public static final String USER_CLIENT_ID = "sluice-fake-client.apps.googleusercontent.com";

    /** The OAuth client secret of the test user credentials. */
    public static final String USER_CLIENT_SECRET = "sluice-fake-client-secret";

    /** The refresh token of the test user credentials. */
    public static final String USER_REFRESH_TOKEN = "1//sluice-fake-refresh-token";

    private FakeVertex() {}

    /**
     * {@return the JSON key file of the test service account, its {@code token_uri} the fake's token endpoint}
     *
     * @param baseUrl the fake server's base URL
     */
    public static String serviceAccountJson(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        return "{\"type\":\"service_account\",\"project_id\":\"" + PROJECT + "\",\"private_key_id\":\"" + PRIVATE_KEY_ID
                + "\",\"private_key\":\"" + PRIVATE_KEY_PEM.replace("\n", "\\n") + "\",\"client_email\":\""
                + CLIENT_EMAIL
                + "\",\"client_id\":\"100000000000000000001\",\"auth_uri\":\"https://accounts.google.com/o/oauth2/auth\","
                + "\"token_uri\":\"" + tokenUri(baseUrl) + "\"}";
    }

    /**
     * {@return gcloud's application default credentials file of the test user ({@code authorized_user}),
     * its {@code token_uri} the fake's token endpoint and its {@code quota_project_id} {@link #PROJECT}}
     *
     * @param baseUrl the fake server's base URL
     */
    public static String authorizedUserJson(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        return "{\"type\":\"authorized_user\",\"client_id\":\"" + USER_CLIENT_ID + "\",\"client_secret\":\""
                + USER_CLIENT_SECRET + "\",\"refresh_token\":\"" + USER_REFRESH_TOKEN + "\",\"quota_project_id\":\""
                + PROJECT
                + "\",\"token_uri\":\"" + tokenUri(baseUrl) + "\"}";
    }

    /** {@return the fake's token endpoint: the base URL with {@link #TOKEN_PATH}} */
    public static URI tokenUri(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + TOKEN_PATH);
    }
}
