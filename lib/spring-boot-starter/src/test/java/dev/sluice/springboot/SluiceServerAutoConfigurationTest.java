package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.RelayServlet;
import dev.sluice.testkit.FakeLlmExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The relay's servlet on the application's container: when it is mounted, where, and with which rules. */
class SluiceServerAutoConfigurationTest {
    private static final String TOKEN = "a-token-of-sixteen-chars";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SluiceAutoConfiguration.class, SluiceServerAutoConfiguration.class));

    private WebApplicationContextRunner enabled(String... more) {
        return runner.withPropertyValues(
                        "sluice.server.enabled=true",
                        "server.address=127.0.0.1",
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                        "sluice.openai.base-url=" + FAKE.server().baseUrl())
                .withPropertyValues(more);
    }

    private static String failure(AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause())
            messages.append(t.getMessage()).append('\n');
        return messages.toString();
    }

    @SuppressWarnings("unchecked")
    private static ServletRegistrationBean<RelayServlet> servlet(AssertableWebApplicationContext context) {
        return context.getBean("sluiceRelayServlet", ServletRegistrationBean.class);
    }

    @Test
    void notEnabled_noServlet() {
        runner.withPropertyValues("sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context ->
                        assertThat(context).doesNotHaveBean(RelayHttpApi.class).doesNotHaveBean("sluiceRelayServlet"));
    }

    @Test
    void enabled_servletAtTheDefaultPath_asyncSupported_everyProviderOffered() {
        enabled().run(context -> {
            ServletRegistrationBean<RelayServlet> servlet = servlet(context);
            assertThat(servlet.getUrlMappings()).containsExactly("/sluice/*");
            assertThat(servlet.isAsyncSupported()).isTrue();
            assertThat(servlet.getServlet().routes()).isSameAs(context.getBean(RelayHttpApi.class));
            assertThat(context.getBean(Relay.class).providers())
                    .containsExactly(
                            java.util.Map.entry("anthropic", "claude-sonnet-5-5"),
                            java.util.Map.entry("openai", "gpt-6-luna"));
            assertThat(context.getBean(RelayHttpApi.class).requiresToken()).isFalse();
        });
    }

    @Test
    void token_keysServedInTheApplicationsStoreOrInMemory_noTokenNoKeys() {
        enabled()
                .run(context ->
                        assertThat(context.getBean(RelayHttpApi.class).keys()).isEmpty());
        enabled("sluice.server.token=" + TOKEN)
                .run(context ->
                        assertThat(context.getBean(RelayHttpApi.class).keys()).isPresent());
        dev.sluice.relay.ApiKeyStore own = dev.sluice.relay.ApiKeyStore.inMemory();
        enabled("sluice.server.token=" + TOKEN)
                .withBean(dev.sluice.relay.ApiKeyStore.class, () -> own)
                .run(context ->
                        assertThat(context.getBean(RelayHttpApi.class).keys()).containsSame(own));
    }

    @Test
    void routes_eachAliasAChainOfferedToThePageAndTheGateway() {
        enabled("sluice.server.routes.fast=anthropic:claude-haiku-4-5,openai").run(context -> {
            assertThat(context.getBean(Relay.class).providers()).containsEntry("fast", "claude-haiku-4-5");
            dev.sluice.relay.http.ServerSpec spec = context.getBean(dev.sluice.relay.http.ServerSpec.class);
            assertThat(spec.routeChains()).containsOnlyKeys("fast");
            assertThat(spec.routeChains().get("fast").targetNames())
                    .containsExactly("anthropic:claude-haiku-4-5", "openai:gpt-6-luna");
        });
        enabled("sluice.server.routes.fast=nobody:x")
                .run(context -> assertThat(failure(context)).contains("sluice.server.routes.fast"));
        enabled("sluice.server.routes.openai=anthropic")
                .run(context -> assertThat(failure(context)).contains("a provider's name"));
    }

    @Test
    void path_mappedUnderIt_rootMapsEverything() {
        enabled("sluice.server.path=/chat/")
                .run(context -> assertThat(servlet(context).getUrlMappings()).containsExactly("/chat/*"));
        enabled("sluice.server.path=/")
                .run(context -> assertThat(servlet(context).getUrlMappings()).containsExactly("/*"));
    }

    @Test
    void badPath_startupFailsNamingTheProperty() {
        enabled("sluice.server.path=sluice/*")
                .run(context -> assertThat(failure(context)).contains("sluice.server.path"));
    }

    @Test
    void notAWebApplication_noServlet() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SluiceAutoConfiguration.class, SluiceServerAutoConfiguration.class))
                .withPropertyValues(
                        "sluice.server.enabled=true",
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RelayHttpApi.class));
    }

    @Test
    void sluiceServerMissing_noServlet() {
        enabled()
                .withClassLoader(new FilteredClassLoader(RelayServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RelayHttpApi.class));
    }

    @Test
    void noProvider_startupFailsSayingWhatToSet() {
        runner.withPropertyValues("sluice.server.enabled=true", "server.address=127.0.0.1")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.server.enabled")
                        .contains("sluice.anthropic.api-key"));
    }

    @Test
    void beyondLoopbackWithoutToken_startupFailsNamingTheToken() {
        enabled("server.address=0.0.0.0")
                .run(context -> assertThat(failure(context)).contains("sluice.server.token"));
        runner.withPropertyValues(
                        "sluice.server.enabled=true",
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(failure(context))
                        .contains("sluice.server.token")
                        .contains("every address"));
    }

    @Test
    void serverAddressEmpty_startupFailsSayingItIsUnset() {
        runner.withPropertyValues(
                        "sluice.server.enabled=true",
                        "server.address=",
                        "sluice.anthropic.base-url=" + FAKE.server().baseUrl())
                .run(context -> assertThat(failure(context))
                        .contains("server.address is unset: every address")
                        .doesNotContain("server.address is )"));
    }

    @Test
    void tokenAnUnresolvedPlaceholder_startupFailsNamingIt() {
        enabled("sluice.server.token=${SLUICE_TEST_UNSET_TOKEN}")
                .run(context -> assertThat(failure(context))
                        .contains("sluice.server.token")
                        .contains("${SLUICE_TEST_UNSET_TOKEN}")
                        .contains("${SLUICE_TEST_UNSET_TOKEN:}"));
    }

    @Test
    void beyondLoopback_withTokenOrNoToken_starts() {
        enabled("server.address=0.0.0.0", "sluice.server.token=" + TOKEN)
                .run(context -> assertThat(context.getBean(RelayHttpApi.class).requiresToken())
                        .isTrue());
        enabled("server.address=0.0.0.0", "sluice.server.no-token=true")
                .run(context -> assertThat(context.getBean(RelayHttpApi.class).requiresToken())
                        .isFalse());
    }

    @Test
    void tokenAndNoToken_startupFails() {
        enabled("sluice.server.token=" + TOKEN, "sluice.server.no-token=true")
                .run(context -> assertThat(failure(context)).contains("sluice.server.no-token"));
    }

    @Test
    void shortToken_startupFailsNamingIt_withoutShowingIt() {
        enabled("sluice.server.token=short-secret").run(context -> {
            String failure = failure(context);
            assertThat(failure).contains("sluice.server.token").doesNotContain("short-secret");
        });
    }

    @Test
    void badOriginHostOrProxy_startupFailsNamingTheProperty() {
        enabled("sluice.server.allowed-origins=not an origin")
                .run(context -> assertThat(failure(context)).contains("sluice.server.allowed-origins"));
        enabled("sluice.server.allowed-hosts=bad host/")
                .run(context -> assertThat(failure(context)).contains("sluice.server.allowed-hosts"));
        enabled("sluice.server.trusted-proxies=10.0.0.0/99")
                .run(context -> assertThat(failure(context)).contains("sluice.server.trusted-proxies"));
    }

    /** The gateway's answer timeout is bound and checked: one that is not positive stops the start, naming it. */
    @Test
    void answerTimeout_boundAndChecked_notPositiveFailsNamingTheProperty() {
        enabled("sluice.server.answer-timeout=0s")
                .run(context -> assertThat(failure(context)).contains("sluice.server.answer-timeout"));
        enabled("sluice.server.answer-timeout=-5s")
                .run(context -> assertThat(failure(context)).contains("sluice.server.answer-timeout"));
        enabled("sluice.server.answer-timeout=90s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SluiceProperties.class).getServer().getAnswerTimeout())
                    .hasSeconds(90);
        });
        // with the gateway off, the value is not read
        enabled("sluice.server.answer-timeout=0s", "sluice.server.gateway=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void limits_reachTheRelay() {
        enabled(
                        "sluice.server.max-streams=3",
                        "sluice.server.heartbeat=5s",
                        "sluice.server.body-timeout=2s",
                        "sluice.server.trusted-proxies=10.0.0.0/8",
                        "sluice.server.models.openai=gpt-a,gpt-b",
                        "sluice.server.models.anthropic=*")
                .run(context -> {
                    Relay relay = context.getBean(Relay.class);
                    assertThat(relay.limits().maxStreams()).isEqualTo(3);
                    assertThat(relay.heartbeat()).hasSeconds(5);
                    RelayAdmission http = context.getBean(RelayHttpApi.class).admission();
                    assertThat(http.bodyTimeout()).hasSeconds(2);
                    assertThat(http.trustedProxies()).containsExactly("10.0.0.0/8");
                    assertThat(http.models()).containsOnlyKeys("openai");
                    assertThat(http.models().get("openai"))
                            .containsExactlyInAnyOrder("gpt-a", "gpt-b"); // a set: its order changes from JVM to JVM
                });
    }

    /** The clouds' providers on the page, with model lists of their own ids (colons and all) and the fallback chain's first with its model. */
    @Test
    void cloudProviders_offeredWithTheirModelLists_aBedrockModelIdWholeInTheFallback() {
        String base = FAKE.server().baseUrl().toString();
        runner.withPropertyValues(
                        "sluice.server.enabled=true",
                        "server.address=127.0.0.1",
                        "sluice.bedrock.base-url=" + base,
                        "sluice.bedrock.api-key=" + dev.sluice.testkit.clouds.FakeBedrock.API_KEY,
                        "sluice.fallback=bedrock:amazon.nova-pro-v1:0, bedrock-anthropic",
                        "sluice.server.models.bedrock=amazon.nova-pro-v1:0,us.anthropic.claude-sonnet-5-5",
                        "sluice.server.models.bedrock-anthropic=*")
                .run(context -> {
                    assertThat(context.getBean(Relay.class).providers())
                            .containsExactly(
                                    java.util.Map.entry("bedrock", "amazon.nova-pro-v1:0"),
                                    java.util.Map.entry("bedrock-anthropic", "us.anthropic.claude-sonnet-5-5"),
                                    // the same sluice.bedrock.* configures the OpenAI-compatible and mantle endpoints'
                                    java.util.Map.entry("bedrock-openai", "us.openai.gpt-6-sol"),
                                    java.util.Map.entry("bedrock-openai-responses", "openai.gpt-5.6-terra"),
                                    java.util.Map.entry("bedrock-mantle-anthropic", "anthropic.claude-opus-4-8"));
                    RelayAdmission http = context.getBean(RelayHttpApi.class).admission();
                    assertThat(http.models()) // bedrock-anthropic's any model; the others' their default
                            .containsOnlyKeys(
                                    "bedrock",
                                    "bedrock-openai",
                                    "bedrock-openai-responses",
                                    "bedrock-mantle-anthropic");
                    assertThat(http.models().get("bedrock-openai-responses")).containsExactly("openai.gpt-5.6-terra");
                    assertThat(http.models().get("bedrock"))
                            .containsExactlyInAnyOrder("amazon.nova-pro-v1:0", "us.anthropic.claude-sonnet-5-5");
                });
    }

    @Test
    void badLimit_startupFailsNamingTheProperty() {
        enabled("sluice.server.max-streams=0")
                .run(context -> assertThat(failure(context)).contains("sluice.server.max-streams"));
        enabled("sluice.server.models.mistral=x")
                .run(context -> assertThat(failure(context)).contains("sluice.server.models.mistral"));
    }

    @Test
    void fallback_theFirstProviderStreamsThroughTheChain_andIsTheDefault() {
        enabled("sluice.fallback=openai,anthropic").run(context -> {
            assertThat(context.getBean(Relay.class).providers().keySet()).containsExactly("openai", "anthropic");
            assertThat(context.getBean(RelayHttpApi.class).requiresToken()).isFalse();
        });
    }

    @Test
    void defaultProvider_property_putsItFirst() {
        enabled("sluice.server.provider=openai")
                .run(context -> assertThat(
                                context.getBean(Relay.class).providers().keySet())
                        .containsExactly("openai", "anthropic"));
        enabled("sluice.server.provider=gemini")
                .run(context -> assertThat(failure(context)).contains("sluice.server.provider"));
    }

    @Test
    void usersOwnRoutes_win_andNoRelayIsMade() {
        Relay relay = Relay.builder()
                .provider(
                        "own",
                        dev.sluice.anthropic.AnthropicClient.builder()
                                .baseUrl(FAKE.server().baseUrl().toString())
                                .build(),
                        "m")
                .build();
        RelayHttpApi own = RelayHttpApi.builder(new RelayAdmission(relay)).build();
        enabled().withBean(RelayHttpApi.class, () -> own).run(context -> {
            assertThat(context).doesNotHaveBean(Relay.class);
            assertThat(servlet(context).getServlet().routes()).isSameAs(own);
        });
        relay.close();
    }

    @Test
    void usersOwnRegistration_wins() {
        enabled()
                .withBean("sluiceRelayServlet", ServletRegistrationBean.class, ServletRegistrationBean::new)
                .run(context -> assertThat(servlet(context).getServlet()).isNull());
    }
}
