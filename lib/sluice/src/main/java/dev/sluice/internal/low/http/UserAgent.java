package dev.sluice.internal.low.http;

/** The {@code User-Agent} every provider client sends: {@code sluice/<version> java/<java.version>}. */
public final class UserAgent {
    /** The header value. */
    public static final String VALUE = "sluice/" + version() + " java/" + System.getProperty("java.version", "unknown");

    private UserAgent() {}

    /** The library's version: the module's, else the jar manifest's, else {@code dev} (classes not from a jar). */
    static String version() {
        Module module = UserAgent.class.getModule();
        if (module.isNamed() && module.getDescriptor() != null) {
            var raw = module.getDescriptor().rawVersion();
            if (raw.isPresent()) return raw.get();
        }
        String v = UserAgent.class.getPackage().getImplementationVersion();
        return v != null && !v.isBlank() ? v : "dev";
    }
}
