package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clients, the providers and the fallback chain from sluice.* properties, streaming from the test kit's server. */
class SluiceAutoConfigurationTest {
    private static final String KEY = "sk-test-secret-key-0123456789";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static String base;

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class));

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        base = fake.baseUrl().toString();
    }

    @AfterAll
    static void stop() {}

    private static String answer(ChatProvider provider, String model) {
        return provider.chat(ChatRequest.builder()
                        .model(model)
                        .addMessage(ChatMessage.user("hello"))
                        .build())
                .text();
    }

    private static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause())
            messages.append(t.getMessage()).append('\n');
        return messages.toString();
    }

    @Test
    void noProperties_noClientNoChain_providersEmpty() {
        runner.run(context -> {
            assertThat(context)
                    .doesNotHaveBean(AnthropicClient.class)
                    .doesNotHaveBean(OpenAiClient.class)
                    .doesNotHaveBean(GeminiClient.class)
                    .doesNotHaveBean(FallbackChain.class);
            assertThat(context.getBean(SluiceProviders.class).all()).isEmpty();
        });
    }

    @Test
    void baseUrl_clientStreamsFromIt_withTheModelProperty() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.anthropic.model=claude-test-model")
                .run(context -> {
                    AnthropicClient client = context.getBean(AnthropicClient.class);
                    SluiceProviders.Named named = context.getBean(SluiceProviders.class)
                            .named("anthropic")
                            .orElseThrow();
                    assertThat(named.model()).isEqualTo("claude-test-model");
                    assertThat(named.provider()).isSameAs(client);
                    assertThat(answer(client, named.model())).isNotBlank();
                    assertThat(lastRequestTo("/v1/messages").json("/model")).isEqualTo("claude-test-model");
                });
    }

    @Test
    void apiKey_clientMade_keyInNoToString() {
        runner.withPropertyValues("sluice.gemini.api-key=" + KEY).run(context -> {
            assertThat(context).hasSingleBean(GeminiClient.class);
            assertThat(context.getBean(SluiceProviders.class)
                            .named("gemini")
                            .orElseThrow()
                            .model())
                    .isEqualTo("gemini-3.8-flash");
            assertThat(context.getBean(GeminiClient.class).toString()).doesNotContain(KEY);
            assertThat(context.getBean(SluiceProperties.class).toString())
                    .doesNotContain(KEY)
                    .contains("(hidden)");
            assertThat(context.getBean(SluiceProviders.class).toString()).doesNotContain(KEY);
        });
    }

    @Test
    void missingProperty_onlyTheConfiguredProvidersHaveClients() {
        runner.withPropertyValues("sluice.openai.base-url=" + base).run(context -> {
            assertThat(context)
                    .hasSingleBean(OpenAiClient.class)
                    .doesNotHaveBean(AnthropicClient.class)
                    .doesNotHaveBean(GeminiClient.class)
                    .doesNotHaveBean(SluiceAutoConfiguration.OPENAI_RESPONSES_CLIENT);
            assertThat(context.getBean(SluiceProviders.class).all())
                    .extracting(SluiceProviders.Named::name)
                    .containsExactly("openai");
        });
    }

    @Test
    void openaiAndResponses_twoClients_theChatOneInjectedByType() {
        runner.withPropertyValues("sluice.openai.base-url=" + base, "sluice.openai-responses.base-url=" + base)
                .run(context -> {
                    assertThat(context.getBeansOfType(OpenAiClient.class))
                            .containsOnlyKeys("sluiceOpenAiClient", SluiceAutoConfiguration.OPENAI_RESPONSES_CLIENT);
                    assertThat(context.getBean(OpenAiClient.class))
                            .isSameAs(context.getBean("sluiceOpenAiClient")); // no default candidate
                    SluiceProviders providers = context.getBean(SluiceProviders.class);
                    assertThat(providers.all())
                            .extracting(SluiceProviders.Named::name)
                            .containsExactly("openai", "openai-responses");
                    assertThat(answer(
                                    providers
                                            .named("openai-responses")
                                            .orElseThrow()
                                            .provider(),
                                    "gpt-6.1-terra"))
                            .isNotBlank();
                    assertThat(lastRequestTo("/v1/responses")).isNotNull();
                });
    }

    @Test
    void usersOwnClient_wins_andTheProvidersUseIt() {
        runner.withUserConfiguration(OwnClient.class)
                .withPropertyValues("sluice.anthropic.api-key=" + KEY)
                .run(context -> {
                    assertThat(context)
                            .hasSingleBean(AnthropicClient.class)
                            .hasBean("ownAnthropic")
                            .doesNotHaveBean("sluiceAnthropicClient");
                    assertThat(context.getBean(SluiceProviders.class)
                                    .named("anthropic")
                                    .orElseThrow()
                                    .provider())
                            .isSameAs(context.getBean("ownAnthropic"));
                });
    }

    @Test
    void usersOwnResponsesClient_byName_wins() {
        runner.withUserConfiguration(OwnResponsesClient.class)
                .withPropertyValues("sluice.openai-responses.api-key=" + KEY)
                .run(context -> assertThat(context.getBean(SluiceAutoConfiguration.OPENAI_RESPONSES_CLIENT)
                                .toString())
                        .contains("127.0.0.1"));
    }

    @Test
    void fallback_chainInTheOrderGiven_isThePrimaryChatProvider() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.gemini.base-url=" + base,
                        "sluice.fallback=gemini, anthropic:claude-other")
                .run(context -> {
                    FallbackChain chain = context.getBean(FallbackChain.class);
                    assertThat(chain.targetNames())
                            .containsExactly("gemini:gemini-3.8-flash", "anthropic:claude-other");
                    assertThat(context.getBean(ChatProvider.class)).isSameAs(chain);
                });
    }

    @Test
    void fallback_firstTargetUnreachable_streamsFromTheNext() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=http://127.0.0.1:1",
                        "sluice.anthropic.max-retries=0",
                        "sluice.openai.base-url=" + base,
                        "sluice.fallback[0]=anthropic",
                        "sluice.fallback[1]=openai")
                .run(context -> {
                    assertThat(answer(context.getBean(ChatProvider.class), "ignored"))
                            .isNotBlank();
                    assertThat(context.getBean(FallbackChain.class).failovers()).isEqualTo(1);
                    assertThat(lastRequestTo("/v1/chat/completions").json("/model"))
                            .isEqualTo("gpt-6-luna");
                });
    }

    @Test
    void hedgeAfter_aSlowFirstTarget_theNextStartsBesideItAndAnswers() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.openai.base-url=" + base,
                        "sluice.fallback=anthropic:fake-first-token-3000, openai",
                        "sluice.hedge-after=200ms")
                .run(context -> {
                    FallbackChain chain = context.getBean(FallbackChain.class);
                    assertThat(answer(context.getBean(ChatProvider.class), "ignored"))
                            .isNotBlank();
                    assertThat(chain.hedgeCounts().get("openai:gpt-6-luna"))
                            .isEqualTo(new FallbackChain.HedgeCounts(1, 1, 0));
                    assertThat(lastRequestTo("/v1/chat/completions").json("/model"))
                            .isEqualTo("gpt-6-luna");
                });
    }

    @Test
    void hedgeAfter_unreadableOrWithoutAChain_startupFailsSayingWhy() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.openai.base-url=" + base,
                        "sluice.fallback=anthropic,openai",
                        "sluice.hedge-after=soon")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.hedge-after")
                        .contains("'soon' is neither a duration (800ms, 1.5s) nor a percentile"));
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.hedge-after=p95")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.hedge-after")
                        .contains("it needs sluice.fallback"));
    }

    @Test
    void fallback_unknownProvider_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.fallback=anthropic,mistral")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.fallback")
                        .contains("unknown provider 'mistral'"));
    }

    @Test
    void fallback_providerWithoutClient_startupFailsSayingWhatToSet() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.fallback=anthropic,gemini")
                .run(context ->
                        assertThat(failure(context)).contains("sluice.fallback").contains("sluice.gemini.api-key"));
    }

    @Test
    void apiKeyAnUnresolvedPlaceholder_startupFailsNamingThePropertyAndTheFix() {
        // Spring leaves a placeholder whose variable is unset as it is: the client would send "${...}" as the key
        runner.withPropertyValues("sluice.anthropic.api-key=${SLUICE_TEST_UNSET_KEY}")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.anthropic.api-key")
                        .contains("${SLUICE_TEST_UNSET_KEY}")
                        .contains("set SLUICE_TEST_UNSET_KEY")
                        .contains("${SLUICE_TEST_UNSET_KEY:}"));
    }

    @Test
    void everySecretAnUnresolvedPlaceholder_startupFailsNamingTheProperty() {
        for (String property : List.of(
                "sluice.anthropic.api-key",
                "sluice.openai.api-key",
                "sluice.openai-responses.api-key",
                "sluice.gemini.api-key",
                "sluice.openai.headers.x-secret")) {
            runner.withPropertyValues(
                            property + "=sk-${SLUICE_TEST_UNSET_KEY}",
                            "sluice.anthropic.base-url=" + base,
                            "sluice.openai.base-url=" + base,
                            "sluice.openai-responses.base-url=" + base,
                            "sluice.gemini.base-url=" + base)
                    .run(context ->
                            assertThat(failure(context)).contains(property).contains("${SLUICE_TEST_UNSET_KEY}"));
        }
    }

    @Test
    void apiKeyPlaceholderWithAnEmptyDefault_noKey_noClient() {
        runner.withPropertyValues("sluice.anthropic.api-key=${SLUICE_TEST_UNSET_KEY:}")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(AnthropicClient.class);
                });
    }

    @Test
    void badBaseUrl_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.anthropic.base-url=ftp://example.com")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.anthropic.base-url")
                        .contains("http or https"));
    }

    @Test
    void negativeTimeout_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.openai.base-url=" + base, "sluice.openai.idle-timeout=-5s")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.openai.idle-timeout")
                        .contains("positive"));
    }

    @Test
    void unparsableDuration_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.openai.base-url=" + base, "sluice.openai.first-token-timeout=soon")
                .run(context -> assertThat(failure(context)).contains("sluice.openai.first-token-timeout"));
    }

    @Test
    void badBudget_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.anthropic.budget.max-output-tokens=0")
                .run(context -> assertThat(failure(context)).contains("sluice.anthropic.budget.max-output-tokens"));
    }

    @Test
    void remoteBaseUrlWithoutKey_startupFailsNamingTheKeyProperty() {
        runner.withPropertyValues("sluice.gemini.base-url=https://generativelanguage.example.com")
                .run(context -> assertThat(failure(context)).contains("sluice.gemini.api-key"));
    }

    @Test
    void keyWithALineBreak_startupFailsNamingTheProperty_withoutTheKey() {
        runner.withPropertyValues("sluice.anthropic.api-key=" + KEY + "\nX-Injected: 1")
                .run(context -> {
                    String failure = failure(context);
                    assertThat(failure).contains("sluice.anthropic.api-key").doesNotContain(KEY);
                });
    }

    @Test
    void settings_reachTheClient() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.anthropic.headers.x-team=search",
                        "sluice.anthropic.version=2023-06-01",
                        "sluice.anthropic.max-chunks=2")
                .run(context -> {
                    AnthropicClient client = context.getBean(AnthropicClient.class);
                    ChatRequest request = ChatRequest.builder()
                            .model("claude-sonnet-5-5")
                            .addMessage(ChatMessage.user("tell me a story"))
                            .build();
                    try (var chunks = client.stream(request)) {
                        chunks.forEach(chunk -> {});
                        assertThat(chunks.endReason())
                                .hasValueSatisfying(
                                        end -> assertThat(end.name()).isEqualTo("CHUNK_LIMIT"));
                    }
                    RecordedRequest sent = lastRequestTo("/v1/messages");
                    assertThat(sent.header("x-team")).isEqualTo("search");
                    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
                });
    }

    @Test
    void observerBeans_observeEveryClientsStreams() {
        runner.withUserConfiguration(Observing.class)
                .withPropertyValues("sluice.openai.base-url=" + base)
                .run(context -> {
                    answer(context.getBean(OpenAiClient.class), "gpt-6-luna");
                    assertThat(context.getBean(Observing.class).starts)
                            .extracting(StreamStart::provider)
                            .containsExactly("openai");
                });
    }

    private static final String CLAUDE_ON_BEDROCK = "us.anthropic.claude-sonnet-5-5";
    private static final String CONVERSE = "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/converse-stream";

    @Test
    void bedrock_apiKeyAndEndpoint_clientStreamsThroughConverse_withTheDefaultModel() {
        runner.withPropertyValues(
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.api-key=" + FakeBedrock.API_KEY,
                        "sluice.bedrock.region=us-west-2")
                .run(context -> {
                    BedrockClient client = context.getBean(BedrockClient.class);
                    SluiceProviders.Named named = context.getBean(SluiceProviders.class)
                            .named("bedrock")
                            .orElseThrow();
                    assertThat(named.provider()).isSameAs(client);
                    assertThat(named.model()).isEqualTo(CLAUDE_ON_BEDROCK);
                    assertThat(answer(client, named.model())).isNotBlank();
                    assertThat(lastRequestTo(CONVERSE).header("authorization"))
                            .isEqualTo("Bearer " + FakeBedrock.API_KEY);
                    assertThat(client.toString()).doesNotContain(FakeBedrock.API_KEY);
                    assertThat(context.getBean(SluiceProperties.class).toString())
                            .doesNotContain(FakeBedrock.API_KEY)
                            .contains("region=us-west-2");
                });
    }

    @Test
    void bedrock_accessKey_eachRequestSignedForTheRegion_secretsInNoToString() {
        runner.withPropertyValues(
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.region=eu-central-1",
                        "sluice.bedrock.access-key-id=" + FakeBedrock.ACCESS_KEY_ID,
                        "sluice.bedrock.secret-access-key=" + FakeBedrock.SECRET_ACCESS_KEY,
                        "sluice.bedrock.model=amazon.nova-pro-v1:0")
                .run(context -> {
                    SluiceProviders.Named named = context.getBean(SluiceProviders.class)
                            .named("bedrock")
                            .orElseThrow();
                    assertThat(answer(named.provider(), named.model())).isNotBlank();
                    assertThat(lastRequestTo("/model/amazon.nova-pro-v1%3A0/converse-stream")
                                    .header("authorization"))
                            .startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/")
                            .contains("/eu-central-1/bedrock/aws4_request");
                    assertThat(context.getBean(SluiceProperties.class).toString())
                            .doesNotContain(FakeBedrock.SECRET_ACCESS_KEY)
                            .doesNotContain(FakeBedrock.ACCESS_KEY_ID);
                    assertThat(context.getBean(BedrockClient.class).toString())
                            .doesNotContain(FakeBedrock.SECRET_ACCESS_KEY);
                });
    }

    @Test
    void bedrock_regionWithoutCredentials_theAwsSdksChainAtTheFirstRequest_nothingFetchedAtStartup() {
        runner.withPropertyValues("sluice.bedrock.region=us-east-1").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BedrockClient.class);
            AwsAccess access = context.getBean(AwsAccess.class);
            assertThat(access.region()).isEqualTo("us-east-1");
            assertThat(access.endpoint().toString()).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com");
        });
    }

    @Test
    void bedrockAnthropic_sameAccess_claudesOwnEventsThroughInvokeWithResponseStream() {
        runner.withPropertyValues("sluice.bedrock.base-url=" + base, "sluice.bedrock.api-key=" + FakeBedrock.API_KEY)
                .run(context -> {
                    assertThat(context.getBean(SluiceAutoConfiguration.BEDROCK_ANTHROPIC_CLIENT))
                            .isInstanceOf(AnthropicClient.class);
                    SluiceProviders providers = context.getBean(SluiceProviders.class);
                    // the named client is no "anthropic": it is no default candidate
                    assertThat(providers.all())
                            .extracting(SluiceProviders.Named::name)
                            .containsExactly(
                                    "bedrock",
                                    "bedrock-anthropic",
                                    "bedrock-openai",
                                    "bedrock-openai-responses",
                                    "bedrock-mantle-anthropic");
                    SluiceProviders.Named claude =
                            providers.named("bedrock-anthropic").orElseThrow();
                    assertThat(claude.model()).isEqualTo(CLAUDE_ON_BEDROCK);
                    assertThat(answer(claude.provider(), claude.model())).isNotBlank();
                    assertThat(lastRequestTo(
                                    "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/invoke-with-response-stream"))
                            .isNotNull();
                });
    }

    /**
     * The catalog's three providers on Bedrock's OpenAI-compatible and mantle endpoints, from
     * {@code sluice.bedrock.*}: each named by its id, with the catalog's default model, streaming
     * from its host and path, signed for its host's service; and a fallback over them.
     */
    @Test
    void bedrockOpenAiAndMantle_sameAccess_eachProviderOnItsHostSignedForItsService() {
        runner.withPropertyValues(
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.mantle-base-url=" + base + FakeBedrock.MANTLE_PATH,
                        "sluice.bedrock.region=us-east-2",
                        "sluice.bedrock.access-key-id=" + FakeBedrock.ACCESS_KEY_ID,
                        "sluice.bedrock.secret-access-key=" + FakeBedrock.SECRET_ACCESS_KEY,
                        "sluice.bedrock.openai-responses-model=openai.gpt-oss-120b",
                        "sluice.fallback=bedrock-mantle-anthropic, bedrock-openai-responses, bedrock-openai")
                .run(context -> {
                    SluiceProviders providers = context.getBean(SluiceProviders.class);
                    SluiceProviders.Named chat =
                            providers.named("bedrock-openai").orElseThrow();
                    assertThat(chat.model()).isEqualTo(ProviderCatalog.BEDROCK_OPENAI.defaultModel());
                    assertThat(answer(chat.provider(), chat.model())).isNotBlank();
                    assertThat(lastRequestTo("/openai/v1/chat/completions").header("authorization"))
                            .contains("/us-east-2/bedrock/aws4_request");

                    SluiceProviders.Named responses =
                            providers.named("bedrock-openai-responses").orElseThrow();
                    assertThat(responses.model()).isEqualTo("openai.gpt-oss-120b");
                    assertThat(answer(responses.provider(), responses.model())).isNotBlank();
                    assertThat(lastRequestTo("/mantle/v1/responses").header("authorization"))
                            .contains("/us-east-2/bedrock-mantle/aws4_request");
                    assertThat(answer(responses.provider(), "openai.gpt-5.6-terra"))
                            .isNotBlank();
                    assertThat(lastRequestTo("/mantle/openai/v1/responses")).isNotNull();

                    SluiceProviders.Named claude =
                            providers.named("bedrock-mantle-anthropic").orElseThrow();
                    assertThat(claude.model()).isEqualTo(ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC.defaultModel());
                    assertThat(answer(claude.provider(), claude.model())).isNotBlank();
                    assertThat(lastRequestTo("/mantle/anthropic/v1/messages").header("authorization"))
                            .contains("/us-east-2/bedrock-mantle/aws4_request");

                    assertThat(context.getBean(FallbackChain.class).targetNames())
                            .containsExactly(
                                    "bedrock-mantle-anthropic:anthropic.claude-opus-4-8",
                                    "bedrock-openai-responses:openai.gpt-oss-120b",
                                    "bedrock-openai:us.openai.gpt-6-sol");
                    assertThat(context.getBean(SluiceProperties.class).toString())
                            .doesNotContain(FakeBedrock.SECRET_ACCESS_KEY);
                });
    }

    @Test
    void usersOwnAwsAccess_wins_bothBedrockClientsUseIt() {
        AwsAccess own = AwsAccess.builder()
                .endpoint(base)
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
        runner.withBean("ownAws", AwsAccess.class, () -> own)
                .withPropertyValues("sluice.bedrock.region=eu-west-1", "sluice.bedrock.model=amazon.nova-pro-v1:0")
                .run(context -> {
                    assertThat(context.getBean(AwsAccess.class)).isSameAs(own);
                    SluiceProviders.Named converse = context.getBean(SluiceProviders.class)
                            .named("bedrock")
                            .orElseThrow();
                    assertThat(answer(converse.provider(), converse.model())).isNotBlank();
                    assertThat(lastRequestTo("/model/amazon.nova-pro-v1%3A0/converse-stream")
                                    .header("authorization"))
                            .startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/");
                });
    }

    @Test
    void vertex_usersOwnAccessWithItsTokens_geminiAndClaudeOnVertexStreamFromIt() {
        VertexAccess own = VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .location("us-central1")
                .endpoint(base)
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        FakeVertex.ACCESS_TOKEN, java.time.Instant.now().plusSeconds(3600)))
                .build();
        runner.withBean("ownVertex", VertexAccess.class, () -> own)
                .withPropertyValues("sluice.vertex.project=" + FakeVertex.PROJECT)
                .run(context -> {
                    SluiceProviders providers = context.getBean(SluiceProviders.class);
                    assertThat(providers.all())
                            .extracting(SluiceProviders.Named::name)
                            .containsExactly("vertex", "vertex-anthropic");
                    for (SluiceProviders.Named p : providers.all())
                        assertThat(answer(p.provider(), p.model())).isNotBlank();
                    String at = "/v1/projects/" + FakeVertex.PROJECT + "/locations/us-central1/publishers/";
                    assertThat(lastRequestTo(at + "google/models/gemini-3.8-flash:streamGenerateContent"))
                            .isNotNull();
                    assertThat(lastRequestTo(at + "anthropic/models/claude-sonnet-5-5:streamRawPredict"))
                            .isNotNull();
                });
    }

    @Test
    void vertex_properties_theAccessHasThemAndNothingIsFetchedAtStartup() {
        runner.withPropertyValues(
                        "sluice.vertex.project=my-project",
                        "sluice.vertex.location=europe-west1",
                        "sluice.vertex.anthropic-model=claude-opus-4-1@20250805")
                .run(context -> {
                    VertexAccess access = context.getBean(VertexAccess.class);
                    assertThat(access.project()).isEqualTo("my-project");
                    assertThat(access.location()).isEqualTo("europe-west1");
                    assertThat(access.endpoint().toString())
                            .isEqualTo("https://europe-west1-aiplatform.googleapis.com");
                    assertThat(context.getBean(SluiceProviders.class)
                                    .named("vertex-anthropic")
                                    .orElseThrow()
                                    .model())
                            .isEqualTo("claude-opus-4-1@20250805");
                });
    }

    @Test
    void vertex_apiKeyOrABadLocation_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.vertex.project=my-project", "sluice.vertex.api-key=" + KEY)
                .run(context -> assertThat(failure(context))
                        .contains("sluice.vertex.api-key")
                        .contains("Vertex AI takes no API key")
                        .doesNotContain(KEY));
        runner.withPropertyValues("sluice.vertex.location=the moon")
                .run(context -> assertThat(failure(context)).contains("sluice.vertex.location"));
    }

    @Test
    void azure_theResourcesKey_azureOpenAiItsResponsesAndClaudeOnFoundryStream() {
        runner.withPropertyValues(
                        "sluice.azure.base-url=" + base,
                        "sluice.azure.api-key=" + FakeAzure.API_KEY,
                        "sluice.azure.model=my-gpt-deployment",
                        "sluice.azure.foundry.base-url=" + base + "/anthropic",
                        "sluice.azure.foundry.api-key=" + FakeAzure.API_KEY)
                .run(context -> {
                    SluiceProviders providers = context.getBean(SluiceProviders.class);
                    assertThat(providers.all())
                            .extracting(SluiceProviders.Named::name)
                            .containsExactly("azure-openai", "azure-openai-responses", "foundry-anthropic");
                    for (SluiceProviders.Named p : providers.all())
                        assertThat(answer(p.provider(), p.model())).isNotBlank();
                    assertThat(lastRequestTo("/openai/v1/chat/completions").json("/model"))
                            .isEqualTo("my-gpt-deployment");
                    assertThat(lastRequestTo("/openai/v1/responses").json("/model"))
                            .isEqualTo("gpt-6.1-terra");
                    assertThat(lastRequestTo("/anthropic/v1/messages").header("x-api-key"))
                            .isEqualTo(FakeAzure.API_KEY);
                    assertThat(context.getBean(SluiceProperties.class).toString())
                            .doesNotContain(FakeAzure.API_KEY);
                });
    }

    @Test
    void azure_keyWithoutEndpointOrFoundryResourceAndBaseUrl_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.azure.api-key=" + FakeAzure.API_KEY)
                .run(context -> assertThat(failure(context))
                        .contains("sluice.azure.base-url")
                        .contains("Azure OpenAI needs its endpoint")
                        .doesNotContain(FakeAzure.API_KEY));
        runner.withPropertyValues(
                        "sluice.azure.foundry.resource=my-resource",
                        "sluice.azure.foundry.base-url=" + base,
                        "sluice.azure.foundry.api-key=" + FakeAzure.API_KEY)
                .run(context -> assertThat(failure(context))
                        .contains("sluice.azure.foundry.resource")
                        .contains("not both"));
        runner.withPropertyValues("sluice.azure.base-url=" + base, "sluice.azure.api-key=${SLUICE_TEST_UNSET_KEY}")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.azure.api-key")
                        .contains("${SLUICE_TEST_UNSET_KEY}"));
    }

    @Test
    void fallback_acrossTheClouds_anthropicThenClaudeOnBedrockVertexAndFoundry() {
        VertexAccess vertex = VertexAccess.builder()
                .project(FakeVertex.PROJECT)
                .endpoint(base)
                .tokenProvider(() -> new AccessTokenProvider.Token(
                        FakeVertex.ACCESS_TOKEN, java.time.Instant.now().plusSeconds(3600)))
                .build();
        runner.withBean(VertexAccess.class, () -> vertex)
                .withPropertyValues(
                        "sluice.anthropic.base-url=" + base,
                        "sluice.anthropic.model=fake-overloaded",
                        "sluice.anthropic.max-retries=0",
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.api-key=" + FakeBedrock.API_KEY,
                        "sluice.bedrock.max-retries=0",
                        "sluice.vertex.project=" + FakeVertex.PROJECT,
                        "sluice.azure.foundry.base-url=" + base + "/anthropic",
                        "sluice.azure.foundry.api-key=" + FakeAzure.API_KEY,
                        "sluice.fallback=anthropic, bedrock-anthropic:fake-overloaded, vertex-anthropic, foundry-anthropic")
                .run(context -> {
                    FallbackChain chain = context.getBean(FallbackChain.class);
                    assertThat(chain.targetNames())
                            .containsExactly(
                                    "anthropic:fake-overloaded",
                                    "bedrock-anthropic:fake-overloaded",
                                    "vertex-anthropic:claude-sonnet-5-5",
                                    "foundry-anthropic:claude-sonnet-5-5");
                    assertThat(answer(context.getBean(ChatProvider.class), "ignored"))
                            .isNotBlank();
                    assertThat(chain.failovers()).isEqualTo(2);
                    assertThat(lastRequestTo("/v1/projects/" + FakeVertex.PROJECT
                                    + "/locations/global/publishers/anthropic/models/"
                                    + "claude-sonnet-5-5:streamRawPredict"))
                            .isNotNull();
                });
    }

    @Test
    void bedrock_accessKeyWithoutSecretOrBadRegion_startupFailsNamingTheProperty() {
        runner.withPropertyValues("sluice.bedrock.region=us-east-1", "sluice.bedrock.access-key-id=AKIDEXAMPLE")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.bedrock.secret-access-key")
                        .contains("need both"));
        runner.withPropertyValues("sluice.bedrock.region=Frankfurt", "sluice.bedrock.api-key=" + FakeBedrock.API_KEY)
                .run(context -> assertThat(failure(context))
                        .contains("sluice.bedrock.region")
                        .contains("Frankfurt"));
    }

    @Test
    void bedrock_secretAnUnresolvedPlaceholder_startupFailsNamingTheProperty() {
        for (String property :
                List.of("sluice.bedrock.api-key", "sluice.bedrock.secret-access-key", "sluice.bedrock.session-token")) {
            runner.withPropertyValues(
                            "sluice.bedrock.base-url=" + base,
                            "sluice.bedrock.access-key-id=" + FakeBedrock.ACCESS_KEY_ID,
                            "sluice.bedrock.secret-access-key=x",
                            property + "=${SLUICE_TEST_UNSET_KEY}") // the last value of a property wins
                    .run(context ->
                            assertThat(failure(context)).contains(property).contains("${SLUICE_TEST_UNSET_KEY}"));
        }
    }

    @Test
    void fallback_toABedrockModelIdWithColons_splitOnTheFirstColon_streamsFromBedrock() {
        runner.withPropertyValues(
                        "sluice.anthropic.base-url=http://127.0.0.1:1",
                        "sluice.anthropic.max-retries=0",
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.api-key=" + FakeBedrock.API_KEY,
                        "sluice.fallback=anthropic, bedrock:" + CLAUDE_ON_BEDROCK)
                .run(context -> {
                    FallbackChain chain = context.getBean(FallbackChain.class);
                    assertThat(chain.targetNames())
                            .containsExactly("anthropic:claude-sonnet-5-5", "bedrock:" + CLAUDE_ON_BEDROCK);
                    assertThat(answer(context.getBean(ChatProvider.class), "ignored"))
                            .isNotBlank();
                    assertThat(chain.failovers()).isEqualTo(1);
                    assertThat(lastRequestTo(CONVERSE)).isNotNull();
                });
    }

    @Test
    void fallback_bedrockWithoutClient_startupFailsSayingWhatToSet() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + base, "sluice.fallback=anthropic,bedrock")
                .run(context ->
                        assertThat(failure(context)).contains("sluice.fallback").contains("sluice.bedrock.region"));
    }

    private static RecordedRequest lastRequestTo(String path) {
        List<RecordedRequest> requests = fake.requests();
        for (int i = requests.size() - 1; i >= 0; i--)
            if (requests.get(i).path().equals(path)) return requests.get(i);
        return null;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean
        AnthropicClient ownAnthropic() {
            return AnthropicClient.builder().baseUrl(base).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnResponsesClient {
        @Bean(name = SluiceAutoConfiguration.OPENAI_RESPONSES_CLIENT, defaultCandidate = false)
        OpenAiClient responses() {
            return OpenAiClient.builder().baseUrl(base).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Observing {
        final List<StreamStart> starts = new CopyOnWriteArrayList<>();

        @Bean
        StreamObserver recording() {
            return start -> {
                starts.add(start);
                return StreamObserver.Observation.NONE;
            };
        }
    }
}
