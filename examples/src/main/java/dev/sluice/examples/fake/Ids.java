package dev.sluice.examples.fake;

import java.util.concurrent.ThreadLocalRandom;

/** Random ids in the API's style, marked as fake: {@code msg_fake_...}, {@code toolu_fake_...}, {@code req_fake_...}. */
final class Ids {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Ids() {}

    static String message() {
        return "msg_fake_" + random(24);
    }

    static String toolUse() {
        return "toolu_fake_" + random(24);
    }

    static String request() {
        return "req_fake_" + random(24);
    }

    private static String random(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
