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
 * by its key variable and base-URL variable; a cloud provider (bedrock, bedrock-anthropic, vertex,
 * vertex-anthropic, azure-openai, azure-openai-responses, foundry-anthropic) by its cloud's
 * variables, its credentials found by the cloud's chain at the first request.
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
        boolean region = nonBlank(env.get("AWS_REGION")) != null || nonBlank(env.get("AWS_DEFAULT_REGION")) != null;
        if (!region && options.apiKey().isPresent() && options.baseUrl().isPresent()) {
            return AwsAccess.builder()
                    .endpoint(options.baseUrl().get().toString())
                    .apiKey(options.apiKey().get())
                    .build();
        }
        if (options.apiKey().isEmpty()
                && nonBlank(env.get(BedrockClient.BEARER_TOKEN_ENV)) == null
                && nonBlank(env.get("AWS_ACCESS_KEY_ID")) != null
                && nonBlank(env.get("AWS_SECRET_ACCESS_KEY")) == null) {
            throw new IllegalStateException(
                    "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both (and AWS_SESSION_TOKEN"
                            + " for temporary credentials)");
        }
        Map<String, String> settings = new HashMap<>(env);
        options.apiKey().ifPresent(k -> settings.put(BedrockClient.BEARER_TOKEN_ENV, k));
        options.baseUrl().ifPresent(u -> settings.put(BedrockClient.ENDPOINT_ENV, u.toString()));
        return AwsAccess.fromEnv(settings);
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
        public java.util.Optional<String> passthroughApi() {
            return client.responses().passthroughApi();
        }

        @Override
        public EventStream<dev.sluice.sse.SseEvent> passthrough(
                String body, String model, java.util.List<String> betas, StreamController controller) {
            return client.responses().passthrough(body, model, betas, controller);
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
