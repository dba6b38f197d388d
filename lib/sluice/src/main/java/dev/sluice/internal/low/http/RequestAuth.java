package dev.sluice.internal.low.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(description, "description");
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
        Map<String, String> headers(String method, URI uri, @Nullable String contentType, String body);
    }

    /**
     * {@return {@code post} with this attempt's authorization headers, waited for no longer than what
     * is left of {@code deadline} and only until {@code cancellation}} Fetching credentials may take a
     * while (a token endpoint, a metadata server, a process), and a credential cache shares one fetch
     * between every caller: the headers are made on a virtual thread of their own, which goes on when
     * this caller stops waiting (the fetch, bounded itself, then serves the next caller), so that each
     * caller waits as long as its own stream may and no longer. {@link #NONE} waits for nothing.
     *
     * @throws dev.sluice.SluiceException the deadline's failure ({@link Deadline#expired()}) when it
     *     passes first, else what {@link #headers} throws
     * @throws CancellationException if cancelled first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    default HttpPost apply(HttpPost post, Deadline deadline, Cancellation cancellation) throws InterruptedException {
        if (this == NONE) return post;
        CompletableFuture<HttpPost> signed = new CompletableFuture<>();
        Thread.ofVirtual().name("sluice-credentials").start(() -> {
            try {
                signed.complete(apply(post));
            } catch (Throwable t) {
                signed.completeExceptionally(t);
            }
        });
        cancellation.onCancel().accept(() -> signed.cancel(false));
        long left = deadline.nanosLeft();
        try {
            if (left <= 0) throw deadline.expired();
            return left == Long.MAX_VALUE ? signed.get() : signed.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw deadline.expired();
        } catch (CancellationException e) {
            throw new CancellationException("cancelled while waiting for credentials");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException("making the authorization failed", cause);
        }
    }

    /**
     * {@return what a refusal of a request so authorized (a 401 or 403) adds to its message, such as
     * the region an AWS request was sent for and where that came from; null for nothing}
     */
    default @Nullable String refusalNote() {
        return null;
    }

    /**
     * {@return {@code post} with this attempt's authorization headers and {@linkplain #refusalNote()
     * refusal note}, and the secrets they were made with and do not send ({@link AuthSecrets}) among
     * its {@linkplain HttpPost#secrets() secrets}}
     */
    default HttpPost apply(HttpPost post) {
        String note = refusalNote();
        if (note != null) post = post.withRefusalNote(note);
        HttpPost request = post;
        AuthSecrets.Made made = AuthSecrets.collect(() -> headers(request));
        if (!made.secrets().isEmpty()) post = post.withSecrets(made.secrets());
        Map<String, String> auth = made.headers();
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
