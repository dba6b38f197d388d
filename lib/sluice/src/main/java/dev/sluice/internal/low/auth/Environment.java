package dev.sluice.internal.low.auth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the credential sources read of the machine: the environment variables, the home directory
 * and whether it is Windows. Tests pass their own; nothing here reads or changes the real
 * environment but {@link #current()}.
 *
 * @param variables the environment variables
 * @param userHome the user's home directory ({@code user.home})
 * @param windows whether the OS is Windows ({@code os.name}), where gcloud keeps its files under {@code %APPDATA%}
 */
public record Environment(Map<String, String> variables, Path userHome, boolean windows) {
    public Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(userHome, "userHome");
    }

    /** {@return this process's environment, home directory and OS} */
    public static Environment current() {
        return new Environment(
                System.getenv(),
                Path.of(System.getProperty("user.home", "")),
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
    }

    /** {@return an environment of these variables, with this home, not Windows} */
    public static Environment of(Map<String, String> variables, Path userHome) {
        return new Environment(variables, userHome, false);
    }

    /** {@return this home and OS with these variables in place of this environment's} */
    public Environment withVariables(Map<String, String> variables) {
        return new Environment(variables, userHome, windows);
    }

    /** {@return the variable's value, when it is set and not blank} */
    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** {@return the names of the variables only: values may be secrets} */
    @Override
    public String toString() {
        return "Environment[" + variables.size() + " variables, home " + userHome + (windows ? ", Windows" : "") + "]";
    }
}
