package dev.sluice.mcp;

import org.jspecify.annotations.Nullable;

/**
 * Tool names as every provider takes them: Anthropic and OpenAI allow 1 to 64 of {@code a-z A-Z
 * 0-9 _ -}, Gemini the same starting with a letter or an underscore. MCP allows more (2025-11-25
 * server/tools "Tool Names": up to 128 characters, dots too); such a name is mapped (each other
 * character becomes {@code _}, a leading digit or hyphen gets a {@code _} before it) and the call
 * still goes to the server under its own name; one that stays too long is refused.
 */
final class ToolNames {
    static final int MAX = 64;

    private ToolNames() {}

    /** {@return the name the model sees; null when no mapping fits the providers' rules} */
    static @Nullable String forModels(String mcpName) {
        StringBuilder b = new StringBuilder(mcpName.length() + 1);
        for (int i = 0; i < mcpName.length(); i++) {
            char c = mcpName.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
        if (b.isEmpty()) return null;
        char first = b.charAt(0);
        if ((first >= '0' && first <= '9') || first == '-') b.insert(0, '_');
        return b.length() <= MAX ? b.toString() : null;
    }
}
