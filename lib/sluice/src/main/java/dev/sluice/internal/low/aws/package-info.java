/**
 * AWS Signature Version 4 (SigV4) request signing, as the AWS SDK for Java 2.x signs a request to a
 * service other than S3 (Amazon Bedrock's {@code bedrock-runtime} among them):
 * {@link dev.sluice.internal.low.aws.SigV4Signer} and the
 * {@link dev.sluice.internal.low.aws.AwsCredentials} it signs with. JDK only ({@code javax.crypto},
 * {@code java.security}).
 *
 * <p>Not exported: nothing here appears in a public signature. Secrets: the secret access key and
 * the session token never appear in a message or a {@code toString()}. Nulls: arguments are non-null
 * unless documented otherwise. Threading: everything here is immutable or thread-safe.
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, beside {@code dev.sluice.internal.low.http} (which
 * sends what it signs). It uses the JDK only; {@code LayeringTest} checks it.
 */
package dev.sluice.internal.low.aws;
