package dev.sluice.cli;

import dev.sluice.CredentialsException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RetryPolicy;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the tool adds to {@link ProviderCatalog}'s providers (which {@code --provider},
 * {@code --fallback}, {@code agent}, {@code object} and {@code serve} take, with their variables,
 * default models and connections), by the cloud each rides ({@link ProviderCatalog#cloud()}): the
 * embedded fake server's test credentials for it, and the checks of a cloud's settings before
 * anything starts.
 *
 * <p>A provider is configured from the environment as {@link ProviderCatalog#configured} says: a
 * key-based provider by its key variable and base-URL variable, a cloud provider as its cloud's own
 * SDK reads the environment (its credentials then found by the cloud's chain at the first request).
 * With none of its variables set, a provider streams from the embedded fake server, which speaks
 * all of their APIs; a cloud provider then sends the fake its test credentials ({@link #fakeKey}).
 */
final class Providers {
    private Providers() {}

    /** The default provider. */
    static final ProviderCatalog DEFAULT = ProviderCatalog.ANTHROPIC;

    /**
     * {@return the provider of that id}
     *
     * @throws UsageException for another, naming the nearest provider (for a typing slip, as an
     *     unknown command does) and listing them all
     */
    static ProviderCatalog named(String id) throws UsageException {
        Optional<ProviderCatalog> p = ProviderCatalog.named(id);
        if (p.isPresent()) return p.get();
        throw new UsageException("unknown provider '" + id + "'"
                + Sluice.closest(
                                id,
                                ProviderCatalog.all().stream()
                                        .map(ProviderCatalog::id)
                                        .toList())
                        .map(c -> " (did you mean '" + c + "'?)")
                        .orElse("")
                + "; one of " + ProviderCatalog.names());
    }

    /** {@return the key the embedded fake server takes from a provider of this cloud (its test credentials), or null for any} */
    static @Nullable String fakeKey(ProviderCatalog provider) {
        return switch (provider.cloud()) {
            case NONE -> null;
            case AWS -> FakeBedrock.API_KEY;
            case GOOGLE -> FakeVertex.ACCESS_TOKEN;
            case AZURE -> FakeAzure.API_KEY;
        };
    }

    /**
     * {@return where the embedded fake server serves a provider, after its base URL: under
     * {@link FakeBedrock#MANTLE_PATH} for one at Bedrock's mantle host (its endpoint variable
     * {@value AwsAccess#MANTLE_ENDPOINT_ENV}; the fake serves both of Bedrock's hosts on one port),
     * else the path the provider's base URL ends with ({@link ProviderCatalog#basePath()})}
     */
    static String fakePath(ProviderCatalog provider) {
        return provider.baseUrlVariables().getFirst().equals(AwsAccess.MANTLE_ENDPOINT_ENV)
                ? FakeBedrock.MANTLE_PATH
                : provider.basePath();
    }

    /**
     * {@return the environment a provider streaming from the embedded fake server connects with:
     * on Vertex AI, the fake's project (a token needs one), else {@code env}}
     */
    static Map<String, String> fakeEnv(ProviderCatalog provider, Map<String, String> env) {
        if (provider.cloud() != ProviderCatalog.Cloud.GOOGLE
                || Endpoint.nonBlank(env.get(VertexAccess.PROJECT_ENV)) != null) return env;
        Map<String, String> withProject = new HashMap<>(env);
        withProject.put(VertexAccess.PROJECT_ENV, FakeVertex.PROJECT);
        return withProject;
    }

    /**
     * {@return why a cloud provider that the environment configures cannot authorize a request now,
     * if it cannot} Its cloud's credentials are looked for as the first request would look for them
     * (the AWS SDK's chain, the instance metadata service included unless
     * {@code AWS_EC2_METADATA_DISABLED}; Google's Application Default Credentials): the message says
     * what was tried and what to set, never a secret. For {@code serve}, which offers only the
     * providers it can stream from.
     *
     * @throws IllegalArgumentException or IllegalStateException for settings the client refuses
     */
    static Optional<String> credentialsProblem(ProviderCatalog provider, Map<String, String> env) {
        try {
            switch (provider.cloud()) {
                case AWS -> {
                    AwsAccess aws = AwsAccess.fromEnv(env);
                    aws.authorization("POST", aws.endpoint(), null, "");
                }
                case GOOGLE -> VertexAccess.fromEnv(env).token();
                case NONE, AZURE -> {} // a key, or Entra ID's variables, whose absence the client refuses at once
            }
            return Optional.empty();
        } catch (CredentialsException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Checks the settings of a provider's cloud that the client checks and the base URL check
     * does not (an AWS region's, a Vertex AI project's and location's, a Foundry resource's
     * spelling), so that a bad one is reported naming the variable before anything starts.
     *
     * @throws UsageException naming the variable and what is wrong with its value
     */
    static void check(ProviderCatalog provider, Map<String, String> env) throws UsageException {
        switch (provider.cloud()) {
            case NONE -> {}
            case AWS -> checkAws(env);
            case GOOGLE -> checkGoogle(env);
            case AZURE -> {
                if (provider.cloudVariables().contains(AzureAccess.FOUNDRY_RESOURCE_ENV)) checkFoundry(env);
            }
        }
    }

    /**
     * Checks the project's and the location's spelling, as Vertex AI's names have them.
     *
     * @throws UsageException naming the variable and what is wrong with its value
     */
    private static void checkGoogle(Map<String, String> env) throws UsageException {
        for (String variable : List.of(VertexAccess.PROJECT_ENV, VertexAccess.LOCATION_ENV)) {
            String value = Endpoint.nonBlank(env.get(variable));
            if (value == null) continue;
            try {
                if (variable.equals(VertexAccess.PROJECT_ENV))
                    VertexAccess.builder().project(value.strip());
                else VertexAccess.builder().location(value.strip());
            } catch (IllegalArgumentException e) {
                throw new UsageException(variable + ": '" + value + "' is not a "
                        + (variable.equals(VertexAccess.PROJECT_ENV)
                                ? "Google Cloud project id (such as my-project-123)"
                                : "Vertex AI location (global, or a region such as us-central1)"));
            }
        }
    }

    /**
     * Checks Foundry's resource name, and that the resource and the base URL are not both set.
     *
     * @throws UsageException naming the variables
     */
    private static void checkFoundry(Map<String, String> env) throws UsageException {
        String resource = Endpoint.nonBlank(env.get(AzureAccess.FOUNDRY_RESOURCE_ENV));
        if (resource == null) return;
        if (Endpoint.nonBlank(env.get(AzureAccess.FOUNDRY_BASE_URL_ENV)) != null) {
            throw new UsageException("set one of " + AzureAccess.FOUNDRY_RESOURCE_ENV + " and "
                    + AzureAccess.FOUNDRY_BASE_URL_ENV + ", not both");
        }
        try {
            AzureAccess.builder().foundryResource(resource);
        } catch (IllegalArgumentException e) {
            throw new UsageException(AzureAccess.FOUNDRY_RESOURCE_ENV
                    + " is not a resource's name (letters, digits and hyphens): '" + resource + "'");
        }
    }

    /** {@return the variable holding the AWS region: {@code AWS_REGION} when set, else {@code AWS_DEFAULT_REGION}} */
    private static String regionVariable(Map<String, String> env) {
        return Endpoint.nonBlank(env.get("AWS_REGION")) != null ? "AWS_REGION" : "AWS_DEFAULT_REGION";
    }

    /**
     * Checks the AWS region's spelling, so that a bad one is reported naming the variable before
     * anything starts.
     *
     * @throws UsageException naming the variable and what is wrong with its value
     */
    private static void checkAws(Map<String, String> env) throws UsageException {
        String region = Endpoint.nonBlank(env.get(regionVariable(env)));
        if (region == null) return;
        try {
            AwsAccess.builder().region(region.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    regionVariable(env) + " is not an AWS region's name (such as us-east-1): '" + region + "'");
        }
    }

    /**
     * {@return client options with the key (none when null: the client then takes only a base URL
     * on loopback, and sends it a placeholder key), the base URL (none when null: the provider's)
     * and the retries}
     *
     * @throws IllegalArgumentException for a base URL a client cannot use
     */
    static ClientOptions.Builder options(@Nullable String apiKey, @Nullable String baseUrl, RetryPolicy retries) {
        ClientOptions.Builder b = ClientOptions.builder().retryPolicy(retries);
        if (apiKey != null) b.apiKey(apiKey);
        if (baseUrl != null) b.baseUrl(baseUrl);
        return b;
    }
}
