package dev.sluice.internal.low.auth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one snapshot of the machine the clouds' credential sources read: the environment variables and
 * the system properties (the home directory, whether it is Windows, and AWS's {@code aws.*} settings
 * among them). Every cloud's chain reads one ({@code AwsSettings} holds it with the clock and the
 * transport). Tests pass their own; nothing here reads or changes the real environment but
 * {@link #current()}.
 *
 * @param variables the environment variables
 * @param properties the system properties
 */
public record Environment(Map<String, String> variables, Map<String, String> properties) {
    /** @throws NullPointerException if either is null, or holds a null */
    public Environment {
        variables = Map.copyOf(variables);
        properties = Map.copyOf(properties);
    }

    /** {@return this process's environment variables and system properties} */
    public static Environment current() {
        Properties p = System.getProperties();
        Map<String, String> properties = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            @Nullable String v = p.getProperty(name);
            if (v != null) properties.put(name, v);
        }
        return new Environment(System.getenv(), properties);
    }

    /** {@return an environment of these variables, with this home, not Windows} */
    public static Environment of(Map<String, String> variables, Path userHome) {
        return of(variables, userHome, false);
    }

    /** {@return an environment of these variables, with this home, on Windows or not} */
    public static Environment of(Map<String, String> variables, Path userHome, boolean windows) {
        return new Environment(
                variables, Map.of("user.home", userHome.toString(), "os.name", windows ? "Windows 11" : "Linux"));
    }

    /** {@return these properties with these variables in place of this environment's} */
    public Environment withVariables(Map<String, String> variables) {
        return new Environment(variables, properties);
    }

    /** {@return the variable's value, when it is set and not blank} */
    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** {@return the user's home directory ({@code user.home})} */
    public Path userHome() {
        return Path.of(properties.getOrDefault("user.home", ""));
    }

    /** {@return whether the OS is Windows ({@code os.name}), where gcloud keeps its files under {@code %APPDATA%}} */
    public boolean windows() {
        return properties.getOrDefault("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** {@return the numbers of variables and properties only: values may be secrets} */
    @Override
    public String toString() {
        return "Environment[" + variables.size() + " variables, " + properties.size() + " properties, home "
                + userHome() + (windows() ? ", Windows" : "") + "]";
    }
}
