package dev.sluice.examples.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * docs/spring.md's whole Boot application (its file, but for the package line: DocsCodeTest), started
 * as its {@code main} does, with the doc's properties pointed at the fake model as the doc says to
 * run offline: {@code GET /answer} streams the answer through the starter's provider.
 */
class AnswersApplicationTest {
    @Test
    void answer_streamsThroughTheStartersProvider() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start();
             ConfigurableApplicationContext app = SpringApplication.run(AnswersApplication.class, "--server.port=0",
                     "--spring.main.banner-mode=off", "--sluice.anthropic.api-key=${SLUICE_TEST_UNSET_KEY:}",
                     "--sluice.openai.api-key=${SLUICE_TEST_UNSET_KEY:}", "--sluice.anthropic.base-url=" + fake.baseUrl(),
                     "--sluice.openai.base-url=" + fake.baseUrl(), "--sluice.fallback=anthropic,openai",
                     "--sluice.server.enabled=true", "--server.address=127.0.0.1")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/answer?question=hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(!answer.body().isBlank(), answer.body());
            assertEquals("/v1/messages", fake.requests().getLast().path()); // the chain's first target: Claude
        }
    }
}
