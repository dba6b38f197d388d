package dev.sluice.relay.http;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random letters and digits from {@link SecureRandom}, for ids and secrets no caller can guess: the JDK's
 * {@code DRBG} (NIST SP 800-90A's Hash_DRBG, seeded once from the system's entropy), which, unlike the default
 * {@code NativePRNG}, reads no {@code /dev/urandom} on a request's path (that one reads it again once its buffer
 * is 100 ms old: on every request of a server that is not busy).
 */
final class RandomIds {
    private static final SecureRandom RANDOM = drbg();
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private RandomIds() {}

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) { // a JDK without it: the default
            return new SecureRandom();
        }
    }

    /** {@return {@code n} letters and digits, each equally likely} */
    static String draw(int n) {
        // one draw per 40 bytes (each SecureRandom call mixes and locks), bytes past 247 skipped so
        // that every character stays equally likely (248 = 4 x 62)
        char[] id = new char[n];
        byte[] random = new byte[40];
        int i = 0;
        while (i < n) {
            RANDOM.nextBytes(random);
            for (int j = 0; j < random.length && i < n; j++) {
                int b = random[j] & 0xFF;
                if (b < 248) id[i++] = CHARS.charAt(b % CHARS.length());
            }
        }
        return new String(id);
    }
}
