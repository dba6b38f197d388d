package dev.sluice.springboot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Refuses a secret (an API key, a header's value, the server's token) that still holds a
 * {@code ${…}} placeholder. Spring leaves a placeholder whose variable is unset as it is, so
 * {@code sluice.anthropic.api-key=${ANTHROPIC_API_KEY}} without the variable would start the
 * application and send the text {@code ${ANTHROPIC_API_KEY}} upstream as the key.
 */
final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)[^}]*}");

    private Placeholders() {}

    /**
     * Throws, naming the property and the fix, when the value holds an unresolved placeholder;
     * the message shows the placeholder, never the rest of the value.
     *
     * @param property the property's full name
     * @param value its value as bound, or null
     * @throws InvalidConfigurationPropertyValueException when the value holds {@code ${…}}
     */
    static void refuseUnresolved(String property, @Nullable String value) {
        if (value == null) return;
        Matcher m = PLACEHOLDER.matcher(value);
        if (!m.find()) return;
        String variable =
                m.group(1).strip().isEmpty() ? "THE_VARIABLE" : m.group(1).strip();
        throw new InvalidConfigurationPropertyValueException(
                property,
                "(hidden)",
                "it holds the placeholder " + m.group()
                        + ", which nothing resolved, and would be sent as it is: set " + variable
                        + " in the environment, or write ${"
                        + variable + ":} so that an unset variable leaves the property empty");
    }
}
