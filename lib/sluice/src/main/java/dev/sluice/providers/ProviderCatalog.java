package dev.sluice.providers;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.ClientOptions;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.vertex.VertexAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Every provider and cloud Sluice speaks, by name, each configured from an environment map as its
 * own SDK reads the environment. A key-based provider (anthropic, openai, openai-responses, gemini)
 * by its key variable and base-URL variable; a cloud provider (bedrock, bedrock-anthropic,
 * bedrock-openai, bedrock-openai-responses, bedrock-mantle-anthropic, vertex, vertex-anthropic,
 * azure-openai, azure-openai-responses, foundry-anthropic) by its cloud's variables, its credentials
 * found by the cloud's chain at the first request.
 *
 * <pre>{@code
 * ProviderCatalog.Entry p = ProviderCatalog.named("bedrock-anthropic").orElseThrow();
 * ChatProvider client = ProviderCatalog.connect(p.name(), p.options(System.getenv()).build(), System.getenv());
 * }</pre>
 *
 * <p>Every client {@link #connect} returns is also {@link AutoCloseable}. Stateless; any thread.
 */
public final class ProviderCatalog {
    private ProviderCatalog() {}

    /** The AWS variables that configure Bedrock besides its key and endpoints, as AWS's SDKs read them. */
    public static final List<String> AWS_VARIABLES = List.of(
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    /** The Google variables that configure Vertex AI besides its base URL, as google-genai and google-auth read them. */
    public static final List<String> GOOGLE_VARIABLES =
            List.of(VertexAccess.PROJECT_ENV, VertexAccess.LOCATION_ENV, "GOOGLE_APPLICATION_CREDENTIALS");
    /** Azure OpenAI's key variable. */
    public static final String AZURE_OPENAI_KEY = "AZURE_OPENAI_API_KEY";
    /** Azure OpenAI's endpoint variable. */
    public static final String AZURE_OPENAI_ENDPOINT = "AZURE_OPENAI_ENDPOINT";
    /** Claude on Microsoft Foundry's key variable. */
    public static final String FOUNDRY_KEY = "ANTHROPIC_FOUNDRY_API_KEY";
    /** Claude on Microsoft Foundry's base-URL variable. */
    public static final String FOUNDRY_BASE_URL = "ANTHROPIC_FOUNDRY_BASE_URL";
    /** Claude on Microsoft Foundry's resource-name variable. */
    public static final String FOUNDRY_RESOURCE = "ANTHROPIC_FOUNDRY_RESOURCE";
    /** Microsoft Entra ID's variables, as azure-identity's DefaultAzureCredential reads them. */
    public static final List<String> ENTRA_VARIABLES = List.of(
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_FEDERATED_TOKEN_FILE",
            "IDENTITY_ENDPOINT");
    /** Foundry's variables besides its key and base URL. */
    public static final List<String> FOUNDRY_VARIABLES =
            Stream.concat(Stream.of(FOUNDRY_RESOURCE), ENTRA_VARIABLES.stream()).toList();

    private static final List<String> BEDROCK_URLS = List.of(BedrockClient.ENDPOINT_ENV, "AWS_ENDPOINT_URL");
    private static final List<String> MANTLE_URLS = List.of(AwsAccess.MANTLE_ENDPOINT_ENV, "AWS_ENDPOINT_URL");

    /**
     * The variable that puts {@code bedrock-openai-responses} on Bedrock's runtime host: {@code runtime};
     * unset or {@code mantle}, the mantle host. AWS recommends the runtime host for new applications;
     * hosted tools (web search), background responses and some models need mantle
     * (<a href="https://docs.aws.amazon.com/bedrock/latest/userguide/inference-responses-api.html">AWS's Responses API page</a>).
     */
    public static final String BEDROCK_RESPONSES_ENDPOINT = "SLUICE_BEDROCK_RESPONSES_ENDPOINT";

    private static final List<String> MANTLE_RESPONSES_VARIABLES = Stream.concat(
                    AWS_VARIABLES.stream(), Stream.of(BEDROCK_RESPONSES_ENDPOINT))
            .toList();

    /**
     * One family of models on Bedrock's mantle host and the path its OpenAI APIs are served under.
     *
     * @param family the model id's start, without an inference profile's geography ({@code openai.gpt-5.6})
     * @param path the path under the mantle endpoint
     * @param source where AWS (or OpenAI) lists it
     */
    private record MantlePath(String family, String path, String source) {}

    /** The families AWS serves elsewhere than {@code /v1} on mantle, and those it says are there; the longest family wins. */
    private static final List<MantlePath> MANTLE_PATHS = List.of(
            new MantlePath(
                    "openai.gpt-oss",
                    "/v1",
                    "openai-java bedrock.md: openai.gpt-oss-120b uses /v1; AWS inference-responses-api: mantle /v1"),
            new MantlePath("openai.gpt-5.4", "/openai/v1", "BerriAI/litellm#29463, from AWS's model card"),
            new MantlePath("openai.gpt-5.5", "/openai/v1", "openai-java bedrock.md: openai.gpt-5.5 uses /openai/v1"),
            new MantlePath(
                    "openai.gpt-5.6",
                    "/openai/v1",
                    "developers.openai.com guides/amazon-bedrock: GPT-5.6 Terra at bedrock-mantle.us-east-2.api.aws/openai/v1"),
            new MantlePath(
                    "openai.gpt-6",
                    "/openai/v1",
                    "developers.openai.com guides/amazon-bedrock: Mantle ids openai.gpt-6-sol, -luna, -astra"),
            new MantlePath("google.gemma-4", "/openai/v1", "TanStack/ai#925, from AWS's model cards"));

    /** The geographies of Bedrock's inference profiles, before the model id ({@code us.openai.gpt-6-sol}). */
    private static final List<String> GEOGRAPHIES =
            List.of("us.", "us-gov.", "eu.", "apac.", "jp.", "au.", "ca.", "global.");

    /**
     * One provider.
     *
     * @param name its name ({@code anthropic}, {@code bedrock-anthropic}, ...)
     * @param keyVariable the environment variable with the API key, or null for a cloud without API keys
     * @param baseUrlVariables the environment variables with the base URL (without the version path), the first set wins
     * @param cloudVariables the other variables that configure a cloud provider (region, credentials,
     *     profile), empty for a key-based one
     * @param defaultModel the model when none is given
     */
    public record Entry(
            String name,
            @Nullable String keyVariable,
            List<String> baseUrlVariables,
            List<String> cloudVariables,
            String defaultModel) {
        /**
         * Copies the lists.
         *
         * @throws NullPointerException if the name, a list or the default model is null
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            baseUrlVariables = List.copyOf(baseUrlVariables);
            cloudVariables = List.copyOf(cloudVariables);
            Objects.requireNonNull(defaultModel, "defaultModel");
        }

        /** {@return the base-URL variable that is set (the first of them), else the first of them} */
        public String baseUrlVariable(Map<String, String> env) {
            for (String v : baseUrlVariables) if (nonBlank(env.get(v)) != null) return v;
            return baseUrlVariables.getFirst();
        }

        /** {@return the base URL the environment sets, if any} */
        public Optional<String> baseUrl(Map<String, String> env) {
            return Optional.ofNullable(nonBlank(env.get(baseUrlVariable(env))));
        }

        /** {@return the key the environment sets, if any} */
        public Optional<String> key(Map<String, String> env) {
            return keyVariable == null ? Optional.empty() : Optional.ofNullable(nonBlank(env.get(keyVariable)));
        }

        /** {@return whether the environment configures this provider: its key, a base URL or one of its cloud's variables} */
        public boolean configured(Map<String, String> env) {
            return key(env).isPresent()
                    || baseUrl(env).isPresent()
                    || cloudVariables.stream().anyMatch(v -> nonBlank(env.get(v)) != null);
        }

        /**
         * {@return client options with the environment's key and base URL for this provider (none
         * when unset), to complete and pass to {@link ProviderCatalog#connect}}
         *
         * @throws IllegalArgumentException for a base URL a client cannot use (the message names the variable)
         */
        public ClientOptions.Builder options(Map<String, String> env) {
            ClientOptions.Builder b = ClientOptions.builder();
            key(env).ifPresent(b::apiKey);
            Optional<String> url = baseUrl(env);
            if (url.isPresent()) {
                try {
                    b.baseUrl(url.get().strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(baseUrlVariable(env) + ": " + e.getMessage(), e);
                }
            }
            return b;
        }
    }

    private static final Map<String, Entry> ALL = table();

    private static Map<String, Entry> table() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : List.of(
                new Entry(
                        "anthropic",
                        "ANTHROPIC_API_KEY",
                        List.of("ANTHROPIC_BASE_URL"),
                        List.of(),
                        "claude-sonnet-4-5"),
                new Entry("openai", "OPENAI_API_KEY", List.of("OPENAI_BASE_URL"), List.of(), "gpt-4o-mini"),
                new Entry("openai-responses", "OPENAI_API_KEY", List.of("OPENAI_BASE_URL"), List.of(), "gpt-5-mini"),
                new Entry("gemini", "GEMINI_API_KEY", List.of("GEMINI_BASE_URL"), List.of(), "gemini-2.5-flash"),
                new Entry(
                        "bedrock",
                        BedrockClient.BEARER_TOKEN_ENV,
                        BEDROCK_URLS,
                        AWS_VARIABLES,
                        "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                new Entry(
                        "bedrock-anthropic",
                        BedrockClient.BEARER_TOKEN_ENV,
                        BEDROCK_URLS,
                        AWS_VARIABLES,
                        "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                new Entry(
                        "bedrock-openai",
                        BedrockClient.BEARER_TOKEN_ENV,
                        BEDROCK_URLS,
                        AWS_VARIABLES,
                        "us.openai.gpt-6-sol"),
                new Entry(
                        "bedrock-openai-responses",
                        BedrockClient.BEARER_TOKEN_ENV,
                        MANTLE_URLS,
                        MANTLE_RESPONSES_VARIABLES,
                        "openai.gpt-5.6-terra"),
                new Entry(
                        "bedrock-mantle-anthropic",
                        BedrockClient.BEARER_TOKEN_ENV,
                        MANTLE_URLS,
                        AWS_VARIABLES,
                        "anthropic.claude-opus-4-8"),
                new Entry("vertex", null, List.of(VertexAccess.BASE_URL_ENV), GOOGLE_VARIABLES, "gemini-2.5-flash"),
                new Entry(
                        "vertex-anthropic",
                        null,
                        List.of(VertexAccess.BASE_URL_ENV),
                        GOOGLE_VARIABLES,
                        "claude-sonnet-4-5@20250929"),
                new Entry(
                        "azure-openai",
                        AZURE_OPENAI_KEY,
                        List.of(AZURE_OPENAI_ENDPOINT),
                        ENTRA_VARIABLES,
                        "gpt-4o-mini"),
                new Entry(
                        "azure-openai-responses",
                        AZURE_OPENAI_KEY,
                        List.of(AZURE_OPENAI_ENDPOINT),
                        ENTRA_VARIABLES,
                        "gpt-5-mini"),
                new Entry(
                        "foundry-anthropic",
                        FOUNDRY_KEY,
                        List.of(FOUNDRY_BASE_URL),
                        FOUNDRY_VARIABLES,
                        "claude-sonnet-4-5"))) {
            m.put(e.name(), e);
        }
        return m;
    }

    /** {@return the provider of that name, if Sluice speaks it} */
    public static Optional<Entry> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** {@return every provider, in a stable order (the key-based ones first)} */
    public static List<Entry> all() {
        return List.copyOf(ALL.values());
    }

    /** {@return the names, for messages: "anthropic, openai, openai-responses, gemini, bedrock, ..."} */
    public static String names() {
        return String.join(", ", ALL.keySet());
    }

    /**
     * Builds the named provider's client. The options carry the key and base URL (from
     * {@link Entry#options} or given), the retries, limits and observers; the environment gives a
     * cloud provider its other settings. Without a key, a key-based client takes only a base URL on
     * loopback (and sends it a placeholder); a cloud client finds its credentials through its
     * cloud's chain at the first request.
     *
     * @param name the provider's name
     * @param options the client options
     * @param env the environment (the cloud's region, project, credentials' variables)
     * @return the client, also {@link AutoCloseable}
     * @throws IllegalArgumentException for an unknown name, or a setting the client refuses (the message names it)
     * @throws IllegalStateException for a setting missing (the message says which variable to set)
     */
    public static ChatProvider connect(String name, ClientOptions options, Map<String, String> env) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(env, "env");
        if (!ALL.containsKey(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("unknown provider '" + name + "'; one of " + names());
        }
        return switch (name) {
            case "anthropic" -> AnthropicClient.builder().options(options).build();
            case "openai" -> OpenAiClient.builder().options(options).build();
            case "openai-responses" ->
                new ResponsesProvider(OpenAiClient.builder().options(options).build());
            case "gemini" -> GeminiClient.builder().options(options).build();
            case "bedrock" ->
                BedrockClient.builder()
                        .access(aws(options, env))
                        .options(options)
                        .build();
            case "bedrock-anthropic" ->
                AnthropicClient.builder()
                        .options(options)
                        .bedrock(aws(options, env))
                        .build();
            case "bedrock-openai" ->
                OpenAiClient.builder()
                        .options(options)
                        .bedrock(aws(options, env))
                        .build();
            case "bedrock-openai-responses" ->
                new ResponsesProvider(OpenAiClient.builder()
                        .options(options)
                        .bedrock(
                                responsesOnRuntime(env)
                                        ? aws(options.apiKey().orElse(null), runtimeUrl(options, env), env, false)
                                        : aws(options, env, true),
                                ProviderCatalog::bedrockOpenAiPath)
                        .build());
            case "bedrock-mantle-anthropic" ->
                AnthropicClient.builder()
                        .options(options)
                        .bedrock(aws(options, env, true))
                        .build();
            case "vertex" ->
                GeminiClient.builder()
                        .options(options)
                        .vertex(vertex(options, env))
                        .build();
            case "vertex-anthropic" ->
                AnthropicClient.builder()
                        .options(options)
                        .vertex(vertex(options, env))
                        .build();
            case "azure-openai" -> azureOpenAi(options);
            case "azure-openai-responses" -> new ResponsesProvider(azureOpenAi(options));
            case "foundry-anthropic" -> foundry(options, env);
            default -> throw new AssertionError(name);
        };
    }

    /**
     * {@return how to reach Amazon Bedrock: the environment read as the AWS SDK reads it
     * ({@link AwsAccess#fromEnv(Map)}), the options' key (a Bedrock API key) and base URL (an
     * endpoint) over the environment's; with a key and an endpoint and no region set, those alone}
     *
     * @throws IllegalArgumentException naming the setting whose value is refused
     * @throws IllegalStateException saying what to set, when no region is found or the access key is half set
     */
    public static AwsAccess aws(ClientOptions options, Map<String, String> env) {
        return aws(options, env, false);
    }

    /**
     * As {@link #aws(ClientOptions, Map)}, at the mantle host when asked: the options' base URL is
     * then the mantle endpoint ({@value AwsAccess#MANTLE_ENDPOINT_ENV}'s), and the access
     * {@link AwsAccess#mantle()}'s.
     */
    private static AwsAccess aws(ClientOptions options, Map<String, String> env, boolean mantle) {
        return aws(
                options.apiKey().orElse(null),
                options.baseUrl().map(Object::toString).orElse(null),
                env,
                mantle);
    }

    /**
     * {@return the runtime host's endpoint for the Responses API put there: the options' base URL,
     * unless it is the mantle host's variable's (the entry reads that first), which the runtime host
     * does not take; then none, and {@link AwsAccess#fromEnv(Map)} reads the runtime host's}
     */
    private static @Nullable String runtimeUrl(ClientOptions options, Map<String, String> env) {
        if (nonBlank(env.get(AwsAccess.MANTLE_ENDPOINT_ENV)) != null) return null;
        return options.baseUrl().map(Object::toString).orElse(null);
    }

    private static AwsAccess aws(
            @Nullable String apiKey, @Nullable String baseUrl, Map<String, String> env, boolean mantle) {
        boolean region = nonBlank(env.get("AWS_REGION")) != null || nonBlank(env.get("AWS_DEFAULT_REGION")) != null;
        if (!region && apiKey != null && baseUrl != null) {
            AwsAccess.Builder b = AwsAccess.builder().apiKey(apiKey);
            return mantle
                    ? b.mantleEndpoint(baseUrl).build().mantle()
                    : b.endpoint(baseUrl).build();
        }
        if (apiKey == null
                && nonBlank(env.get(BedrockClient.BEARER_TOKEN_ENV)) == null
                && nonBlank(env.get("AWS_ACCESS_KEY_ID")) != null
                && nonBlank(env.get("AWS_SECRET_ACCESS_KEY")) == null) {
            throw new IllegalStateException(
                    "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both (and AWS_SESSION_TOKEN"
                            + " for temporary credentials)");
        }
        Map<String, String> settings = new HashMap<>(env);
        if (apiKey != null) settings.put(BedrockClient.BEARER_TOKEN_ENV, apiKey);
        if (baseUrl != null) settings.put(mantle ? AwsAccess.MANTLE_ENDPOINT_ENV : BedrockClient.ENDPOINT_ENV, baseUrl);
        AwsAccess access = AwsAccess.fromEnv(settings);
        return mantle ? access.mantle() : access;
    }

    /**
     * {@return whether {@code bedrock-openai-responses} goes to Bedrock's runtime host:
     * {@value #BEDROCK_RESPONSES_ENDPOINT} is {@code runtime}}
     *
     * @throws IllegalArgumentException if the variable holds neither {@code runtime} nor {@code mantle}
     */
    private static boolean responsesOnRuntime(Map<String, String> env) {
        String v = nonBlank(env.get(BEDROCK_RESPONSES_ENDPOINT));
        if (v == null || v.strip().equalsIgnoreCase("mantle")) return false;
        if (v.strip().equalsIgnoreCase("runtime")) return true;
        throw new IllegalArgumentException(
                BEDROCK_RESPONSES_ENDPOINT + " is 'mantle' (the default) or 'runtime', not '" + v.strip() + "'");
    }

    /**
     * {@return the path a model's OpenAI APIs are served under on Bedrock's mantle host, as AWS lists
     * them: {@code /openai/v1} for OpenAI's GPT-5.4 and later (GPT-5.5, GPT-5.6, GPT-6) and Gemma 4,
     * {@code /v1} for the others (GPT OSS among them)} An inference profile's geography
     * ({@code us.}, {@code global.}, ...) is read past. For {@code OpenAiClient.builder().bedrock(access, ..)}.
     *
     * @param model Bedrock's model id, such as {@code openai.gpt-5.6-terra}
     */
    public static String bedrockOpenAiPath(String model) {
        String id = Objects.requireNonNull(model, "model").strip().toLowerCase(Locale.ROOT);
        for (String geography : GEOGRAPHIES) {
            if (id.startsWith(geography)) {
                id = id.substring(geography.length());
                break;
            }
        }
        MantlePath best = null;
        for (MantlePath p : MANTLE_PATHS) {
            if (id.startsWith(p.family())
                    && (best == null || p.family().length() > best.family().length())) best = p;
        }
        return best == null ? "/v1" : best.path();
    }

    /**
     * Vertex AI: the project and location from {@code GOOGLE_CLOUD_PROJECT} and
     * {@code GOOGLE_CLOUD_LOCATION} (else {@code global}), the base URL from the options (else the
     * location's), the tokens from Application Default Credentials at the first request, or the
     * options' key used as an access token.
     *
     * @throws IllegalArgumentException naming the variable whose value is refused
     */
    private static VertexAccess vertex(ClientOptions options, Map<String, String> env) {
        VertexAccess.Builder b = VertexAccess.builder();
        String project = nonBlank(env.get(VertexAccess.PROJECT_ENV));
        String location = nonBlank(env.get(VertexAccess.LOCATION_ENV));
        if (project != null) b.project(project.strip());
        if (location != null) b.location(location.strip());
        options.baseUrl().ifPresent(u -> b.baseUrl(u.toString()));
        options.apiKey()
                .ifPresent(token -> b.tokenProvider(
                        () -> new AccessTokenProvider.Token(token, Instant.now().plus(Duration.ofHours(1)))));
        return b.build();
    }

    /**
     * Azure OpenAI's v1 API: the endpoint and key from the options, else Microsoft Entra ID tokens.
     *
     * @throws IllegalStateException saying to set the endpoint
     */
    private static OpenAiClient azureOpenAi(ClientOptions options) {
        String endpoint = options.baseUrl()
                .map(Object::toString)
                .orElseThrow(() -> new IllegalStateException("Azure OpenAI needs its endpoint: set "
                        + AZURE_OPENAI_ENDPOINT + " to the resource's, such as https://my-resource.openai.azure.com"));
        return OpenAiClient.builder()
                .options(options)
                .azure(azure(options, endpoint))
                .build();
    }

    /**
     * Claude on Microsoft Foundry: the endpoint from the options' base URL, else
     * {@code https://{ANTHROPIC_FOUNDRY_RESOURCE}.services.ai.azure.com/anthropic}; the options' key,
     * else Entra ID tokens.
     *
     * @throws IllegalStateException saying what to set
     */
    private static ChatProvider foundry(ClientOptions options, Map<String, String> env) {
        String resource = nonBlank(env.get(FOUNDRY_RESOURCE));
        String endpoint = options.baseUrl()
                .map(Object::toString)
                .orElseGet(() -> resource == null
                        ? null
                        : "https://" + resource.strip().toLowerCase(Locale.ROOT) + ".services.ai.azure.com/anthropic");
        if (endpoint == null) {
            throw new IllegalStateException(
                    "Claude on Foundry needs its resource: set " + FOUNDRY_RESOURCE + " (the resource's name) or "
                            + FOUNDRY_BASE_URL + " (such as https://my-resource.services.ai.azure.com/anthropic)");
        }
        return AnthropicClient.builder()
                .options(options)
                .foundry(azure(options, endpoint))
                .build();
    }

    private static AzureAccess azure(ClientOptions options, String endpoint) {
        AzureAccess.Builder b = AzureAccess.builder().endpoint(endpoint);
        if (options.apiKey().isPresent()) b.apiKey(options.apiKey().get());
        else b.defaultAzureCredential();
        return b.build();
    }

    private static @Nullable String nonBlank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code client.responses()} as a provider that closes its client, as the other clients do. */
    private record ResponsesProvider(OpenAiClient client) implements ChatProvider, AutoCloseable {
        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return client.responses().stream(request);
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return client.responses().stream(request, controller);
        }

        @Override
        public void close() {
            client.close();
        }

        @Override
        public String toString() {
            return "ResponsesProvider[" + client + "]";
        }
    }
}
