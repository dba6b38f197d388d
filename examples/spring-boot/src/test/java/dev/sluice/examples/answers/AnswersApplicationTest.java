package dev.sluice.examples.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * docs/spring.md's whole Boot application (its file, but for the package line: DocsCodeTest), started
 * as its {@code main} does, with the doc's own properties block, pointed at the fake model as the doc
 * says to run offline: {@code GET /answer} streams the answer through the starter's provider.
 */
class AnswersApplicationTest {
    /** {@return the lines of docs/spring.md's properties for the starter, each as a command-line argument} */
    private static List<String> docsProperties() throws IOException {
        List<String> doc = Files.readAllLines(Path.of("../../docs/spring.md"), StandardCharsets.UTF_8);
        int section = doc.indexOf("## Spring Boot starter");
        int fence = section + doc.subList(section, doc.size()).indexOf("```properties");
        List<String> properties = new ArrayList<>();
        for (String line : doc.subList(fence + 1, doc.size())) {
            if (line.equals("```")) break;
            properties.add("--" + line);
        }
        return properties;
    }

    @Test
    void answer_withTheDocsProperties_offline_streamsThroughTheStartersProvider() throws Exception {
        List<String> args = new ArrayList<>(docsProperties());
        assertTrue(args.contains("--sluice.anthropic.api-key=${ANTHROPIC_API_KEY:}"), args.toString());
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            args.addAll(List.of(
                    "--sluice.anthropic.base-url=" + fake.baseUrl(),
                    "--sluice.openai.base-url=" + fake.baseUrl(), // offline, as the doc says
                    "--server.port=0",
                    "--spring.main.banner-mode=off"));
            try (ConfigurableApplicationContext app =
                    AnswersApplication.application().run(args.toArray(String[]::new))) {
                // its own port unless told: not sluice serve's 8080, which the doc's serve-fake and serve use
                assertEquals(
                        "8082",
                        app.getEnvironment()
                                .getPropertySources()
                                .get("defaultProperties")
                                .getProperty("server.port"));
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                HttpResponse<String> answer = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/answer?question=hello"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(!answer.body().isBlank(), answer.body());
                assertEquals("/v1/messages", fake.requests().getLast().path()); // the chain's first target: Claude
            }
        }
    }
}
