/**
 * AWS Signature Version 4 (SigV4) request signing, as the AWS SDK for Java 2.x signs a request to a
 * service other than S3 (Amazon Bedrock's {@code bedrock-runtime} among them):
 * {@link dev.sluice.internal.low.aws.SigV4Signer} and the
 * {@link dev.sluice.internal.low.aws.AwsCredentials} it signs with; and where those credentials, the
 * region and the endpoint come from, found as the SDK's default chains find them:
 * {@link dev.sluice.internal.low.aws.AwsAuth} (a Bedrock API key, else SigV4),
 * {@link dev.sluice.internal.low.aws.AwsCredentialsChain} (system properties, environment, web
 * identity, profile, container, instance metadata), {@link dev.sluice.internal.low.aws.AwsRegions},
 * all reading the injected {@link dev.sluice.internal.low.aws.AwsSettings}. JDK only
 * ({@code javax.crypto}, {@code java.security}, {@code java.net.http}, {@code java.xml} for STS's
 * answers), with the exceptions ({@link dev.sluice.CredentialsException}) and the JSON reader of
 * {@code dev.sluice.internal.low.json}.
 *
 * <p>Not exported: nothing here appears in a public signature. Secrets: the secret access key, the
 * session token, the web identity and authorization tokens and the Bedrock API key never appear in
 * a message, a log or a {@code toString()}. Nulls: arguments are non-null unless documented
 * otherwise. Threading: everything here is immutable or thread-safe; nothing holds a monitor while it
 * blocks, and a {@code credential_process} command runs on a platform thread.
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, beside {@code dev.sluice.internal.low.http} (which
 * sends what it signs). {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.aws;

import org.jspecify.annotations.NullMarked;
