package dev.sluice.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The providers {@code sluice stream --provider} accepts. Adding one is one entry: its name, its
 * environment variables, a default model and a {@link StreamBackend.Factory} (for a
 * {@link dev.sluice.chat.ChatProvider}, {@code (key, base, retries) -> new ChatBackend(client, client)}).
 * A name listed without a factory is valid on the command line but not built into this jar.
 */
final class Providers {
    private Providers() {}

    /**
     * One provider.
     *
     * @param keyVariable the environment variable with the API key
     * @param baseUrlVariable the environment variable with the base URL (without the version path)
     * @param factory how to connect; null when the provider's client is not in this build
     * @param hasFakeServer whether the embedded fake server speaks this provider's API
     */
    record Provider(String name, String keyVariable, String baseUrlVariable, String defaultModel,
                    StreamBackend.Factory factory, boolean hasFakeServer) {
        Optional<StreamBackend.Factory> available() {
            return Optional.ofNullable(factory);
        }
    }

    /** The default provider. */
    static final String DEFAULT = "anthropic";

    private static final Map<String, Provider> ALL = table();

    private static Map<String, Provider> table() {
        Map<String, Provider> m = new LinkedHashMap<>();
        for (Provider p : new Provider[] {
                new Provider("anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "claude-sonnet-4-5",
                        AnthropicBackend::connect, true),
                new Provider("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL", "gpt-4o-mini", null, false),
                new Provider("gemini", "GEMINI_API_KEY", "GEMINI_BASE_URL", "gemini-2.5-flash", null, false),
        }) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** {@return the provider of that name, if it is one the command knows} */
    static Optional<Provider> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** {@return the names, for messages: "anthropic, openai, gemini"} */
    static String names() {
        return String.join(", ", ALL.keySet());
    }
}
