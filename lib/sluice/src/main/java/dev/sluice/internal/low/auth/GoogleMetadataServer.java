package dev.sluice.internal.low.auth;

import dev.sluice.ApiException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.TransportException;
import dev.sluice.internal.low.http.ExchangeDeadline;
import dev.sluice.internal.low.http.HttpPost;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tokens and the project of the service account attached to a Google Cloud machine (Compute
 * Engine, GKE, Cloud Run, Cloud Functions), from its metadata server, as google-auth-library's
 * {@code ComputeEngineCredentials} reads them: {@code GET
 * /computeMetadata/v1/instance/service-accounts/default/token?scopes=...} and
 * {@code /computeMetadata/v1/project/project-id}, each with {@code Metadata-Flavor: Google}, at
 * {@code http://$GCE_METADATA_HOST} or {@code http://metadata.google.internal}, through the token
 * endpoint's transport. Immutable.
 */
final class GoogleMetadataServer implements TokenSource {
    static final String DEFAULT_HOST = "metadata.google.internal";
    private static final Map<String, String> FLAVOR = Map.of("Metadata-Flavor", "Google");
    /** The most bytes of a project id read (ids are at most 30 characters). */
    private static final int MAX_PROJECT_ID_BYTES = 1024;

    private final String host;
    private final URI tokenUri;
    private final TokenEndpoint endpoint;
    private final Duration timeout;
    private final TokenEndpoint.Purpose purpose;

    /**
     * @param host the metadata server's host (and port), as {@code GCE_METADATA_HOST} names it
     * @throws IllegalArgumentException if the host does not make an http URI
     */
    GoogleMetadataServer(String host, String scope, TokenEndpoint endpoint, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.tokenUri =
                URI.create("http://" + host + "/computeMetadata/v1/instance/service-accounts/default/token?scopes="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        if (tokenUri.getHost() == null) throw new IllegalArgumentException("not a metadata server host: " + host);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.purpose = new TokenEndpoint.Purpose(
                "the metadata server's token of this machine's service account",
                "no credentials file was found (GOOGLE_APPLICATION_CREDENTIALS unset, no gcloud application default"
                        + " credentials), so Google Cloud's metadata server was asked; off Google Cloud, set"
                        + " GOOGLE_APPLICATION_CREDENTIALS to a service account key file or run"
                        + " `gcloud auth application-default login`; on it, check that the machine has a service account");
    }

    @Override
    public AccessToken token() {
        return endpoint.get(tokenUri, FLAVOR, List.of(), purpose);
    }

    /**
     * {@return the project of this machine, from {@code project/project-id}}
     *
     * @throws TransportException if the metadata server cannot be reached
     * @throws ApiException if it answers with an error status
     */
    String projectId() {
        URI uri = URI.create("http://" + host + "/computeMetadata/v1/project/project-id");
        HttpPost request = HttpPost.get(uri, FLAVOR).withTimeout(timeout);
        String check = "set GOOGLE_CLOUD_PROJECT to the project's id";
        try {
            // the timeout covers the whole answer: a metadata server that trickles it is given up on
            ExchangeDeadline.Answer response =
                    ExchangeDeadline.exchange(endpoint.transport(), request, MAX_PROJECT_ID_BYTES);
            String text = response.body().strip();
            if (response.status() != 200 || text.isEmpty() || !text.matches("[a-z0-9.:-]{1,100}")) {
                throw new ApiException(
                        response.status(),
                        "http_error_" + response.status(),
                        "the metadata server at " + host + " gave no project id; " + check,
                        false,
                        null);
            }
            return text;
        } catch (IOException e) {
            throw new TransportException(
                    "could not ask the metadata server at " + host + " for the project id: " + e + "; " + check, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        }
    }

    @Override
    public String toString() {
        return "GoogleMetadataServer[" + host + "]";
    }
}
