package dev.sluice.internal.low.aws;

import dev.sluice.internal.low.http.AuthSecrets;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.RequestAuth;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs each attempt with SigV4: the method, the URI, the body and its {@code content-type}, with
 * the credentials the source holds at that moment (a chain's refreshed ones). Thread-safe.
 *
 * @param signer the signer, for a region and service
 * @param credentials where the credentials come from
 */
public record SigV4Auth(SigV4Signer signer, AwsCredentialsSource credentials) implements RequestAuth {
    /** @throws NullPointerException if an argument is null */
    public SigV4Auth {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.sluice.CredentialsException if the source finds no credentials
     */
    @Override
    public Map<String, String> headers(HttpPost post) {
        AwsCredentials c = credentials.credentials();
        // never sent, but a server that holds it (one's own endpoint, a proxy) may echo it: see AuthSecrets
        AuthSecrets.madeWith(c.secretAccessKey());
        String contentType = null;
        for (Map.Entry<String, String> h : post.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("content-type")) contentType = h.getValue();
        }
        Map<String, List<String>> signed =
                contentType == null ? Map.of() : Map.of("content-type", List.of(contentType));
        return signer.sign(post.method(), post.uri(), signed, post.body().getBytes(StandardCharsets.UTF_8), c)
                .asMap();
    }

    @Override
    public String toString() {
        return "SigV4[region=" + signer.region() + ", credentials=" + credentials + "]";
    }
}
