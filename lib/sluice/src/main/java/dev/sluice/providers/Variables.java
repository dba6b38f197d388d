package dev.sluice.providers;

import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.vertex.VertexAccess;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The environment variables of a {@link ProviderCatalog} constant, and those its clouds share.
 *
 * @param key the API key's, or null for a cloud without API keys
 * @param baseUrls the base URL's, the first set wins
 * @param cloud the cloud's others
 * @param whatToSet what to set, as a person reads it
 * @param basePath the path the base URL ends with, or empty
 */
record Variables(@Nullable String key, List<String> baseUrls, List<String> cloud, String whatToSet, String basePath) {
    /** AWS's variables besides the key and the endpoints, as AWS's SDKs read them. */
    static final List<String> AWS = List.of(
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    /** Microsoft Entra ID's, as azure-identity's DefaultAzureCredential reads them. */
    static final List<String> ENTRA = List.of(
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_FEDERATED_TOKEN_FILE",
            "IDENTITY_ENDPOINT");

    static final Variables BEDROCK_RUNTIME = new Variables(
            AwsAccess.BEARER_TOKEN_ENV,
            List.of(BedrockClient.ENDPOINT_ENV, "AWS_ENDPOINT_URL"),
            AWS,
            "AWS_REGION, " + AwsAccess.BEARER_TOKEN_ENV + " or AWS credentials",
            "");
    static final Variables VERTEX = new Variables(
            null,
            List.of(VertexAccess.BASE_URL_ENV),
            List.of(VertexAccess.PROJECT_ENV, VertexAccess.LOCATION_ENV, "GOOGLE_APPLICATION_CREDENTIALS"),
            VertexAccess.PROJECT_ENV + " or GOOGLE_APPLICATION_CREDENTIALS",
            "");
    static final Variables AZURE_OPENAI = new Variables(
            AzureAccess.OPENAI_API_KEY_ENV,
            List.of(AzureAccess.OPENAI_ENDPOINT_ENV),
            ENTRA,
            AzureAccess.OPENAI_ENDPOINT_ENV,
            "");
    static final Variables FOUNDRY = new Variables(
            AzureAccess.FOUNDRY_API_KEY_ENV,
            List.of(AzureAccess.FOUNDRY_BASE_URL_ENV),
            Stream.concat(Stream.of(AzureAccess.FOUNDRY_RESOURCE_ENV), ENTRA.stream())
                    .toList(),
            AzureAccess.FOUNDRY_RESOURCE_ENV + " or " + AzureAccess.FOUNDRY_BASE_URL_ENV,
            "/anthropic");

    Variables {
        baseUrls = List.copyOf(baseUrls);
        cloud = List.copyOf(cloud);
    }

    /** {@return a key-based provider's: a key variable and a base-URL variable} */
    static Variables keyed(String key, String baseUrl) {
        return new Variables(key, List.of(baseUrl), List.of(), key, "");
    }
}
