package dev.sluice.testkit.internal.wire.openai;

import dev.sluice.testkit.internal.wire.OpaqueSigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Opaque values a fake server issues and can recognize when they come back, as a real API's
 * encrypted reasoning is: {@code gAAAAB} (the start OpenAI's values have), the content as
 * URL-safe Base64, a dot, and an HMAC-SHA256 of it under a key made for this seal ({@link OpaqueSigner#mac}) (one per wire
 * format of one server), so that a value altered by a byte, or issued by another server, does not
 * verify. Not encryption: a test may read what a value holds. Thread-safe.
 */
final class OpaqueSeal {
    static final String PREFIX = "gAAAAB";
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

    private final OpaqueSigner signer = new OpaqueSigner(); // a key of this seal's own

    /** {@return the sealed value of an item's content} */
    String seal(String itemId, String content) {
        String payload = ENCODE.encodeToString((itemId + "\n" + content).getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + ENCODE.encodeToString(mac(payload));
    }

    /** {@return whether the value is one this seal made for the item (any item when itemId is empty)} */
    boolean verifies(String itemId, @Nullable String value) {
        if (value == null || !value.startsWith(PREFIX)) return false;
        int dot = value.lastIndexOf('.');
        if (dot < PREFIX.length()) return false;
        String payload = value.substring(PREFIX.length(), dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(value.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(mac(payload), given)) return false;
        if (itemId.isEmpty()) return true;
        String content = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        return content.startsWith(itemId + "\n");
    }

    private byte[] mac(String payload) {
        return signer.mac("encrypted_content", payload.getBytes(StandardCharsets.US_ASCII));
    }
}
