package dev.sluice.relay.http;

import static dev.sluice.relay.http.HttpAnswers.closeIfBodyUnread;
import static dev.sluice.relay.http.HttpAnswers.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The page's side of {@link RelayHttpApi}: {@code GET /} and {@code GET /assets/NAME} served from
 * the page's files with their types, the page's Content-Security-Policy, and the token's part of
 * serving it (a cookie set from {@code ?token=}, or a plain 401). Immutable.
 */
final class PageAssets {
    /** An asset's path: {@code /assets/NAME} or {@code /assets/vendor/NAME}, of the types below. */
    static final Pattern PATH =
            Pattern.compile("/assets/((?:vendor/)?[A-Za-z0-9][A-Za-z0-9.-]{0,80}\\.(?:js|css|txt|md|svg))");
    /** The page's Content-Security-Policy: nothing but this origin's scripts and styles; no inline script. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> TYPES = Map.of(
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "txt",
            "text/plain; charset=utf-8",
            "md",
            "text/plain; charset=utf-8",
            "html",
            "text/html; charset=utf-8",
            "svg",
            "image/svg+xml");

    private final @Nullable Function<String, byte @Nullable []> files; // null: no page

    PageAssets(@Nullable Function<String, byte @Nullable []> files) {
        this.files = files;
    }

    /** {@return whether there is a page} */
    boolean present() {
        return files != null;
    }

    /** {@code GET /}: the page, under its Content-Security-Policy. */
    void page(HttpExchange exchange) throws IOException {
        exchange.header("Content-Security-Policy", CSP);
        asset(exchange, "index.html");
    }

    /** {@code GET /assets/NAME}: one of the page's files, or 404. */
    void asset(HttpExchange exchange, String name) throws IOException {
        byte[] bytes = files == null ? null : files.apply(name);
        if (bytes == null) throw HttpRefusals.of(404, "not_found", "no asset " + name);
        exchange.status(200);
        exchange.header(
                "Content-Type",
                Objects.requireNonNull(
                        TYPES.get(name.substring(name.lastIndexOf('.') + 1)),
                        "PATH admits only the TYPES' extensions"));
        exchange.header("Cache-Control", "no-cache");
        write(exchange, bytes);
    }

    /**
     * The token's part of serving the page. {@return whether the request was answered here}
     *
     * @param secure whether the client's request came over TLS: the cookie is then {@code Secure}
     */
    static boolean access(RequestGuard g, HttpExchange exchange, boolean secure) throws IOException {
        return switch (g.page(exchange.query("token"), exchange::header)) {
            case SERVE -> false;
            case SET_COOKIE -> {
                String root = exchange.mountPath() + "/";
                exchange.header("Set-Cookie", g.cookie(root, secure));
                exchange.header("Location", root);
                exchange.header("Cache-Control", "no-store");
                exchange.status(303);
                yield true;
            }
            default -> {
                closeIfBodyUnread(exchange);
                exchange.status(401);
                exchange.header("Content-Type", "text/plain; charset=utf-8");
                exchange.header("Cache-Control", "no-store");
                write(
                        exchange,
                        ("This server needs its token: open the address serve printed,"
                                        + " which ends with ?token=...\n")
                                .getBytes(StandardCharsets.UTF_8));
                yield true;
            }
        };
    }

    static boolean isPage(String path) {
        return path.equals("/") || path.equals("/index.html");
    }
}
