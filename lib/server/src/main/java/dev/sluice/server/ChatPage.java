package dev.sluice.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The chat page: plain HTML, CSS and JavaScript from this jar, with marked, DOMPurify and
 * highlight.js vendored (their versions and licences under {@code vendor/}). It talks to the API
 * of the relay that serves it, by addresses relative to the page, so it works wherever the relay
 * is mounted. Model output is untrusted: the page sanitises what it renders, and the routes serve
 * it with a Content-Security-Policy that allows only this origin's scripts.
 *
 * <p>Threading: the assets are read once, immutable, safe from any thread.
 */
public final class ChatPage {
    private static final String PAGE = "/dev/sluice/server/page/";
    private static final List<String> NAMES = List.of(
            "index.html",
            "app.js",
            "app.css",
            "favicon.svg",
            "vendor/marked.umd.js",
            "vendor/purify.min.js",
            "vendor/highlight.min.js",
            "vendor/highlight-github.min.css",
            "vendor/VERSIONS.md",
            "vendor/LICENSE-dompurify.txt",
            "vendor/LICENSE-highlight.js.txt",
            "vendor/LICENSE-marked.txt");

    private static final class Loaded {
        static final Map<String, byte[]> ASSETS = load();
    }

    private ChatPage() {}

    /**
     * {@return the page's files by name, for {@link dev.sluice.relay.http.RelayHttpApi.Builder#page}}:
     * {@code index.html}, {@code app.js}, {@code vendor/purify.min.js}, ...; null for any other name
     *
     * @throws IllegalStateException if the jar lacks one of them
     */
    public static Function<String, byte @Nullable []> assets() {
        Map<String, byte[]> assets = Loaded.ASSETS;
        return assets::get;
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> m = new HashMap<>();
        for (String name : NAMES) {
            try (InputStream in = ChatPage.class.getResourceAsStream(PAGE + name)) {
                if (in == null) throw new IllegalStateException("the page's " + name + " is missing from the jar");
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(m);
    }
}
