package dev.sluice.testkit.clouds;

/**
 * The credentials the {@link dev.sluice.testkit.FakeLlmServer}'s Microsoft Azure routes accept, on the
 * server's one base URL: Azure OpenAI's v1 API ({@code POST /openai/v1/chat/completions} and
 * {@code /openai/v1/responses}) and Claude on Foundry ({@code POST /anthropic/v1/messages}). A request
 * carries either the resource's key, {@link #API_KEY} ({@code api-key} to Azure OpenAI,
 * {@code x-api-key} to Foundry), or {@code Authorization: Bearer} a token the server's own Entra ID
 * issued; anything else is refused with HTTP 401 as Azure's gateway refuses it
 * ({@code {"error":{"code":"401","message":...}}}).
 *
 * <p>Its Entra ID: {@code POST /{tenant}/oauth2/v2.0/token} with the client credentials grant for
 * {@link #TENANT_ID} and {@link #CLIENT_ID}, with {@link #CLIENT_SECRET} or a workload identity's
 * {@code client_assertion} (any non-empty one), issues tokens of {@link #TOKEN_LIFETIME_SECONDS}; point
 * {@code AZURE_AUTHORITY_HOST} at the base URL. Its managed identity: {@code GET} {@link #IDENTITY_PATH}
 * with {@code X-IDENTITY-HEADER: }{@link #IDENTITY_HEADER}; point {@code IDENTITY_ENDPOINT} at the base
 * URL followed by that path. Test values only: they open nothing but the fake.
 *
 * <pre>{@code
 * Map<String, String> env = Map.of(
 *         "AZURE_OPENAI_ENDPOINT", server.baseUrl().toString(),
 *         "AZURE_TENANT_ID", FakeAzure.TENANT_ID, "AZURE_CLIENT_ID", FakeAzure.CLIENT_ID,
 *         "AZURE_CLIENT_SECRET", FakeAzure.CLIENT_SECRET, "AZURE_AUTHORITY_HOST", server.baseUrl().toString());
 * }</pre>
 */
public final class FakeAzure {
    /** The resource's API key (Azure OpenAI's {@code AZURE_OPENAI_API_KEY}, Foundry's {@code ANTHROPIC_FOUNDRY_API_KEY}). */
    public static final String API_KEY = "sluicefakeazureapikey0000000000000";

    /** The Entra ID tenant ({@code AZURE_TENANT_ID}). */
    public static final String TENANT_ID = "5a1c0000-fa4e-4a2e-8000-00000000a2e1";

    /** The application's client id ({@code AZURE_CLIENT_ID}). */
    public static final String CLIENT_ID = "5a1c0000-c11e-4a2e-8000-000000000001";

    /** The application's client secret ({@code AZURE_CLIENT_SECRET}). */
    public static final String CLIENT_SECRET = "sluice~fake~azure~client~secret~0000";

    /** The managed identity's header ({@code IDENTITY_HEADER}). */
    public static final String IDENTITY_HEADER = "sluice-fake-identity-header";

    /** The managed identity endpoint's path on the server ({@code IDENTITY_ENDPOINT} is the base URL followed by it). */
    public static final String IDENTITY_PATH = "/msi/token";

    /** How every token the fake issues begins; the rest is a number, one more for each token. */
    public static final String TOKEN_PREFIX = "eyJhbGciOiJub25lIn0.sluice-fake-entra-token.";

    /** How long the fake's tokens are valid: {@code expires_in} of the token endpoint. */
    public static final long TOKEN_LIFETIME_SECONDS = 3599;

    private FakeAzure() {}
}
