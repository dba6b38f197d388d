package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.testkit.FakeLlmServer;
import org.jspecify.annotations.Nullable;

/**
 * The client each example's {@code main} uses: the real API ({@link AnthropicClient#fromEnv()})
 * when {@code ANTHROPIC_API_KEY} is set, otherwise the embedded fake server on loopback, so every
 * example runs offline. Closing it closes the client, then the fake server if one was started.
 */
public final class ExampleClient implements AutoCloseable {
    /** The model the examples ask for. */
    public static final String MODEL = "claude-sonnet-5-5";

    private final AnthropicClient client;
    private final @Nullable FakeLlmServer fake;

    private ExampleClient(AnthropicClient client, @Nullable FakeLlmServer fake) {
        this.client = client;
        this.fake = fake;
    }

    /** {@return a client of the real API when ANTHROPIC_API_KEY is set, else of a fake server started now} */
    public static ExampleClient open() {
        String key = System.getenv("ANTHROPIC_API_KEY");
        if (key != null && !key.isBlank()) return new ExampleClient(AnthropicClient.fromEnv(), null);
        FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(70).start();
        System.err.println("(no ANTHROPIC_API_KEY set: using the embedded fake server at " + fake.baseUrl() + ")");
        return new ExampleClient(
                AnthropicClient.builder()
                        .apiKey("fake")
                        .baseUrl(fake.baseUrl().toString())
                        .build(),
                fake);
    }

    /** {@return the client} */
    public AnthropicClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        if (fake != null) fake.close();
    }
}
