package dev.sluice.internal.low.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The secrets an authorization was made with but does not send (the AWS secret access key a
 * SigV4 signature was made with), handed from the code that makes the headers to the
 * {@link RequestAuth#apply(HttpPost)} that asked for them, on the thread that makes them (the
 * public {@code AwsAccess.authorization}, which returns headers only, lies between the two), so
 * that they become the request's {@linkplain HttpPost#secrets() secrets} and an error that echoes
 * them shows none of them ({@link ServerText}). Nothing is kept when no {@code apply} asks.
 */
public final class AuthSecrets {
    private static final ThreadLocal<@Nullable List<String>> COLLECTED = new ThreadLocal<>();

    private AuthSecrets() {}

    /** Notes a secret the headers being made on this thread were made with, for the request they authorize. */
    public static void madeWith(String secret) {
        List<String> c = COLLECTED.get();
        if (c != null) c.add(secret);
    }

    /** {@return the headers {@code make} made, and the secrets they were made with, noted on this thread meanwhile} */
    static Made collect(Supplier<Map<String, String>> make) {
        List<String> previous = COLLECTED.get();
        List<String> secrets = new ArrayList<>();
        COLLECTED.set(secrets);
        try {
            return new Made(make.get(), List.copyOf(secrets));
        } finally {
            if (previous == null) COLLECTED.remove();
            else COLLECTED.set(previous);
        }
    }

    /** Headers, and the secrets they were made with. */
    record Made(Map<String, String> headers, List<String> secrets) {}
}
