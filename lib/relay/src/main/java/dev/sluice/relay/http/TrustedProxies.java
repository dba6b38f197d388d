package dev.sluice.relay.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The proxies whose forwarding headers name a request's client, and how they are read: only from
 * a connection whose peer is inside one of the ranges; from anyone else the headers are ignored.
 * {@code X-Forwarded-For} is read first, from its right: the first address that is not itself a
 * trusted proxy's is the client's (as nginx's {@code real_ip_recursive on}); when every address is
 * trusted, the left-most. Without it, RFC 7239's {@code Forwarded: for=} the same way (quoted IPv6
 * in brackets, ports). An {@code unknown} or obfuscated node ({@code _hidden}), an empty header or
 * anything malformed on the way means the proxy cannot say: the peer's own address is kept. The
 * scheme is {@code X-Forwarded-Proto}'s last value, else the right-most {@code Forwarded} element's
 * {@code proto=}.
 *
 * <p>Addresses are read as literals only, never looked up: a name is malformed. Nothing here
 * throws on a header's content. Immutable and thread-safe.
 */
final class TrustedProxies {
    /** A network: its first address and prefix length; an address of the other family is never inside. */
    @SuppressWarnings("ArrayRecordComponent") // package-private; its array is a copy, never compared or shown
    record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return format(network) + "/" + prefix;
        }
    }

    private final List<Range> ranges;

    TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** {@return the ranges, as CIDRs with their network address: {@code 127.0.0.1/32}, {@code 10.0.0.0/8}} */
    List<String> cidrs() {
        return ranges.stream().map(Range::toString).toList();
    }

    /**
     * {@return the ranges a comma-separated list names}: CIDRs ({@code 10.0.0.0/8}, {@code fd00::/8})
     * or addresses ({@code 127.0.0.1} is {@code /32}, {@code ::1} {@code /128})
     *
     * @throws IllegalArgumentException naming the first entry that is not one
     */
    static List<Range> parse(String spec) {
        List<Range> parsed = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String cidr = part.strip();
            int slash = cidr.indexOf('/');
            byte[] address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
            int max = address == null ? 0 : address.length * 8;
            int prefix = max;
            if (address != null && slash >= 0) {
                String bits = cidr.substring(slash + 1);
                prefix = bits.matches("[0-9]{1,3}") ? Integer.parseInt(bits) : -1;
            }
            if (address == null || prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(
                        "not an address or CIDR range (such as 127.0.0.1, 10.0.0.0/8 or fd00::/8): '"
                                + (cidr.length() > 60 ? cidr.substring(0, 60) + "..." : cidr) + "'");
            }
            byte[] network = address.clone();
            for (int i = 0; i < network.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                network[i] &= (byte) (0xff << (8 - keep));
            }
            parsed.add(new Range(network, prefix));
        }
        return parsed;
    }

    /** {@return whether a connection from this address (as a server reports it) is a trusted proxy's} */
    boolean trusts(String peer) {
        if (ranges.isEmpty() || peer == null) return false;
        byte[] a = literal(peer);
        return a != null && trusted(a);
    }

    private boolean trusted(byte[] address) {
        for (Range r : ranges) if (r.contains(address)) return true;
        return false;
    }

    /**
     * {@return the client's address}: the peer's, unless the peer is trusted and its forwarding
     * headers name another, well-formed
     *
     * @param peer the connection's remote address
     * @param headers a header's values by name, one per header line, empty when absent
     */
    String client(String peer, Function<String, List<String>> headers) {
        if (!trusts(peer)) return peer;
        try {
            String xff = joined(headers, "X-Forwarded-For");
            if (xff != null) return walk(peer, List.of(xff.split(",", -1)), false);
            String forwarded = joined(headers, "Forwarded");
            if (forwarded == null) return peer;
            List<@Nullable String> nodes = new ArrayList<>();
            for (List<String[]> element : Forwarded.elements(forwarded)) nodes.add(Forwarded.param(element, "for"));
            return walk(peer, nodes, true);
        } catch (RuntimeException malformed) { // a garbled header says nothing: the peer stays the client
            return peer;
        }
    }

    /**
     * {@return what a trusted peer says of the client's scheme: true for https, false for http,
     * null when it says nothing (or is not trusted)}
     */
    @Nullable
    Boolean forwardedSecure(String peer, Function<String, List<String>> headers) {
        if (!trusts(peer)) return null;
        try {
            String proto = joined(headers, "X-Forwarded-Proto");
            if (proto != null) {
                String[] values = proto.split(",");
                proto = values.length == 0 ? null : values[values.length - 1];
            } else {
                String forwarded = joined(headers, "Forwarded");
                List<List<String[]>> elements = forwarded == null ? List.of() : Forwarded.elements(forwarded);
                proto = elements.isEmpty() ? null : Forwarded.param(elements.getLast(), "proto");
            }
            if (proto == null) return null;
            return switch (proto.strip().toLowerCase(Locale.ROOT)) {
                case "https", "wss" -> Boolean.TRUE;
                case "http", "ws" -> Boolean.FALSE;
                default -> null;
            };
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** Walks the hops from the right: the first that is not trusted is the client; all trusted, the left-most. */
    private String walk(String peer, List<@Nullable String> hops, boolean forwardedSyntax) {
        String client = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (hop == null) return peer; // an element without for=
            hop = hop.strip();
            if (hop.isEmpty() && !forwardedSyntax) continue; // an empty list element, as HTTP's lists allow
            byte[] address = node(hop);
            if (address == null) return peer; // unknown, obfuscated or malformed: the proxy cannot say
            client = format(address);
            if (!trusted(address)) return client;
        }
        return client == null ? peer : client;
    }

    /** All of a header's lines as one list, or null when it is absent or blank. */
    private static @Nullable String joined(Function<String, List<String>> headers, String name) {
        List<String> lines = headers.apply(name);
        if (lines == null || lines.isEmpty()) return null;
        String all = String.join(",", lines);
        return all.isBlank() ? null : all;
    }

    /**
     * {@return a node's address, from {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]},
     * {@code [2001:db8::1]:4711} or a bare {@code 2001:db8::1}; null for {@code unknown}, an
     * obfuscated node ({@code _hidden}) or anything else}
     */
    static byte @Nullable [] node(String node) {
        if (node.length() > 100) return null;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0 || !port(node.substring(close + 1))) return null;
            byte[] a = literal(node.substring(1, close));
            return a != null && a.length == 16 ? a : null;
        }
        int colon = node.indexOf(':');
        if (colon >= 0 && colon == node.lastIndexOf(':')) { // IPv4 with a port
            byte[] a = port(node.substring(colon)) ? literal(node.substring(0, colon)) : null;
            return a != null && a.length == 4 ? a : null;
        }
        return literal(node);
    }

    /** {@return whether this is nothing, or {@code :PORT} with a port number or an obfuscated one} */
    private static boolean port(String s) {
        if (s.isEmpty() || s.matches(":_[A-Za-z0-9._-]{1,60}")) return true;
        return s.matches(":[0-9]{1,5}") && Integer.parseInt(s.substring(1)) <= 65535;
    }

    /**
     * {@return an IP address literal's bytes (4 or 16; an IPv4-mapped IPv6 address is its IPv4
     * address), or null when it is none} Never a name lookup. Brackets and an IPv6 zone are taken off.
     */
    static byte @Nullable [] literal(@Nullable String s) {
        if (s == null) return null;
        s = s.strip();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        int zone = s.indexOf('%');
        if (zone >= 0 && s.indexOf(':') >= 0) s = s.substring(0, zone);
        if (s.isEmpty() || s.length() > 45) return null;
        if (s.matches("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}")) {
            String[] parts = s.split("\\.");
            byte[] a = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) return null;
                a[i] = (byte) octet;
            }
            return a;
        }
        if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.]+")) return null;
        try {
            // in brackets the JDK parses an IPv6 literal, or refuses, and never looks a name up
            return InetAddress.getByName("[" + s + "]").getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** {@return an address as text: IPv4 dotted, IPv6 in RFC 5952's short form, without brackets} */
    static String format(byte[] a) {
        if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** RFC 7239's {@code Forwarded} header: elements separated by commas, pairs by semicolons, values tokens or quoted strings. */
    static final class Forwarded {
        private Forwarded() {}

        /**
         * {@return the elements, each its pairs (name in lower case, value unquoted)}
         *
         * @throws IllegalArgumentException when it is malformed
         */
        static List<List<String[]>> elements(String header) {
            List<List<String[]>> elements = new ArrayList<>();
            List<String[]> element = new ArrayList<>();
            int i = 0;
            int n = header.length();
            while (i < n) {
                char c = header.charAt(i);
                if (c == ' ' || c == '\t' || c == ';') {
                    i++;
                    continue;
                }
                if (c == ',') {
                    if (!element.isEmpty()) elements.add(element);
                    element = new ArrayList<>();
                    i++;
                    continue;
                }
                int eq = i;
                while (eq < n && isToken(header.charAt(eq))) eq++;
                if (eq == i || eq >= n || header.charAt(eq) != '=')
                    throw new IllegalArgumentException("a pair without a name or '='");
                String name = header.substring(i, eq).toLowerCase(Locale.ROOT);
                i = eq + 1;
                StringBuilder value = new StringBuilder();
                if (i < n && header.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= n) throw new IllegalArgumentException("an unterminated quoted string");
                        char q = header.charAt(i++);
                        if (q == '"') break;
                        if (q == '\\') {
                            if (i >= n) throw new IllegalArgumentException("an unterminated quoted string");
                            q = header.charAt(i++);
                        }
                        value.append(q);
                    }
                } else { // a node with a port should be quoted; taken unquoted too
                    while (i < n && (isToken(header.charAt(i)) || ":[]".indexOf(header.charAt(i)) >= 0))
                        value.append(header.charAt(i++));
                }
                if (i < n && ";, \t".indexOf(header.charAt(i)) < 0)
                    throw new IllegalArgumentException("a value followed by '" + header.charAt(i) + "'");
                element.add(new String[] {name, value.toString()});
            }
            if (!element.isEmpty()) elements.add(element);
            return elements;
        }

        /**
         * {@return the value of a parameter in an element, or null when it has none}
         *
         * @throws IllegalArgumentException when it has the parameter twice
         */
        static @Nullable String param(List<String[]> element, String name) {
            String found = null;
            for (String[] pair : element) {
                if (!pair[0].equals(name)) continue;
                if (found != null) throw new IllegalArgumentException("a parameter twice in one element: " + name);
                found = pair[1];
            }
            return found;
        }

        private static boolean isToken(char c) {
            return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
    }
}
