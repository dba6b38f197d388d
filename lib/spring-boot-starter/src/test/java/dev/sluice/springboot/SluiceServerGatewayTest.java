package dev.sluice.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.FakeLlmExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's doors of a real Boot application on Tomcat, assembled from the same server
 * specification as {@code sluice serve}'s: a route's target that broke off mid-answer is not
 * restarted for the door's client (nor is the {@code sluice.fallback} chain's) and is asked last
 * within the failover cooldown; a bare model id that two providers offer goes to its maker's own
 * API; {@code sluice.server.responses-websocket=false} answers the Responses API's WebSocket upgrade
 * 426.
 */
class SluiceServerGatewayTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {}

    private static ConfigurableApplicationContext start(String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "sluice.server.enabled=true",
                "sluice.anthropic.base-url=" + FAKE.server().baseUrl(),
                "sluice.openai.base-url=" + FAKE.server().baseUrl(),
                "logging.level.root=warn"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        return URI.create("http://127.0.0.1:"
                + ((WebServerApplicationContext) app).getWebServer().getPort() + "/sluice" + path);
    }

    private static String messages(ConfigurableApplicationContext app, String model, boolean stream) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(app, "/v1/messages"))
                        .header("Content-Type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                + "\",\"max_tokens\":256,\"stream\":" + stream
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void route_firstTargetDropsAfterText_errorEventNoRestart_thenTheRetryIsAnsweredByTheNextTarget() throws Exception {
        try (ConfigurableApplicationContext app =
                start("sluice.server.routes.fast=anthropic:fake-drop,anthropic:claude-opus-4-6")) {
            String cut = messages(app, "fast", true);
            assertThat(cut).containsOnlyOnce("event: message_start\n");
            assertThat(cut).contains("event: content_block_delta\n", "event: error\n");
            assertThat(cut).doesNotContain("event: message_stop\n");
            assertThat(cut).as("no restarted answer was thrown away").doesNotContain("overloaded_error");

            String retry = messages(app, "fast", true); // within the cooldown: the next target first
            assertThat(retry).contains("event: message_stop\n").doesNotContain("event: error\n");
        }
    }

    @Test
    void fallbackChain_firstTargetDropsAfterText_errorNoRestartAtTheDoor() throws Exception {
        try (ConfigurableApplicationContext app =
                start("sluice.fallback=anthropic:fake-drop,anthropic:claude-opus-4-6")) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(uri(app, "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"anthropic/fake-drop\",\"stream\":true,\"messages\":"
                                            + "[{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String cut = r.body();
            assertThat(cut).contains("\"content\":", "data: {\"error\":");
            assertThat(cut).as("no restarted answer was thrown away").doesNotContain("failover_restart");
        }
    }

    @Test
    void bareModelIdTwoProvidersOffer_goesToItsMakersOwnApi() throws Exception {
        try (ConfigurableApplicationContext app = start("sluice.server.models.openai=gpt-6-luna,claude-sonnet-5-5")) {
            assertThat(messages(app, "claude-sonnet-5-5", false))
                    .startsWith("200 ")
                    .contains("\"model\":\"claude-sonnet-5-5\"");
        }
    }

    @Test
    void responsesWebSocketOff_theUpgradeIsAnswered426() {
        try (ConfigurableApplicationContext app = start("sluice.server.responses-websocket=false")) {
            URI ws = URI.create(uri(app, "/v1/responses").toString().replace("http:", "ws:"));
            assertThatThrownBy(() -> HTTP.newWebSocketBuilder()
                            .buildAsync(ws, new WebSocket.Listener() {})
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(426));
        }
    }
}
