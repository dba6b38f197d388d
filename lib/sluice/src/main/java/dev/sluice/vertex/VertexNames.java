package dev.sluice.vertex;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The checks of the names that go into a Vertex AI URL (project, location, base URL, model) and the
 * URL they make. Each check returns the name as it is used, or throws an
 * {@link IllegalArgumentException} whose message starts with what is wrong, for the caller to
 * prefix with the setting's name. Stateless.
 */
final class VertexNames {
    private VertexNames() {}

    static String project(String project) {
        String p = project.strip();
        if (!p.matches("[a-z0-9][a-z0-9.:-]{0,99}")) {
            throw new IllegalArgumentException(
                    "is not a Google Cloud project id (lower-case letters, digits, hyphens): " + shown(p));
        }
        return p;
    }

    static String location(String location) {
        String l = location.strip().toLowerCase(Locale.ROOT);
        if (l.length() > 64 || !l.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException(
                    "is not a Vertex AI location (global, us-central1, europe-west4, ...): " + shown(l));
        }
        return l;
    }

    static URI baseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + shown(url));
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "is not an http(s) base URL without query, fragment or user: " + shown(url));
        }
        return URI.create(withoutTrailingSlash(uri));
    }

    /** {@return Vertex AI's endpoint of a location: {@code global}'s, or the region's} */
    static URI defaultBaseUrl(String location) {
        return URI.create(
                location.equals(VertexAccess.DEFAULT_LOCATION)
                        ? "https://aiplatform.googleapis.com"
                        : "https://" + location + "-aiplatform.googleapis.com");
    }

    /** {@return the model id as one path segment: unreserved characters and {@code @} as they are, the rest percent-encoded} */
    static String pathSegment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~@".indexOf(c) >= 0)) sb.append(c);
            else sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
        return sb.toString();
    }

    static String withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /** A setting's text for a message: control characters replaced, bounded. */
    private static String shown(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }
}
