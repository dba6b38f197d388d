package dev.sluice.testkit.internal.wire.vertex;

import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.wire.ApiError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A request path of Vertex AI's publisher models,
 * {@code /v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}},
 * read, and its caller checked as Vertex AI checks it: {@code Authorization: Bearer} a token the fake
 * issued ({@link FakeVertex#ACCESS_TOKEN}; else HTTP 401 {@code UNAUTHENTICATED}), then the project
 * ({@link FakeVertex#PROJECT}; else HTTP 403 {@code PERMISSION_DENIED}) and a well-formed location
 * (else HTTP 400 {@code INVALID_ARGUMENT}).
 *
 * @param project the project named
 * @param location the location named, such as {@code global} or {@code us-central1}
 * @param publisher {@code google} or {@code anthropic}
 * @param model the model id (decoded)
 * @param method such as {@code streamGenerateContent} or {@code streamRawPredict}
 */
record VertexPath(String project, String location, String publisher, String model, String method) {
    private static final Pattern PATH =
            Pattern.compile("/v1/projects/([^/]+)/locations/([^/]+)/publishers/([^/]+)/models/([^/]+):([A-Za-z]+)");

    /** {@return the path read, or null when it is not a publisher model's method} */
    static @Nullable VertexPath of(String path) {
        Matcher m = PATH.matcher(path);
        return m.matches() ? new VertexPath(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)) : null;
    }

    /**
     * {@return the path read, for a path a Vertex AI wire format serves}
     *
     * @throws IllegalStateException when it is not a publisher model's method
     */
    static VertexPath served(String path) {
        VertexPath p = of(path);
        if (p == null) throw new IllegalStateException("not a Vertex AI model's path: " + path);
        return p;
    }

    /** {@return the resource the path names, as Vertex AI's messages show it} */
    String resource() {
        return "projects/" + project + "/locations/" + location + "/publishers/" + publisher + "/models/" + model;
    }

    /**
     * Checks the caller's token, then the project and location.
     *
     * @throws ApiError AUTHENTICATION (401 {@code UNAUTHENTICATED}), or a 403 {@code PERMISSION_DENIED}
     *     or 400 {@code INVALID_ARGUMENT} as {@link ApiError#other}
     */
    void check(Headers headers) throws ApiError {
        String authorization = headers.getFirst("authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError(
                    ApiError.Kind.AUTHENTICATION,
                    "Request is missing required authentication credential."
                            + " Expected OAuth 2 access token, login cookie or other valid authentication credential."
                            + " See https://developers.google.com/identity/sign-in/web/devconsole-project.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || !authorization.substring(7).strip().equals(FakeVertex.ACCESS_TOKEN)) {
            throw new ApiError(
                    ApiError.Kind.AUTHENTICATION,
                    "Request had invalid authentication credentials."
                            + " Expected OAuth 2 access token, login cookie or other valid authentication credential."
                            + " See https://developers.google.com/identity/sign-in/web/devconsole-project.");
        }
        if (!project.equals(FakeVertex.PROJECT)) {
            throw ApiError.other(
                    403,
                    "PERMISSION_DENIED",
                    "Permission 'aiplatform.endpoints.predict' denied on resource" + " '//aiplatform.googleapis.com/"
                            + resource() + "' (or it may not exist).");
        }
        if (!location.matches("global|[a-z]+-[a-z]+[0-9]+")) {
            throw ApiError.other(400, "INVALID_ARGUMENT", "Unsupported location: " + location + ".");
        }
    }

    /**
     * {@return whether a wire format of this publisher serves the path: its model's streaming or
     * whole method}
     */
    static boolean serves(String path, String publisher, String streamMethod, String wholeMethod) {
        VertexPath p = of(path);
        return p != null
                && p.publisher().equals(publisher)
                && (p.method().equals(streamMethod) || p.method().equals(wholeMethod));
    }

    /**
     * Checks a request to a served path as Vertex AI does (see {@link #check(Headers)}), its query
     * aside.
     *
     * @throws ApiError as {@link #check(Headers)}
     */
    static void checkTarget(String target, Headers headers) throws ApiError {
        int query = target.indexOf('?');
        served(query < 0 ? target : target.substring(0, query)).check(headers);
    }
}
