package dev.sluice.relay.http;

import dev.sluice.RelayException;
import java.util.Map;

/**
 * Refusals on their way to the router: each {@link HttpRefusal} made by this package's checks is
 * thrown as an {@link Refused}, which {@link RelayHttpApi} (and {@link RelaySocket}) catch and
 * answer; a {@link RelayException} of the relay's is mapped where it is caught ({@link #of(RelayException)}).
 * An exception of this package only, so that no HTTP status escapes into the core's exception family.
 */
final class HttpRefusals {
    private HttpRefusals() {}

    /** A refusal thrown to the router; no stack trace (it is an answer, not a failure). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // a record of strings and a map of them; never serialized in practice
        private final HttpRefusal refusal;

        Refused(HttpRefusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        /** {@return the refusal, to answer} */
        HttpRefusal refusal() {
            return refusal;
        }
    }

    /**
     * {@return a refusal of the server's own, to throw}
     *
     * @throws IllegalArgumentException if the status is not a 4xx or 503
     */
    static Refused of(int status, String type, String message) {
        return new Refused(new HttpRefusal(status, type, message));
    }

    /**
     * {@return a refusal of the server's own with the headers its answer carries, to throw}
     *
     * @throws IllegalArgumentException if the status is not a 4xx or 503
     */
    static Refused of(int status, String type, String message, Map<String, String> headers) {
        return new Refused(new HttpRefusal(status, type, message, null, headers));
    }

    /** {@return the relay's refusal as HTTP ({@link HttpRefusal#of(RelayException)}), to throw} */
    static Refused of(RelayException e) {
        return new Refused(HttpRefusal.of(e));
    }

    /** {@return a value a client sent, cut to 60 characters for a refusal's message} */
    static String shorten(String s) {
        return shorten(s, 60);
    }

    /** {@return a value a client sent, cut to {@code max} characters for a refusal's message} */
    static String shorten(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
