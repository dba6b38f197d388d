package dev.sluice.testkit.internal.wire;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids marked as fake. The scenario's ids are neutral ({@code fake_...}); each
 * {@link WireFormat} puts its API's prefix in front ({@code msg_fake_...}, {@code chatcmpl-fake_...},
 * {@code toolu_fake_...}, {@code call_fake_...}).
 */
public final class Ids {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Ids() {}

    /** {@return a neutral id, {@code fake_} and 24 random characters} */
    public static String neutral() {
        return "fake_" + random(24);
    }

    public static String request() {
        return "req_fake_" + random(24);
    }

    private static String random(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
