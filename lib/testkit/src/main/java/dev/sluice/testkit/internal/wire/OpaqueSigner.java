package dev.sluice.testkit.internal.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The opaque values one fake server issues (thinking signatures, and whatever else a wire must
 * recognize when it comes back) and the count of foreign or altered ones it has seen. A value is
 * an HMAC-SHA256 over its kind and content with a key drawn per server, so a value is recognizable
 * by the server that issued it only: one altered by a byte, or issued by another server or for
 * other content, does not verify. Thread-safe: the key is fixed, the count atomic, each call its
 * own {@link Mac}.
 */
public final class OpaqueSigner {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int LENGTH = 72; // about the size of a short real signature, in bytes

    private final SecretKeySpec key;
    private final AtomicLong rejections = new AtomicLong();

    /** A signer with a fresh random key. */
    public OpaqueSigner() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, ALGORITHM);
    }

    /** {@return the value this server issues for {@code content} of the given kind: base64, recognizable by {@link #verify}} */
    public String sign(String kind, String content) {
        byte[] mac = mac(kind, content);
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) out[i] = mac[i % mac.length];
        return Base64.getEncoder().encodeToString(out);
    }

    /** {@return whether {@code value} is the one this server issued for the content; false for null} */
    public boolean verify(String kind, String content, @Nullable String value) {
        if (value == null) return false;
        return MessageDigest.isEqual(
                sign(kind, content).getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts one foreign or altered opaque field seen in a request. */
    public void foreign() {
        rejections.incrementAndGet();
    }

    /** Sets the count back to 0 (a test's reset); the key stays. */
    public void reset() {
        rejections.set(0);
    }

    /** {@return the foreign or altered opaque fields seen so far} */
    public long rejections() {
        return rejections.get();
    }

    private byte[] mac(String kind, String content) {
        return mac(kind, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return the HMAC-SHA256 under this signer's key of a kind and content} For the wires whose
     * opaque values have a shape of their own (Gemini's thought signatures, OpenAI's encrypted
     * reasoning), built around it.
     */
    public byte[] mac(String kind, byte[] content) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(kind.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
