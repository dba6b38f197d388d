package dev.sluice.internal.low.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How each attempt of a request is authorized when a fixed header will not do: a bearer token that
 * is refreshed before it expires (Google's, Microsoft Entra ID's), or a signature over the request
 * itself (AWS SigV4). A client's core {@linkplain #apply applies} it to every attempt, a retry's and
 * a resumed stream's included, just before sending, so that each carries a fresh token or signature.
 *
 * <p>Implementations are thread-safe, may block while a token is fetched, and never show a secret
 * in {@code toString()}.
 */
@FunctionalInterface
public interface RequestAuth {
    /** No authorization beyond the request's own headers. */
    RequestAuth NONE = new RequestAuth() {
        @Override
        public Map<String, String> headers(HttpPost post) {
            return Map.of();
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /**
     * {@return the headers that authorize this attempt of {@code post}} They replace the request's
     * headers of the same name, case aside.
     *
     * @throws dev.sluice.CredentialsException if no credentials can be found or used
     * @throws dev.sluice.SluiceException subtypes when a token endpoint refuses or cannot be reached
     */
    Map<String, String> headers(HttpPost post);

    /**
     * {@return an authorization computed from a request's parts (a signature over them), such as
     * a public access value's}
     *
     * @param signing the headers for a method, URI, {@code content-type} (null for none) and body
     * @param description what {@code toString()} shows, never a secret
     */
    static RequestAuth signing(Signing signing, Object description) {
        return signing(signing, description, null);
    }

    /**
     * {@return an authorization computed from a request's parts, as {@link #signing(Signing, Object)},
     * whose refusal says {@code refusalNote}}
     *
     * @param refusalNote what a 401 or 403 answer's message adds ({@link #refusalNote()}), or null
     */
    static RequestAuth signing(Signing signing, Object description, @Nullable String refusalNote) {
        java.util.Objects.requireNonNull(signing, "signing");
        java.util.Objects.requireNonNull(description, "description");
        return new RequestAuth() {
            @Override
            public @Nullable String refusalNote() {
                return refusalNote;
            }

            @Override
            public Map<String, String> headers(HttpPost post) {
                String contentType = null;
                for (Map.Entry<String, String> h : post.headers().entrySet()) {
                    if (h.getKey().equalsIgnoreCase("content-type")) contentType = h.getValue();
                }
                return signing.headers(post.method(), post.uri(), contentType, post.body());
            }

            @Override
            public String toString() {
                return description.toString();
            }
        };
    }

    /** The headers that authorize a request, from its parts. */
    @FunctionalInterface
    interface Signing {
        /** {@return the headers for this method, URI, {@code content-type} (or null) and body} */
        Map<String, String> headers(String method, java.net.URI uri, @Nullable String contentType, String body);
    }

    /**
     * {@return what a refusal of a request so authorized (a 401 or 403) adds to its message, such as
     * the region an AWS request was sent for and where that came from; null for nothing}
     */
    default @Nullable String refusalNote() {
        return null;
    }

    /** {@return {@code post} with this attempt's authorization headers and {@linkplain #refusalNote() refusal note}} */
    default HttpPost apply(HttpPost post) {
        String note = refusalNote();
        if (note != null) post = post.withRefusalNote(note);
        Map<String, String> auth = headers(post);
        if (auth.isEmpty()) return post;
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : post.headers().entrySet()) {
            boolean replaced = false;
            for (String name : auth.keySet()) replaced |= name.equalsIgnoreCase(h.getKey());
            if (!replaced) merged.put(h.getKey(), h.getValue());
        }
        merged.putAll(auth);
        return post.withHeaders(merged);
    }
}
