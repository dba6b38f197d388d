package dev.sluice.providers;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.azure.AzureAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ProviderClient;
import dev.sluice.chat.WireApi;
import dev.sluice.client.ClientOptions;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.vertex.VertexAccess;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every provider Sluice speaks, as one table (the way Spring Boot's {@code DatabaseDriver} lists
 * databases): each constant is a provider, its columns what every consumer needs to know of it, so
 * that none keeps a list of its own. The id ({@code --provider}, {@code --fallback P:M},
 * {@code sluice.fallback}, Flink's {@code 'model'}), the wire {@link WireApi} it speaks and the
 * {@link Cloud} it rides, its name in OpenTelemetry's GenAI conventions, the environment variables
 * that configure it (as its own SDK reads them), where its streams open, its default model, and how
 * to {@link #connect} to it. A {@code PROVIDER:MODEL} is read by {@link Target#parse}.
 *
 * <pre>{@code
 * ProviderCatalog p = ProviderCatalog.of("bedrock-anthropic");
 * try (ProviderClient client = p.connect(p.options(System.getenv()).build(), System.getenv())) {
 *     ChatResponse answer = client.chat(ChatRequest.builder()
 *             .model(p.defaultModel())
 *             .addMessage(ChatMessage.user("Hello"))
 *             .build());
 * }
 * }</pre>
 *
 * <p><b>Adding a provider</b> is adding one constant here: its id (lower case, as people type it),
 * {@link WireApi} and {@link Cloud} (add to them only for a new wire format or cloud), OpenTelemetry's
 * {@code gen_ai.provider.name} for it, its variables, its streaming path, its default model, and the
 * lambda that builds its client from the options and the environment (a client that names itself
 * by the same id: {@link ProviderClient#providerName()}; the cloud's access read by
 * {@code Connections}). The tool (its {@code --provider}, {@code --fallback}, the embedded fake's
 * banner, {@code serve}'s providers and gateway), the Boot starter, Flink SQL, LangChain4j's adapter
 * and the OpenTelemetry and Micrometer observers pick it up from there; {@code ProviderCatalogTest}
 * connects every constant, and {@code ProviderIdsTest} fails if the id is spelled anywhere else in
 * main code.
 *
 * <p>Stateless; any thread. {@link #toString()} is the id.
 *
 * <p>Why this file is long: one constant a provider, each with its variables, its path and the lambda
 * that builds its client, is the table every consumer reads; splitting it would split the table.
 */
public enum ProviderCatalog {
    /** Anthropic's Messages API. */
    ANTHROPIC(
            "anthropic",
            WireApi.MESSAGES,
            Cloud.NONE,
            "anthropic",
            Variables.keyed("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
            "/v1/messages",
            "claude-sonnet-5-5",
            (p, options, env) -> AnthropicClient.builder().options(options).build()),
    /** OpenAI's Chat Completions (OpenAI's API, or a server compatible with it). */
    OPENAI(
            "openai",
            WireApi.CHAT_COMPLETIONS,
            Cloud.NONE,
            "openai",
            Variables.keyed("OPENAI_API_KEY", "OPENAI_BASE_URL"),
            "/v1/chat/completions",
            "gpt-6-luna",
            (p, options, env) -> OpenAiClient.builder().options(options).build()),
    /** OpenAI's Responses API. */
    OPENAI_RESPONSES(
            "openai-responses",
            WireApi.RESPONSES,
            Cloud.NONE,
            "openai",
            Variables.keyed("OPENAI_API_KEY", "OPENAI_BASE_URL"),
            "/v1/responses",
            "gpt-6.1-terra",
            (p, options, env) -> new Connections.ResponsesClient(
                    OpenAiClient.builder().options(options).build())),
    /** The Gemini API (Google AI Studio's). */
    GEMINI(
            "gemini",
            WireApi.GENERATE_CONTENT,
            Cloud.NONE,
            "gcp.gemini", // generativelanguage.googleapis.com
            Variables.keyed("GEMINI_API_KEY", "GEMINI_BASE_URL"),
            "/v1beta/models/MODEL:streamGenerateContent?alt=sse",
            "gemini-3.8-flash",
            (p, options, env) -> GeminiClient.builder().options(options).build()),
    /** Amazon Bedrock's Converse API. */
    BEDROCK(
            "bedrock",
            WireApi.CONVERSE,
            Cloud.AWS,
            "aws.bedrock", // bedrock-runtime.{region}.amazonaws.com
            Variables.BEDROCK_RUNTIME,
            "/model/MODEL/converse-stream",
            "us.anthropic.claude-sonnet-5-5",
            (p, options, env) -> BedrockClient.builder()
                    .access(Connections.aws(p, options, env))
                    .options(options)
                    .build()),
    /** Claude's Messages API on Amazon Bedrock ({@code InvokeModelWithResponseStream}). */
    BEDROCK_ANTHROPIC(
            "bedrock-anthropic",
            WireApi.MESSAGES,
            Cloud.AWS,
            "aws.bedrock",
            Variables.BEDROCK_RUNTIME,
            "/model/MODEL/invoke-with-response-stream",
            "us.anthropic.claude-sonnet-5-5",
            (p, options, env) -> AnthropicClient.builder()
                    .options(options)
                    .bedrock(Connections.aws(p, options, env))
                    .build()),
    /** OpenAI's Chat Completions on Amazon Bedrock's runtime host ({@code /openai/v1}, signed for {@code bedrock}). */
    BEDROCK_OPENAI(
            "bedrock-openai",
            WireApi.CHAT_COMPLETIONS,
            Cloud.AWS,
            "aws.bedrock",
            Variables.BEDROCK_RUNTIME,
            "/openai/v1/chat/completions",
            "us.openai.gpt-6-sol",
            (p, options, env) -> OpenAiClient.builder()
                    .options(options)
                    .bedrock(Connections.aws(p, options, env))
                    .build()),
    /**
     * OpenAI's Responses API on Amazon Bedrock: on the mantle host (signed for
     * {@code bedrock-mantle}), under the path AWS serves the model at ({@link #bedrockOpenAiPath});
     * on the runtime host when {@value #BEDROCK_RESPONSES_ENDPOINT_ENV} is {@code runtime}.
     */
    BEDROCK_OPENAI_RESPONSES(
            "bedrock-openai-responses",
            WireApi.RESPONSES,
            Cloud.AWS,
            "aws.bedrock", // bedrock-mantle.{region}.api.aws
            Variables.BEDROCK_MANTLE_RESPONSES,
            "{/v1|/openai/v1}/responses",
            "openai.gpt-5.6-terra",
            (p, options, env) -> new Connections.ResponsesClient(OpenAiClient.builder()
                    .options(options)
                    .bedrock(Connections.aws(p, options, env), ProviderCatalog::bedrockOpenAiPath)
                    .build())),
    /** Claude's Messages API on Amazon Bedrock's mantle host ({@code /anthropic/v1/messages}, signed for {@code bedrock-mantle}). */
    BEDROCK_MANTLE_ANTHROPIC(
            "bedrock-mantle-anthropic",
            WireApi.MESSAGES,
            Cloud.AWS,
            "aws.bedrock",
            Variables.BEDROCK_MANTLE,
            "/anthropic/v1/messages",
            "anthropic.claude-opus-4-8",
            (p, options, env) -> AnthropicClient.builder()
                    .options(options)
                    .bedrock(Connections.aws(p, options, env))
                    .build()),
    /** Gemini on Google Vertex AI. */
    VERTEX(
            "vertex",
            WireApi.GENERATE_CONTENT,
            Cloud.GOOGLE,
            "gcp.vertex_ai", // aiplatform.googleapis.com
            Variables.VERTEX,
            "/v1/projects/P/locations/L/publishers/google/models/MODEL:streamGenerateContent",
            "gemini-3.8-flash",
            (p, options, env) -> GeminiClient.builder()
                    .options(options)
                    .vertex(Connections.vertex(options, env))
                    .build()),
    /** Claude on Google Vertex AI ({@code :streamRawPredict}). */
    VERTEX_ANTHROPIC(
            "vertex-anthropic",
            WireApi.MESSAGES,
            Cloud.GOOGLE,
            "gcp.vertex_ai",
            Variables.VERTEX,
            "/v1/projects/P/locations/L/publishers/anthropic/models/MODEL:streamRawPredict",
            "claude-sonnet-5-5",
            (p, options, env) -> AnthropicClient.builder()
                    .options(options)
                    .vertex(Connections.vertex(options, env))
                    .build()),
    /** Azure OpenAI's Chat Completions (its v1 API). */
    AZURE_OPENAI(
            "azure-openai",
            WireApi.CHAT_COMPLETIONS,
            Cloud.AZURE,
            "azure.ai.openai", // {resource}.openai.azure.com
            Variables.AZURE_OPENAI,
            "/openai/v1/chat/completions",
            "gpt-6-luna",
            (p, options, env) -> Connections.azureOpenAi(options, env)),
    /** Azure OpenAI's Responses API. */
    AZURE_OPENAI_RESPONSES(
            "azure-openai-responses",
            WireApi.RESPONSES,
            Cloud.AZURE,
            "azure.ai.openai",
            Variables.AZURE_OPENAI,
            "/openai/v1/responses",
            "gpt-6.1-terra",
            (p, options, env) -> new Connections.ResponsesClient(Connections.azureOpenAi(options, env))),
    /** Claude on Microsoft Foundry. */
    FOUNDRY_ANTHROPIC(
            "foundry-anthropic",
            WireApi.MESSAGES,
            Cloud.AZURE,
            "azure.ai.inference", // {resource}.services.ai.azure.com
            Variables.FOUNDRY,
            "/v1/messages",
            "claude-sonnet-5-5",
            (p, options, env) -> Connections.foundry(options, env));

    /** The cloud a provider is reached through, whose variables and credentials it then reads. */
    public enum Cloud {
        /** None: the provider's own API, by its key and base URL. */
        NONE,
        /** Amazon Web Services: a region, and a Bedrock API key or AWS credentials ({@link AwsAccess}). */
        AWS,
        /** Google Cloud: a project, a location, and Application Default Credentials ({@link VertexAccess}). */
        GOOGLE,
        /** Microsoft Azure: a resource, and its key or Microsoft Entra ID ({@link AzureAccess}). */
        AZURE
    }

    /**
     * A {@code PROVIDER:MODEL}, as {@code --fallback}, {@code sluice.fallback} and Flink SQL's
     * {@code 'model'} and {@code 'fallback'} take it: split on the first colon (a model id may hold
     * more, as Bedrock's do); without a colon, the provider alone.
     *
     * @param provider the provider
     * @param model the model, when one was given
     */
    public record Target(ProviderCatalog provider, Optional<String> model) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         * @throws IllegalArgumentException if the model is blank
         */
        public Target {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
            if (model.isPresent() && model.get().isBlank())
                throw new IllegalArgumentException("model must not be blank");
        }

        /**
         * {@return the target {@code spec} names} The provider's id is matched in any case; white
         * space around either part is dropped.
         *
         * @param spec {@code PROVIDER:MODEL} or {@code PROVIDER}
         * @throws IllegalArgumentException for an unknown provider or nothing after the colon (the
         *     message names the part and lists the providers)
         */
        public static Target parse(String spec) {
            String s = Objects.requireNonNull(spec, "spec").strip();
            int colon = s.indexOf(':');
            String id = (colon < 0 ? s : s.substring(0, colon)).strip();
            ProviderCatalog provider = named(id.toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown provider '" + id + "' in '" + s + "' (PROVIDER:MODEL); one of " + names()));
            if (colon < 0) return new Target(provider, Optional.empty());
            String model = s.substring(colon + 1).strip();
            if (model.isEmpty()) throw new IllegalArgumentException("no model after '" + id + ":' (PROVIDER:MODEL)");
            return new Target(provider, Optional.of(model));
        }

        /** {@return the model given, else the provider's default} */
        public String modelOrDefault() {
            return model.orElse(provider.defaultModel);
        }

        /** {@return {@code PROVIDER:MODEL}, or {@code PROVIDER} without a model} */
        @Override
        public String toString() {
            return provider.id + model.map(m -> ":" + m).orElse("");
        }
    }

    /**
     * The variable that puts {@link #BEDROCK_OPENAI_RESPONSES} on Bedrock's runtime host:
     * {@code runtime}; unset or {@code mantle}, the mantle host. AWS recommends the runtime host for
     * new applications; hosted tools (web search), background responses and some models need mantle
     * (<a href="https://docs.aws.amazon.com/bedrock/latest/userguide/inference-responses-api.html">AWS:
     * Responses API</a>). With {@code runtime}, the provider's endpoint is the runtime host's
     * ({@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, else {@code AWS_ENDPOINT_URL}).
     */
    public static final String BEDROCK_RESPONSES_ENDPOINT_ENV = "SLUICE_BEDROCK_RESPONSES_ENDPOINT";

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

    private final String id;
    private final WireApi api;
    private final Cloud cloud;
    private final String genAiProviderName;

    @SuppressWarnings("ImmutableEnumChecker") // a record of strings and immutable lists
    private final Variables variables;

    private final String streamPath;
    private final String defaultModel;

    @SuppressWarnings("ImmutableEnumChecker") // a stateless lambda
    private final Connections.Connector connector;

    ProviderCatalog(
            String id,
            WireApi api,
            Cloud cloud,
            String genAiProviderName,
            Variables variables,
            String streamPath,
            String defaultModel,
            Connections.Connector connector) {
        this.id = id;
        this.api = api;
        this.cloud = cloud;
        this.genAiProviderName = genAiProviderName;
        this.variables = variables;
        this.streamPath = streamPath;
        this.defaultModel = defaultModel;
        this.connector = connector;
    }

    /** {@return the id: {@code anthropic}, {@code bedrock-anthropic}, ... (what {@code --provider} takes)} */
    public String id() {
        return id;
    }

    /** {@return the wire format it speaks} */
    public WireApi api() {
        return api;
    }

    /** {@return the cloud it is reached through, {@link Cloud#NONE} for a provider's own API} */
    public Cloud cloud() {
        return cloud;
    }

    /**
     * {@return its name in OpenTelemetry's GenAI conventions ({@code gen_ai.provider.name}):
     * {@code anthropic}, {@code openai}, {@code gcp.gemini}, {@code gcp.vertex_ai},
     * {@code aws.bedrock}, {@code azure.ai.openai}, {@code azure.ai.inference}}
     */
    public String genAiProviderName() {
        return genAiProviderName;
    }

    /** {@return the environment variable holding its API key; empty for a cloud without API keys} */
    public Optional<String> keyVariable() {
        return Optional.ofNullable(variables.key());
    }

    /**
     * {@return the environment variables holding its base URL (without the version path); the first
     * set wins} For {@link #BEDROCK_OPENAI_RESPONSES}, the mantle host's; {@link #baseUrlVariable}
     * reads the runtime host's when {@value #BEDROCK_RESPONSES_ENDPOINT_ENV} puts it there.
     */
    public List<String> baseUrlVariables() {
        return variables.baseUrls();
    }

    /**
     * {@return the other variables that configure it through its cloud (region, project,
     * credentials, profile...), any of which set makes it {@link #configured}; empty for a
     * provider's own API}
     */
    public List<String> cloudVariables() {
        return variables.cloud();
    }

    /**
     * {@return what to set to configure it, as a person reads it: {@code ANTHROPIC_API_KEY}, or
     * {@code AWS_REGION, AWS_BEARER_TOKEN_BEDROCK or AWS credentials}}
     */
    public String whatToSet() {
        return variables.whatToSet();
    }

    /**
     * {@return the path its base URL ends with, where the cloud puts one in it: {@code /anthropic}
     * for Claude on Foundry ({@code https://{resource}.services.ai.azure.com/anthropic}), else empty}
     */
    public String basePath() {
        return variables.basePath();
    }

    /**
     * {@return the path after its base URL that a stream is opened with ({@code POST}), {@code MODEL}
     * (and Vertex AI's {@code P}roject and {@code L}ocation) standing for the request's:
     * {@code /v1/messages}, {@code /model/MODEL/converse-stream}, ...; {@code {/v1|/openai/v1}} for
     * the one of them Bedrock's mantle host serves the model under ({@link #bedrockOpenAiPath})}
     */
    public String streamPath() {
        return streamPath;
    }

    /** {@return the model asked when none is given} */
    public String defaultModel() {
        return defaultModel;
    }

    /**
     * {@return the model maker whose own API this provider is ({@link #ANTHROPIC} Anthropic's,
     * {@link #OPENAI} and {@link #OPENAI_RESPONSES} OpenAI's, {@link #GEMINI} Google's); empty for a
     * cloud's, which serves another's models} Read with the model table's
     * {@link ModelCapabilities#maker()}: a gateway sends a bare model id to its maker's own API.
     */
    public Optional<ModelCapabilities.Maker> makersOwnApi() {
        return switch (this) {
            case ANTHROPIC -> Optional.of(ModelCapabilities.Maker.ANTHROPIC);
            case OPENAI, OPENAI_RESPONSES -> Optional.of(ModelCapabilities.Maker.OPENAI);
            case GEMINI -> Optional.of(ModelCapabilities.Maker.GOOGLE);
            default -> Optional.empty();
        };
    }

    /**
     * {@return the base-URL variable that is set (the first of them), else the first of them} Of the
     * runtime host's variables for {@link #BEDROCK_OPENAI_RESPONSES} put there by
     * {@value #BEDROCK_RESPONSES_ENDPOINT_ENV}.
     *
     * @throws IllegalArgumentException if {@value #BEDROCK_RESPONSES_ENDPOINT_ENV} holds neither
     *     {@code runtime} nor {@code mantle} (the message names it)
     */
    public String baseUrlVariable(Map<String, String> env) {
        List<String> urls = variables.baseUrls(env);
        for (String v : urls) if (Connections.nonBlank(env.get(v)) != null) return v;
        return urls.getFirst();
    }

    /** {@return the base-URL variables in effect in {@code env}, the first the host's own: {@link Variables#baseUrls(Map)}} */
    List<String> baseUrlVariables(Map<String, String> env) {
        return variables.baseUrls(env);
    }

    /** {@return the base URL the environment sets, if any} */
    public Optional<String> baseUrl(Map<String, String> env) {
        return Optional.ofNullable(Connections.nonBlank(env.get(baseUrlVariable(env))));
    }

    /** {@return the key the environment sets, if any} */
    public Optional<String> key(Map<String, String> env) {
        return keyVariable().flatMap(v -> Optional.ofNullable(Connections.nonBlank(env.get(v))));
    }

    /** {@return whether the environment configures it: its key, a base URL or one of its cloud's variables} */
    public boolean configured(Map<String, String> env) {
        return key(env).isPresent()
                || baseUrl(env).isPresent()
                || variables.cloud().stream().anyMatch(v -> Connections.nonBlank(env.get(v)) != null);
    }

    /**
     * {@return client options with the environment's key and base URL for it (none when unset), to
     * complete and pass to {@link #connect}}
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

    /**
     * Builds its client. The options carry the key and base URL (from {@link #options} or given),
     * the retries, limits and observers; the environment gives a cloud provider its other settings,
     * read as the cloud's SDK reads them ({@link AwsAccess#fromEnv(Map)}, {@link VertexAccess#fromEnv(Map)},
     * {@link AzureAccess#fromEnv(Map)}, {@link AzureAccess#foundryFromEnv(Map)}), the options' key and
     * base URL over the environment's. A cloud provider that the environment does not configure
     * takes the options' base URL and key alone (a fake server's, a job's own). Without a key, a
     * key-based client takes only a base URL on loopback (and sends it a placeholder); a cloud
     * client finds its credentials through its cloud's chain at the first request.
     *
     * @param options the client options
     * @param env the environment
     * @return the client, which the caller closes
     * @throws IllegalArgumentException for a setting the client refuses (the message names it)
     * @throws IllegalStateException for a setting missing (the message says which variable to set)
     * @throws dev.sluice.CredentialsException ({@code INVALID}) for a cloud variable holding an unusable value
     */
    public ProviderClient connect(ClientOptions options, Map<String, String> env) {
        return connector.connect(this, Objects.requireNonNull(options, "options"), Objects.requireNonNull(env, "env"));
    }

    /** {@return the id} */
    @Override
    public String toString() {
        return id;
    }

    /** {@return the provider of that id, if Sluice speaks it} */
    public static Optional<ProviderCatalog> named(String id) {
        Objects.requireNonNull(id, "id");
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    /**
     * {@return the provider of that id}
     *
     * @throws IllegalArgumentException for an id Sluice does not speak: {@code unknown provider 'x'; one of anthropic, ...}
     */
    public static ProviderCatalog of(String id) {
        return named(id)
                .orElseThrow(() -> new IllegalArgumentException("unknown provider '" + id + "'; one of " + names()));
    }

    /** {@return every provider, in the table's order (its own APIs first, then the clouds')} */
    public static List<ProviderCatalog> all() {
        return List.of(values());
    }

    /** {@return the ids, for messages: "anthropic, openai, openai-responses, gemini, bedrock, ..."} */
    public static String names() {
        return Arrays.stream(values()).map(ProviderCatalog::id).collect(Collectors.joining(", "));
    }

    /**
     * {@return the path a model's OpenAI APIs are served under on Amazon Bedrock's mantle host, as
     * AWS lists them: {@code /openai/v1} for OpenAI's GPT-5.4 and later (GPT-5.5, GPT-5.6, GPT-6)
     * and Gemma 4, {@code /v1} for the others (GPT OSS among them)} An inference profile's geography
     * ({@code us.}, {@code global.}, ...) is read past. Mantle refuses a model on the other path;
     * {@link #BEDROCK_OPENAI_RESPONSES} asks this for each request, and so can a client built
     * without the catalog: {@code OpenAiClient.builder().bedrock(aws.mantle(), ProviderCatalog::bedrockOpenAiPath)}.
     *
     * @param model Bedrock's model id, such as {@code openai.gpt-5.6-terra} or {@code us.openai.gpt-6-sol}
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
     * {@return the OpenTelemetry {@code gen_ai.provider.name} of the provider a client names itself
     * by ({@link ProviderClient#providerName()}, a stream observer's {@code StreamStart.provider()}),
     * or that name itself when no provider has it}
     */
    public static String genAiProviderName(String providerName) {
        return named(providerName).map(ProviderCatalog::genAiProviderName).orElse(providerName);
    }
}
