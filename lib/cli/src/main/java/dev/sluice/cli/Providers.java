package dev.sluice.cli;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.azure.FakeAzure;
import dev.sluice.testkit.bedrock.FakeBedrock;
import dev.sluice.testkit.vertex.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The providers {@code sluice stream --provider} (and {@code agent}, {@code object}, {@code serve},
 * {@code --fallback}) accept: {@link ProviderCatalog}'s (their names, environment variables,
 * default models and connections), with what the tool adds: the embedded fake server's settings,
 * the checks of the settings before anything starts, and the connections of the clouds whose
 * defaults point at the fake (Bedrock, Vertex AI).
 *
 * <p>A provider is configured from the environment in one of two ways. A key-based provider
 * (anthropic, openai, openai-responses, gemini) by its key variable and base-URL variable. A cloud
 * provider (bedrock, bedrock-anthropic, bedrock-openai, bedrock-openai-responses,
 * bedrock-mantle-anthropic, vertex, vertex-anthropic, azure-openai, azure-openai-responses,
 * foundry-anthropic) the way its cloud's own SDK reads the environment: a
 * key variable where the cloud has API keys, endpoint variables (the first set wins), and the
 * cloud's other variables (region, project, credentials, profile...), any of which configures it;
 * its credentials are then found by the cloud's chain at the first request. With none of its
 * variables set, a provider streams from the embedded fake server, which speaks all of their APIs;
 * a cloud provider then sends the fake its test credentials ({@link Provider#fakeKey}).
 */
final class Providers {
    private Providers() {}

    /** Builds a provider's client from the client options (its key and base URL already in them) and the environment. */
    @FunctionalInterface
    interface Connect {
        /**
         * Builds the provider's client.
         *
         * @throws IllegalArgumentException for a setting the client refuses
         * @throws IllegalStateException for a setting missing (the message says which variable to set)
         */
        ChatProvider connect(ClientOptions options, Map<String, String> env);
    }

    /** Checks a provider's settings in the environment before anything starts. */
    @FunctionalInterface
    interface Check {
        /**
         * Checks the settings in the environment.
         *
         * @throws UsageException naming the variable and what is wrong with its value
         */
        void check(Map<String, String> env) throws UsageException;

        /** No settings to check beyond the base URL. */
        Check NONE = env -> {};
    }

    /**
     * One provider.
     *
     * @param name its name, as {@code --provider} and {@code --fallback} take it
     * @param keyVariable the environment variable with the API key, or null for a cloud without API keys
     * @param baseUrlVariables the environment variables with the base URL (without the version path),
     *     the first set wins ({@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, else {@code AWS_ENDPOINT_URL})
     * @param cloudVariables the other variables that configure a cloud provider (region,
     *     credentials, profile), empty for a key-based one
     * @param defaultModel the model when none is given
     * @param connect how to connect
     * @param fakeKey the key the embedded fake server takes for this provider, or null for any
     * @param unset what to set, for the line saying the fake server answers instead ("ANTHROPIC_API_KEY")
     * @param fakePath the path after the embedded fake server's base URL where it serves this provider ("" for most)
     * @param check the check of the provider's other settings ({@link Check#NONE} for a key-based one)
     */
    record Provider(
            String name,
            @Nullable String keyVariable,
            List<String> baseUrlVariables,
            List<String> cloudVariables,
            String defaultModel,
            Connect connect,
            @Nullable String fakeKey,
            @Nullable String unset,
            String fakePath,
            Check check) {
        Provider {
            baseUrlVariables = List.copyOf(baseUrlVariables);
            cloudVariables = List.copyOf(cloudVariables);
        }

        /** A key-based provider: a key variable and a base-URL variable. */
        Provider(
                String name,
                @Nullable String keyVariable,
                String baseUrlVariable,
                String defaultModel,
                Connect connect) {
            this(
                    name,
                    keyVariable,
                    List.of(baseUrlVariable),
                    List.of(),
                    defaultModel,
                    connect,
                    null,
                    keyVariable,
                    "",
                    Check.NONE);
        }

        /** {@return the base-URL variable that is set (the first of them), else the first of them} */
        String baseUrlVariable(Map<String, String> env) {
            for (String v : baseUrlVariables) if (Endpoint.nonBlank(env.get(v)) != null) return v;
            return baseUrlVariables.getFirst();
        }

        /** {@return the base URL the environment sets, or null} */
        @Nullable
        String baseUrl(Map<String, String> env) {
            return Endpoint.nonBlank(env.get(baseUrlVariable(env)));
        }

        /** {@return the key the environment sets, or null} */
        @Nullable
        String key(Map<String, String> env) {
            return keyVariable == null ? null : Endpoint.nonBlank(env.get(keyVariable));
        }

        /** {@return whether the environment configures this provider: its key, a base URL or one of its cloud's variables} */
        boolean configured(Map<String, String> env) {
            return key(env) != null
                    || baseUrl(env) != null
                    || cloudVariables.stream().anyMatch(v -> Endpoint.nonBlank(env.get(v)) != null);
        }

        /** {@return the client, from these options and the environment} */
        ChatProvider chat(ClientOptions options, Map<String, String> env) {
            return connect.connect(options, env);
        }

        /**
         * {@return the backend of {@code sluice stream}: Anthropic's full-fidelity Messages stream for
         * {@code anthropic}, any other provider through the provider-neutral layer}
         */
        StreamBackend backend(ClientOptions options, Map<String, String> env) {
            if (name.equals("anthropic")) return AnthropicBackend.connect(options);
            ChatProvider client = chat(options, env);
            return new ChatBackend(client, client instanceof AutoCloseable c ? c : () -> {});
        }
    }

    /** The default provider. */
    static final String DEFAULT = "anthropic";

    /** The AWS variables that configure Bedrock besides its key and endpoints, as AWS's SDKs read them. */
    static final List<String> AWS_VARIABLES = ProviderCatalog.AWS_VARIABLES;

    private static final String AWS_UNSET = "AWS_REGION, " + BedrockClient.BEARER_TOKEN_ENV + " or AWS credentials";

    /** The Google variables that configure Vertex AI besides its base URL, as google-genai and google-auth read them. */
    static final List<String> GOOGLE_VARIABLES = ProviderCatalog.GOOGLE_VARIABLES;

    private static final String GOOGLE_UNSET = VertexAccess.PROJECT_ENV + " or GOOGLE_APPLICATION_CREDENTIALS";

    static final String AZURE_OPENAI_KEY = ProviderCatalog.AZURE_OPENAI_KEY;
    static final String AZURE_OPENAI_ENDPOINT = ProviderCatalog.AZURE_OPENAI_ENDPOINT;
    static final String FOUNDRY_KEY = ProviderCatalog.FOUNDRY_KEY;
    static final String FOUNDRY_BASE_URL = ProviderCatalog.FOUNDRY_BASE_URL;
    static final String FOUNDRY_RESOURCE = ProviderCatalog.FOUNDRY_RESOURCE;
    /** Microsoft Entra ID's variables, as azure-identity's DefaultAzureCredential reads them. */
    static final List<String> ENTRA_VARIABLES = ProviderCatalog.ENTRA_VARIABLES;

    static final List<String> FOUNDRY_VARIABLES = ProviderCatalog.FOUNDRY_VARIABLES;

    private static final Map<String, Provider> ALL = table();

    private static Map<String, Provider> table() {
        Map<String, Provider> m = new LinkedHashMap<>();
        for (Provider p : new Provider[] {
            keyBased("anthropic"),
            keyBased("openai"),
            keyBased("openai-responses"),
            keyBased("gemini"),
            cloud(
                    "bedrock",
                    (options, env) -> BedrockClient.builder()
                            .access(aws(options, env))
                            .options(options)
                            .build(),
                    FakeBedrock.API_KEY,
                    AWS_UNSET,
                    "",
                    Providers::checkAws),
            cloud(
                    "bedrock-anthropic",
                    (options, env) -> AnthropicClient.builder()
                            .options(options)
                            .bedrock(aws(options, env))
                            .build(),
                    FakeBedrock.API_KEY,
                    AWS_UNSET,
                    "",
                    Providers::checkAws),
            // Bedrock's OpenAI-compatible and mantle endpoints: the catalog connects them (on the embedded fake,
            // with its test key and its runtime host's or its mantle host's base URL)
            cloud("bedrock-openai", catalog("bedrock-openai"), FakeBedrock.API_KEY, AWS_UNSET, "", Providers::checkAws),
            cloud(
                    "bedrock-openai-responses",
                    catalog("bedrock-openai-responses"),
                    FakeBedrock.API_KEY,
                    AWS_UNSET,
                    FakeBedrock.MANTLE_PATH,
                    Providers::checkAws),
            cloud(
                    "bedrock-mantle-anthropic",
                    catalog("bedrock-mantle-anthropic"),
                    FakeBedrock.API_KEY,
                    AWS_UNSET,
                    FakeBedrock.MANTLE_PATH,
                    Providers::checkAws),
            cloud(
                    "vertex",
                    (options, env) -> GeminiClient.builder()
                            .options(options)
                            .vertex(vertex(options, env))
                            .build(),
                    FakeVertex.ACCESS_TOKEN,
                    GOOGLE_UNSET,
                    "",
                    Providers::checkGoogle),
            cloud(
                    "vertex-anthropic",
                    (options, env) -> AnthropicClient.builder()
                            .options(options)
                            .vertex(vertex(options, env))
                            .build(),
                    FakeVertex.ACCESS_TOKEN,
                    GOOGLE_UNSET,
                    "",
                    Providers::checkGoogle),
            cloud("azure-openai", catalog("azure-openai"), FakeAzure.API_KEY, AZURE_OPENAI_ENDPOINT, "", Check.NONE),
            cloud(
                    "azure-openai-responses",
                    catalog("azure-openai-responses"),
                    FakeAzure.API_KEY,
                    AZURE_OPENAI_ENDPOINT,
                    "",
                    Check.NONE),
            cloud(
                    "foundry-anthropic",
                    catalog("foundry-anthropic"),
                    FakeAzure.API_KEY,
                    FOUNDRY_RESOURCE + " or " + FOUNDRY_BASE_URL,
                    "/anthropic",
                    Providers::checkFoundry),
        }) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** {@return the catalog's connection of the named provider, from the options and the environment} */
    private static Connect catalog(String name) {
        return (options, env) -> ProviderCatalog.connect(name, options, env);
    }

    /** {@return the catalog's key-based provider of that name, connected by the catalog} */
    private static Provider keyBased(String name) {
        ProviderCatalog.Entry e = ProviderCatalog.named(name).orElseThrow();
        return new Provider(
                e.name(), e.keyVariable(), e.baseUrlVariables().getFirst(), e.defaultModel(), catalog(name));
    }

    /** {@return the catalog's cloud provider of that name, with the tool's connection and its embedded fake's settings} */
    private static Provider cloud(
            String name, Connect connect, @Nullable String fakeKey, String unset, String fakePath, Check check) {
        ProviderCatalog.Entry e = ProviderCatalog.named(name).orElseThrow();
        return new Provider(
                e.name(),
                e.keyVariable(),
                e.baseUrlVariables(),
                e.cloudVariables(),
                e.defaultModel(),
                connect,
                fakeKey,
                unset,
                fakePath,
                check);
    }

    /**
     * {@return how to reach Amazon Bedrock: the tool's environment read as the AWS SDK reads it
     * ({@link AwsAccess#fromEnv(Map)}: the region, the endpoint, the Bedrock API key, else the
     * credential chain, walked at the first request), or, with none of AWS's variables set, the
     * embedded fake's endpoint and test key}
     *
     * @throws IllegalArgumentException naming the setting whose value is refused
     * @throws IllegalStateException saying what to set, when no region is found or the access key is half set
     */
    static AwsAccess aws(ClientOptions options, Map<String, String> env) {
        List<String> all = new java.util.ArrayList<>(
                List.of(BedrockClient.BEARER_TOKEN_ENV, BedrockClient.ENDPOINT_ENV, "AWS_ENDPOINT_URL"));
        all.addAll(AWS_VARIABLES);
        if (all.stream().allMatch(v -> Endpoint.nonBlank(env.get(v)) == null)) { // the embedded fake's
            return AwsAccess.builder()
                    .endpoint(options.baseUrl().orElseThrow())
                    .apiKey(options.apiKey().orElseThrow())
                    .build();
        }
        if (Endpoint.nonBlank(env.get(BedrockClient.BEARER_TOKEN_ENV)) == null
                && Endpoint.nonBlank(env.get("AWS_ACCESS_KEY_ID")) != null
                && Endpoint.nonBlank(env.get("AWS_SECRET_ACCESS_KEY")) == null) {
            throw new IllegalStateException(
                    "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both (and AWS_SESSION_TOKEN"
                            + " for temporary credentials)");
        }
        return AwsAccess.fromEnv(env);
    }

    /**
     * Vertex AI: the project and location from {@code GOOGLE_CLOUD_PROJECT} and
     * {@code GOOGLE_CLOUD_LOCATION} (else {@code global}), the base URL from the options
     * ({@code GOOGLE_VERTEX_BASE_URL}, else the location's), the tokens from Application Default
     * Credentials, found as google-auth finds them at the first request; on the embedded fake,
     * its token and project.
     *
     * @throws IllegalArgumentException naming the variable whose value is refused
     */
    private static VertexAccess vertex(ClientOptions options, Map<String, String> env) {
        VertexAccess.Builder b = VertexAccess.builder();
        String project = Endpoint.nonBlank(env.get(VertexAccess.PROJECT_ENV));
        String location = Endpoint.nonBlank(env.get(VertexAccess.LOCATION_ENV));
        if (project != null) b.project(project.strip());
        if (location != null) b.location(location.strip());
        options.baseUrl().ifPresent(u -> b.baseUrl(u.toString()));
        options.apiKey()
                .ifPresent(
                        token -> { // only the embedded fake's: Vertex AI takes no API key here
                            if (project == null) b.project(FakeVertex.PROJECT);
                            b.tokenProvider(() -> new AccessTokenProvider.Token(
                                    token, Instant.now().plus(Duration.ofHours(1))));
                        });
        return b.build();
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
                throw new UsageException(
                        variable + ": '" + value + "' is not a "
                                + (variable.equals(VertexAccess.PROJECT_ENV)
                                        ? "Google Cloud project id (such as my-project-123)"
                                        : "Vertex AI location (global, or a region such as us-central1)"),
                        false);
            }
        }
    }

    /**
     * Checks Foundry's resource name, and that the resource and the base URL are not both set.
     *
     * @throws UsageException naming the variables
     */
    private static void checkFoundry(Map<String, String> env) throws UsageException {
        String resource = Endpoint.nonBlank(env.get(FOUNDRY_RESOURCE));
        if (resource == null) return;
        if (Endpoint.nonBlank(env.get(FOUNDRY_BASE_URL)) != null) {
            throw new UsageException(
                    "set one of " + FOUNDRY_RESOURCE + " and " + FOUNDRY_BASE_URL + ", not both", false);
        }
        if (!resource.strip().matches("[A-Za-z0-9][A-Za-z0-9-]{0,62}")) {
            throw new UsageException(
                    FOUNDRY_RESOURCE + " is not a resource's name (letters, digits and hyphens): '" + resource + "'",
                    false);
        }
    }

    /** {@return the variable holding the AWS region: {@code AWS_REGION} when set, else {@code AWS_DEFAULT_REGION}} */
    private static String regionVariable(Map<String, String> env) {
        return Endpoint.nonBlank(env.get("AWS_REGION")) != null ? "AWS_REGION" : "AWS_DEFAULT_REGION";
    }

    /** {@return the AWS region the environment sets, or null} */
    private static @Nullable String awsRegion(Map<String, String> env) {
        return Endpoint.nonBlank(env.get(regionVariable(env)));
    }

    /**
     * Checks the AWS settings the client checks that the base URL check does not (the region's
     * spelling), so that a bad one is reported naming the variable before anything starts.
     *
     * @throws UsageException naming the variable and what is wrong with its value
     */
    private static void checkAws(Map<String, String> env) throws UsageException {
        String host = Endpoint.nonBlank(env.get(ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT));
        if (host != null
                && !host.strip().equalsIgnoreCase("runtime")
                && !host.strip().equalsIgnoreCase("mantle")) {
            throw new UsageException(
                    ProviderCatalog.BEDROCK_RESPONSES_ENDPOINT + " is 'mantle' (the default) or 'runtime', not '"
                            + host.strip() + "'",
                    false);
        }
        String region = awsRegion(env);
        if (region == null) return;
        try {
            BedrockClient.builder().region(region.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    regionVariable(env) + " is not an AWS region's name (such as us-east-1): '" + region + "'", false);
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

    /**
     * {@return a client of the named provider as a {@link ChatProvider} (every client is also
     * {@link AutoCloseable}), for commands on the provider-neutral layer such as {@code sluice agent}}
     *
     * @param apiKey the key, or null (a base URL on loopback then gets a placeholder)
     * @param baseUrl the base URL, or null for the provider's
     * @param env the environment, for a cloud provider's other settings
     */
    static ChatProvider chatProvider(
            Provider provider,
            @Nullable String apiKey,
            @Nullable String baseUrl,
            RetryPolicy retries,
            Map<String, String> env) {
        return provider.chat(options(apiKey, baseUrl, retries).build(), env);
    }

    /** {@return the provider of that name, if it is one the command knows} */
    static Optional<Provider> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** {@return the names, for messages: "anthropic, openai, openai-responses, gemini, bedrock, ..."} */
    static String names() {
        return String.join(", ", ALL.keySet());
    }

    /** {@return every provider, in the order --help lists them} */
    static List<Provider> all() {
        return List.copyOf(ALL.values());
    }
}
