package dev.sluice.internal.low.aws;

import dev.sluice.internal.low.auth.Environment;
import dev.sluice.internal.low.http.HttpTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the AWS credential and region chains read, injected so that tests never touch the real
 * environment: the machine's one snapshot ({@link Environment}: the environment variables and the
 * system properties, which every cloud's credentials read), the clock (for expirations) and the HTTP
 * transport (for STS, the container endpoint and the instance metadata service: blocking HTTP/1.1,
 * unless a proxy is configured, see {@link HttpTransport.Builder#engine}).
 *
 * <p>A setting is read as the AWS SDK for Java 2.x reads its {@code SdkSystemSetting}s: the system
 * property first ({@code aws.region}), then the environment variable ({@code AWS_REGION}); a value
 * that is blank after trimming counts as unset.
 *
 * @param machine the environment variables and system properties
 * @param clock the clock expirations are compared with
 * @param http the transport the credential endpoints are called with; whoever made it closes it
 */
public record AwsSettings(Environment machine, Clock clock, HttpTransport http) {
    /** @throws NullPointerException if an argument is null */
    public AwsSettings {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(http, "http");
    }

    /**
     * Settings of these variables and properties.
     *
     * @throws NullPointerException if an argument is null, or a map holds a null
     */
    public AwsSettings(
            Map<String, String> environment, Map<String, String> systemProperties, Clock clock, HttpTransport http) {
        this(new Environment(environment, systemProperties), clock, http);
    }

    /** {@return this process's environment and system properties, the UTC system clock and the transport given} */
    public static AwsSettings system(HttpTransport http) {
        return new AwsSettings(Environment.current(), Clock.systemUTC(), http);
    }

    /** {@return the environment variables, as {@link System#getenv()} gives them} */
    public Map<String, String> environment() {
        return machine.variables();
    }

    /** {@return the system properties} */
    public Map<String, String> systemProperties() {
        return machine.properties();
    }

    /** {@return the number of variables and properties only: their values may be secrets} */
    @Override
    public String toString() {
        return "AwsSettings[" + environment().size() + " environment variables, "
                + systemProperties().size() + " system properties, clock=" + clock + "]";
    }
    /** {@return the system property, else the environment variable, trimmed; null when both are unset or blank} */
    @Nullable
    String setting(@Nullable String property, String variable) {
        @Nullable
        String v = property == null ? null : trimmed(systemProperties().get(property));
        return v != null ? v : trimmed(environment().get(variable));
    }

    /** {@return the environment variable, trimmed; null when unset or blank} */
    @Nullable
    String env(String variable) {
        return trimmed(environment().get(variable));
    }

    /**
     * {@return the user's home directory, as the SDK finds it: {@code HOME}, {@code USERPROFILE},
     * {@code HOMEDRIVE} + {@code HOMEPATH}, then the {@code user.home} property}
     */
    Path home() {
        String home = env("HOME");
        if (home == null) home = env("USERPROFILE");
        if (home == null && env("HOMEDRIVE") != null && env("HOMEPATH") != null)
            home = env("HOMEDRIVE") + env("HOMEPATH");
        if (home == null) home = trimmed(systemProperties().get("user.home"));
        return Path.of(home == null ? "." : home);
    }

    /** {@return the path with a leading {@code ~} (alone or before a separator) replaced by the home directory} */
    Path expand(String path) {
        if (path.equals("~")) return home();
        if (path.startsWith("~/") || path.startsWith("~\\")) return home().resolve(path.substring(2));
        return Path.of(path);
    }

    private static @Nullable String trimmed(@Nullable String v) {
        if (v == null) return null;
        String t = v.trim();
        return t.isEmpty() ? null : t;
    }
}
