package dev.sluice;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For the tests' hand-written loopback servers: reading past one HTTP/1.1 request. */
public final class RawRequests {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    private RawRequests() {}

    /**
     * Reads one request: its head up to the blank line, then as many body bytes as its
     * {@code Content-Length} says. {@return the head, as ISO-8859-1 text}
     *
     * @throws IOException when the connection closes before the head ends
     */
    public static String skipRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("closed before the request ended");
            head.append((char) c);
        }
        Matcher m = CONTENT_LENGTH.matcher(head);
        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
        return head.toString();
    }
}
