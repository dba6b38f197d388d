package dev.sluice.providers;

import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.vertex.VertexAccess;
import java.util.List;
import java.util.Map;
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

    private static final String AWS_WHAT_TO_SET = "AWS_REGION, " + AwsAccess.BEARER_TOKEN_ENV + " or AWS credentials";

    static final Variables BEDROCK_RUNTIME = new Variables(
            AwsAccess.BEARER_TOKEN_ENV,
            List.of(AwsAccess.RUNTIME_ENDPOINT_ENV, "AWS_ENDPOINT_URL"),
            AWS,
            AWS_WHAT_TO_SET,
            "");
    /** Bedrock's mantle host's: its own endpoint variable, else {@code AWS_ENDPOINT_URL}, as AWS's SDKs read them. */
    static final Variables BEDROCK_MANTLE = new Variables(
            AwsAccess.BEARER_TOKEN_ENV,
            List.of(AwsAccess.MANTLE_ENDPOINT_ENV, "AWS_ENDPOINT_URL"),
            AWS,
            AWS_WHAT_TO_SET,
            "");
    /** The mantle host's, and the variable that puts the Responses API on the runtime host instead. */
    static final Variables BEDROCK_MANTLE_RESPONSES = new Variables(
            AwsAccess.BEARER_TOKEN_ENV,
            BEDROCK_MANTLE.baseUrls,
            Stream.concat(AWS.stream(), Stream.of(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV))
                    .toList(),
            AWS_WHAT_TO_SET,
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

    /**
     * {@return the base-URL variables in effect in {@code env}: {@link #baseUrls}, or the runtime
     * host's where {@value ProviderCatalog#BEDROCK_RESPONSES_ENDPOINT_ENV} is one of these
     * variables and says {@code runtime}}
     *
     * @throws IllegalArgumentException if that variable holds neither {@code runtime} nor {@code mantle}
     */
    List<String> baseUrls(Map<String, String> env) {
        String host = cloud.contains(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV)
                ? Connections.nonBlank(env.get(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV))
                : null;
        if (host == null || host.strip().equalsIgnoreCase("mantle")) return baseUrls;
        if (host.strip().equalsIgnoreCase("runtime")) return BEDROCK_RUNTIME.baseUrls;
        throw new IllegalArgumentException(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT_ENV
                + " is 'mantle' (the default) or 'runtime', not '" + host.strip() + "'");
    }

    /** {@return a key-based provider's: a key variable and a base-URL variable} */
    static Variables keyed(String key, String baseUrl) {
        return new Variables(key, List.of(baseUrl), List.of(), key, "");
    }
}
