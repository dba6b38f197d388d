package dev.sluice.internal.low.http;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place URLs in text lose what may carry a credential: the user information
 * ({@code user:password@}), the query string and the fragment, where access tokens, signatures
 * and API keys travel ({@code ?access_token=…}, {@code ?key=…}, {@code #token=…}). Scheme, host,
 * port and path are kept, so a message still says where. {@link ServerText#clean} applies it to
 * every server text; the MCP client to what its servers send and to the endpoints it names.
 * Stateless.
 */
public final class ServerUrls {
    /** What stands where a query string or fragment was. */
    static final String CUT = "?…";
    /** A URL with an authority: scheme, {@code //} (JSON-escaped too), then anything up to a blank, a quote or an angle bracket. */
    private static final Pattern URL = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*:(?:\\\\?/){2})([^\\s\"'<>]*)");

    private ServerUrls() {}

    /**
     * {@return the text with the user information, query string and fragment of every URL in it
     * taken out} {@code https://u:p@host:8443/mcp?access_token=x#y} becomes
     * {@code https://host:8443/mcp?…}.
     */
    public static String clean(String text) {
        Matcher m = URL.matcher(text);
        if (!m.find()) return text;
        StringBuilder out = new StringBuilder(text.length());
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + rest(m.group(2))));
        } while (m.find());
        return m.appendTail(out).toString();
    }

    /** {@return a URI as a message may name it: {@link #clean} of its text} */
    public static String clean(URI uri) {
        return clean(uri.toString());
    }

    /** {@return what follows {@code scheme://}: the user information dropped, cut at {@code ?} or {@code #}} */
    private static String rest(String afterScheme) {
        int slash = afterScheme.indexOf('/');
        int authorityEnd = slash < 0 ? afterScheme.length() : slash;
        for (char c : new char[] {'?', '#'}) {
            int i = afterScheme.indexOf(c);
            if (i >= 0 && i < authorityEnd) authorityEnd = i;
        }
        int at = afterScheme.lastIndexOf('@', authorityEnd - 1);
        String s = at >= 0 ? afterScheme.substring(at + 1) : afterScheme;
        int cut = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                cut = i;
                break;
            }
        }
        if (cut < 0) return s;
        String after = s.substring(cut + 1);
        int k = after.length();
        while (k > 0 && ".,;:!)]}".indexOf(after.charAt(k - 1)) >= 0)
            k--; // a sentence's punctuation after the URL stays
        return s.substring(0, cut) + CUT + after.substring(k);
    }
}
