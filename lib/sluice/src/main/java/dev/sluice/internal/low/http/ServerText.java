package dev.sluice.internal.low.http;

import java.util.Locale;
import java.util.Map;

/**
 * The one cleaning of text a server sent before it goes into an exception's message: an HTTP
 * error body ({@link ErrorResponses}) and an error event inside a stream (the call layer's
 * in-band errors) alike. Cleaned before any exception is constructed with it, so that a key a
 * server echoes never reaches a message, a log line or a JDK Flight Recorder exception event.
 * Stateless.
 */
public final class ServerText {
    /** The most characters of server text put into a message. */
    public static final int MAX_MESSAGE_CHARS = 500;
    /**
     * Credentials shorter than this are not replaced: no real key is that short, and replacing a
     * one-letter test key everywhere shreds the message ("thin[redacted]ing" for a key "k").
     */
    static final int MIN_SECRET_CHARS = 6;

    private ServerText() {}

    /**
     * {@return server text fit for a message: credentials redacted, whitespace collapsed,
     * truncated} The value of every {@linkplain #isCredential credential header} of the request is
     * replaced by {@code [redacted]}, in case a server echoes it, and so is the part after its
     * first space (the token of {@code Authorization: Bearer <key>}, which servers echo without its
     * scheme). Other headers ({@code anthropic-version}, {@code content-type}) are left as they
     * are: a message that quotes them stays readable.
     *
     * @param text what the server sent
     * @param requestHeaders the headers of the request it answers (empty when unknown, as for a
     *     recorded stream: then only whitespace and length are cleaned)
     */
    public static String clean(String text, Map<String, String> requestHeaders) {
        String s = text;
        for (Map.Entry<String, String> h : requestHeaders.entrySet()) {
            if (!isCredential(h.getKey())) continue;
            String value = h.getValue().strip();
            if (value.length() >= MIN_SECRET_CHARS) s = s.replace(value, "[redacted]");
            int space = value.indexOf(' ');
            if (space > 0) {
                String token = value.substring(space + 1).strip();
                if (token.length() >= MIN_SECRET_CHARS) s = s.replace(token, "[redacted]");
            }
        }
        s = s.replaceAll("\\s+", " ").strip();
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /**
     * {@return whether a header carries a credential} {@code authorization},
     * {@code proxy-authorization}, {@code x-api-key}, {@code x-goog-api-key}, {@code api-key},
     * {@code cookie}, {@code set-cookie}, and any name containing {@code token}, {@code secret},
     * {@code key} or {@code auth}; case-insensitive.
     */
    static boolean isCredential(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        return name.equals("cookie") || name.equals("set-cookie")
                || name.contains("auth") || name.contains("key") || name.contains("token") || name.contains("secret");
    }
}
