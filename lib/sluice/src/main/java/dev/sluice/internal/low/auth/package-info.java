/**
 * The clouds' credential sources: what turns the standard environment of Google Cloud and Azure
 * into OAuth 2.0 bearer tokens, for the providers that reach Vertex AI and Azure. Not exported:
 * nothing here appears in a public signature.
 *
 * <p>{@link dev.sluice.internal.low.auth.TokenSource} is one blocking call that gives an
 * {@link dev.sluice.internal.low.auth.AccessToken}; {@link dev.sluice.internal.low.auth.CachingTokenSource}
 * keeps it and fetches the next ahead of its expiry, one fetch shared by every caller, in
 * {@link dev.sluice.internal.low.auth.RefreshAhead}: the one refresh-ahead cache of every cloud's
 * credentials (the AWS chain's temporary credentials are kept in it too).
 * {@link dev.sluice.internal.low.auth.GoogleCredentials} finds Application Default Credentials as
 * google-auth-library does (a service account or gcloud user file, else the metadata server);
 * {@link dev.sluice.internal.low.auth.AzureCredentials} finds Entra ID credentials as
 * azure-identity's {@code DefaultAzureCredential} does (client secret, workload identity, managed
 * identity). Token requests go through {@link dev.sluice.internal.low.http.HttpTransport}: blocking
 * HTTP/1.1 on the requesting thread, or a caller's {@link java.net.http.HttpClient} (the JDK's client
 * also where a proxy is configured), each exchange within one deadline that covers its body; the
 * environment, the clock and the transport's settings or client are injected.
 *
 * <p>Secrets: no client secret, refresh token, private key, assertion, managed-identity header or
 * access token appears in a message, a {@code toString()} or a log line written here; what a token
 * endpoint says is cleaned of them before it goes into an exception. Failures of a token request
 * are the {@link dev.sluice.SluiceException} family: {@link dev.sluice.ApiException} (the endpoint's
 * error code and description), {@link dev.sluice.TransportException},
 * {@link dev.sluice.ProtocolException} (an answer without a token); credentials that are missing or
 * unreadable are an {@link java.lang.IllegalStateException} when they are looked for, as a client's
 * {@code fromEnv()} reports a missing key.
 *
 * <p>Nulls: arguments are non-null unless documented otherwise. Threading: every type here is
 * immutable or thread-safe; a token request runs on the calling thread, blocking it (a virtual
 * thread, typically: nothing here holds a monitor while it waits).
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, above {@code dev.sluice.internal.low.http} (which
 * sends its requests) and {@code dev.sluice.internal.low.json}; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.auth;

import org.jspecify.annotations.NullMarked;
