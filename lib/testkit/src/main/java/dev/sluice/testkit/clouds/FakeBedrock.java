package dev.sluice.testkit.clouds;

/**
 * The credentials the {@link dev.sluice.testkit.FakeLlmServer}'s Amazon Bedrock routes accept: the
 * runtime host's ({@code POST /model/{modelId}/converse-stream},
 * {@code POST /model/{modelId}/invoke-with-response-stream}, and OpenAI's
 * {@code /openai/v1/chat/completions} and {@code /openai/v1/responses}, on the server's one base URL;
 * service {@value #SIGNING_NAME}) and the mantle host's (under {@link #MANTLE_PATH}: OpenAI's
 * {@code /v1/...} and {@code /openai/v1/...}, Anthropic's {@code /anthropic/v1/messages}; service
 * {@value #MANTLE_SIGNING_NAME}). A request is either signed with AWS Signature Version 4 with
 * {@link #ACCESS_KEY_ID} and {@link #SECRET_ACCESS_KEY} (any region, the host's service), which the
 * server checks as AWS does, or carries {@code Authorization: Bearer} {@link #API_KEY}, a Bedrock API
 * key. Anything else is refused with HTTP 403 as AWS refuses it (a signature for the other host's
 * service too; docs/testkit.md lists the answers). Test values only: they open nothing but the fake.
 *
 * <p>The same server also answers where AWS's credential chain fetches temporary credentials, each
 * handing out the test key with a session token: STS {@code AssumeRoleWithWebIdentity} at
 * {@code {baseUrl}/sts} (for {@link #WEB_IDENTITY_TOKEN}), the container credentials endpoint at
 * {@code {baseUrl}/container-credentials} (with {@link #CONTAINER_AUTHORIZATION_TOKEN}), and the
 * instance metadata service, IMDSv2, at {@code {baseUrl}} itself ({@link #INSTANCE_ROLE}). So a test
 * sets {@code AWS_ENDPOINT_URL_STS}, {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} or
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} to them, and never reaches AWS.
 *
 * <pre>{@code
 * BedrockRuntimeAsyncClient bedrock = BedrockRuntimeAsyncClient.builder()
 *         .endpointOverride(server.baseUrl())
 *         .region(Region.US_EAST_1)
 *         .credentialsProvider(StaticCredentialsProvider.create(
 *                 AwsBasicCredentials.create(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)))
 *         .build();
 * }</pre>
 */
public final class FakeBedrock {
    /** The access key id of the test key. */
    public static final String ACCESS_KEY_ID = "AKIDSLUICETESTKEY";

    /** The secret access key of the test key. */
    public static final String SECRET_ACCESS_KEY = "sluice/test/secret/not/a/real/aws/key/0000";

    /** The Bedrock API key (bearer token, as in {@code AWS_BEARER_TOKEN_BEDROCK}) the fake accepts. */
    public static final String API_KEY = "ABSKsluice-fake-bedrock-api-key";

    /** The service name requests to the runtime routes are signed for. */
    public static final String SIGNING_NAME = "bedrock";

    /** The service name requests to the mantle routes (under {@link #MANTLE_PATH}) are signed for. */
    public static final String MANTLE_SIGNING_NAME = "bedrock-mantle";

    /**
     * The path of the fake's Bedrock Mantle host under the server's base URL: one server stands for
     * both hosts, so a client's mantle endpoint ({@code AWS_ENDPOINT_URL_BEDROCK_MANTLE}) is
     * {@code {baseUrl}/mantle}, where the fake serves {@code /v1/chat/completions},
     * {@code /v1/responses} (and both under {@code /openai/v1}) and {@code /anthropic/v1/messages},
     * signed for {@link #MANTLE_SIGNING_NAME}.
     */
    public static final String MANTLE_PATH = "/mantle";

    /**
     * The start of the session tokens the fake's credential endpoints hand out with the test key
     * (the fake Bedrock accepts any session token with it).
     */
    public static final String SESSION_TOKEN = "sluice-fake-session-token";

    /**
     * The web identity token (the contents of {@code AWS_WEB_IDENTITY_TOKEN_FILE}) the fake STS's
     * {@code AssumeRoleWithWebIdentity} at {@code {baseUrl}/sts} ({@code AWS_ENDPOINT_URL_STS})
     * accepts; any other is refused with 400 {@code InvalidIdentityToken}.
     */
    public static final String WEB_IDENTITY_TOKEN = "sluice-fake-web-identity-token";

    /** A role ARN the fake STS accepts ({@code AWS_ROLE_ARN}); any IAM role's ARN is accepted. */
    public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/sluice-fake-role";

    /**
     * The {@code Authorization} the fake container credentials endpoint,
     * {@code {baseUrl}/container-credentials} ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}), requires
     * ({@code AWS_CONTAINER_AUTHORIZATION_TOKEN}); without it, 401.
     */
    public static final String CONTAINER_AUTHORIZATION_TOKEN = "sluice-fake-container-authorization-token";

    /** The path of the fake container credentials endpoint, under the server's base URL. */
    public static final String CONTAINER_CREDENTIALS_PATH = "/container-credentials";

    /** The path of the fake STS, under the server's base URL ({@code AWS_ENDPOINT_URL_STS}). */
    public static final String STS_PATH = "/sts";

    /**
     * The instance role the fake instance metadata service (IMDSv2, at the server's base URL:
     * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}) names, whose credentials it gives.
     */
    public static final String INSTANCE_ROLE = "sluice-fake-instance-role";

    private FakeBedrock() {}
}
