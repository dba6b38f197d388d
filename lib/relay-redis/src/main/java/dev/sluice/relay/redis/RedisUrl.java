package dev.sluice.relay.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;

/**
 * A store's Redis URL, parsed: {@code redis://[USER:PASSWORD@]HOST[:PORT][,HOST[:PORT]...][/DB]},
 * or {@code rediss://...} for TLS. Several addresses are seeds: the first that answers is asked
 * whether it is a node of a Redis Cluster. {@link #toString()} shows no user or password.
 *
 * @param tls whether to connect with TLS ({@code rediss://})
 * @param seeds the addresses, in the URL's order; the port defaults to 6379
 * @param database the database; 0 when the URL names none
 * @param user the ACL user of the URL, or null
 * @param password the password of the URL, or null
 */
record RedisUrl(
        boolean tls,
        List<HostAndPort> seeds,
        int database,
        @Nullable String user,
        @Nullable String password) {
    RedisUrl {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) throw new IllegalArgumentException("a Redis URL names at least one HOST:PORT");
    }

    /**
     * {@return the URL parsed}
     *
     * @throws IllegalArgumentException if it is not of that form; the message shows it without its
     *     user information
     */
    static RedisUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String u = url.strip();
        int scheme = u.indexOf("://");
        String name = scheme < 0 ? "" : u.substring(0, scheme);
        if (!name.equalsIgnoreCase("redis") && !name.equalsIgnoreCase("rediss")) throw notAUrl(url);
        String rest = u.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String info = at < 0 ? null : authority.substring(0, at);
        String hosts = authority.substring(at + 1);
        List<HostAndPort> seeds = new ArrayList<>();
        for (String h : hosts.split(",", -1)) seeds.add(address(h.strip(), url));
        int database;
        String db = path.replaceAll("/+$", "");
        try {
            database = db.isEmpty() ? 0 : Integer.parseInt(db);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the database of a Redis URL is a number, as in redis://HOST:PORT/0, not \"" + db + "\"");
        }
        if (database < 0)
            throw new IllegalArgumentException("the database of a Redis URL must not be negative: " + database);
        String user = null;
        String password = null;
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            String usr = colon < 0 ? "" : decode(info.substring(0, colon));
            String pw = decode(colon < 0 ? info : info.substring(colon + 1));
            user = usr.isEmpty() ? null : usr;
            password = pw.isEmpty() ? null : pw;
        }
        return new RedisUrl(name.equalsIgnoreCase("rediss"), seeds, database, user, password);
    }

    /** {@return a seed's address: {@code HOST}, {@code HOST:PORT}, {@code [IPV6]} or {@code [IPV6]:PORT}} */
    private static HostAndPort address(String s, String url) {
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw notAUrl(url);
            host = s.substring(1, close);
            String after = s.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) throw notAUrl(url);
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? "" : s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) throw notAUrl(url);
        try {
            int p = port.isEmpty() ? 6379 : Integer.parseInt(port);
            if (p < 1 || p > 65535) throw notAUrl(url);
            return new HostAndPort(host, p);
        } catch (NumberFormatException e) {
            throw notAUrl(url);
        }
    }

    private static IllegalArgumentException notAUrl(String url) {
        return new IllegalArgumentException("not a Redis URL: " + redacted(url)
                + "; expected redis://HOST:PORT[/DB], rediss://... for TLS, or several HOST:PORT separated by commas");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** {@return the URL with its user information hidden, for a message} */
    static String redacted(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return at > 0 && scheme > 0 && at > scheme ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
    }

    /** {@return this URL with another database} */
    RedisUrl withDatabase(int db) {
        return new RedisUrl(tls, seeds, db, user, password);
    }

    /** {@return the URL without user or password: {@code redis://HOST:PORT[,HOST:PORT...]/DB}} */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://")
                + seeds.stream()
                        .map(h -> h.getHost().contains(":") ? "[" + h.getHost() + "]:" + h.getPort() : h.toString())
                        .collect(Collectors.joining(","))
                + "/" + database;
    }
}
