package dev.sluice.testkit.bedrock;

/**
 * The credentials the {@link dev.sluice.testkit.FakeLlmServer}'s Amazon Bedrock Runtime routes
 * accept ({@code POST /model/{modelId}/converse-stream} and
 * {@code POST /model/{modelId}/invoke-with-response-stream}, on the server's one base URL). A
 * request is either signed with AWS Signature Version 4 with {@link #ACCESS_KEY_ID} and
 * {@link #SECRET_ACCESS_KEY} (any region, service {@code bedrock}), which the server checks as AWS
 * does, or carries {@code Authorization: Bearer} {@link #API_KEY}, a Bedrock API key. Anything else
 * is refused with HTTP 403 as AWS refuses it (docs/testkit.md lists the answers). Test values only:
 * they open nothing but the fake.
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

    /** The service name requests are signed for. */
    public static final String SIGNING_NAME = "bedrock";

    private FakeBedrock() {}
}
