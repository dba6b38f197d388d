package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.FakeLlmExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Whom the relay's limits count in a real Boot application on Tomcat, whatever
 * {@code server.forward-headers-strategy} says: the connection's peer, unless it is one of
 * {@code sluice.server.trusted-proxies}. Under {@code framework} Spring's
 * {@code ForwardedHeaderFilter}, under {@code native} Tomcat's {@code RemoteIpValve} (which trusts
 * loopback and the private networks by default) would otherwise let any client name itself with
 * {@code X-Forwarded-For} and take a new share of every limit per client with each name.
 */
class SluiceForwardedHeadersTest {
    private static final int CREATIONS = 3;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    /** {@return the status of each of several stream creations, each naming another client in X-Forwarded-For} */
    private static List<Integer> creationsUnderForgedNames(String strategy, String... more) throws Exception {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "server.forward-headers-strategy=" + strategy,
                "sluice.server.enabled=true",
                "sluice.server.max-creations-per-minute=" + CREATIONS,
                "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                "logging.level.root=warn"));
        properties.addAll(List.of(more));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new))
                .run()) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 1; i <= CREATIONS + 2; i++) {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sluice/api/streams"))
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-For", "203.0.113." + i)
                                .header("Forwarded", "for=198.51.100." + i)
                                .header("X-Real-IP", "192.0.2." + i)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.add(r.statusCode());
            }
            return statuses;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"framework", "native", "none"})
    void forgedForwardedFor_noTrustedProxies_oneClientOneShareOfTheCreations(String strategy) throws Exception {
        assertThat(creationsUnderForgedNames(strategy)).containsExactly(201, 201, 201, 429, 429);
    }

    @ParameterizedTest
    @ValueSource(strings = {"framework", "native", "none"})
    void forwardedFor_fromATrustedProxy_eachClientItsOwnShare(String strategy) throws Exception {
        assertThat(creationsUnderForgedNames(strategy, "sluice.server.trusted-proxies=127.0.0.1"))
                .containsOnly(201);
    }
}
