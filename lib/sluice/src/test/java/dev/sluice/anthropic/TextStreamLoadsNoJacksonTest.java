package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fresh JVM that sends a request and reads a whole text stream (the recorded
 * {@code text-basic.sse}) into its final message loads no Jackson class and not BigDecimal: what
 * a first request pays for on a fresh JVM. Runs the stream in a child JVM with class-load logging.
 */
class TextStreamLoadsNoJacksonTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    /** The child: streams from the URL given and prints the final message's text. */
    public static void main(String[] args) {
        try (AnthropicClient client = AnthropicClient.builder()
                        .apiKey(ClientTestSupport.KEY)
                        .baseUrl(args[0])
                        .retryPolicy(RetryPolicy.none())
                        .build();
                MessageStream stream = client.messages().stream(MessageRequest.builder()
                        .model("m")
                        .maxTokens(16)
                        .addUserMessage("Hello")
                        .temperature(0.5)
                        .build())) {
            stream.forEach(e -> {});
            System.out.println("TEXT:" + stream.result().text());
        }
    }

    @Test
    void textStream_freshJvm_loadsNoJacksonClassNorBigDecimal() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/anthropic/text-basic.sse")) {
            body = in.readAllBytes();
        }
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(body));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TextStreamLoadsNoJacksonTest.class.getName(),
                        FAKE.server().baseUrl().toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines;
        try (InputStream out = child.getInputStream()) {
            lines = new String(out.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not end");
        assertEquals(0, child.exitValue(), () -> String.join("\n", lines));
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("TEXT:") && l.length() > 5), () -> String.join("\n", lines));
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("dev.sluice.anthropic.AnthropicEventDecoder ")),
                "class-load logging did not show the decoder");
        String offending = lines.stream()
                .filter(l -> l.contains("com.fasterxml") || l.contains("java.math.BigDecimal "))
                .collect(Collectors.joining("\n"));
        assertEquals("", offending);
        assertEquals(1, ClientTestSupport.requests(FAKE.server()));
    }
}
