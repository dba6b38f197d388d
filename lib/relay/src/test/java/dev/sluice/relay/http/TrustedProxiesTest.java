package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.Relay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who a request's client is behind a proxy ({@link RelayAdmission#clientAddress}, {@link RelayAdmission#secure}):
 * the forwarding headers read only from a trusted peer, from the right, and a malformed one
 * keeping the peer. The same rules over real sockets, on every server: {@code TrustedProxyTest} in
 * sluice-server's suite.
 */
class TrustedProxiesTest {
    private static final RelayAdmission HTTP = RelayAdmission.builder(Relay.builder()
                    .source("p", "m", (request, controller) -> {
                        throw new IllegalStateException("no stream runs in these tests");
                    })
                    .build())
            .trustedProxy("127.0.0.1")
            .trustedProxy("10.0.0.0/8, fd00::/8")
            .build();

    /** Headers as a server hands them: each name to its lines, any case. */
    private static Function<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.computeIfAbsent(namesAndValues[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(namesAndValues[i + 1]);
        }
        return name -> m.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    private static String client(String peer, String... headers) {
        return HTTP.clientAddress(peer, headers(headers));
    }

    @Test
    void trustedProxies_asGiven_listedAsCidrsWithTheirNetwork() {
        assertEquals(List.of("127.0.0.1/32", "10.0.0.0/8", "fd00::/8"), HTTP.trustedProxies());
        RelayAdmission none = new RelayAdmission(HTTP.relay());
        assertEquals(List.of(), none.trustedProxies());
        assertEquals(
                List.of("192.168.0.0/16", "::1/128"),
                RelayAdmission.builder(HTTP.relay())
                        .trustedProxy("192.168.7.9/16,::1")
                        .build()
                        .trustedProxies());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "localhost",
                "proxy.internal",
                "10.0.0.0/33",
                "::1/129",
                "1.2.3",
                "1.2.3.256",
                "10.0.0.0/",
                "10.0.0.0/-1",
                "10.0.0.0/8/8",
                "127.0.0.1,",
                "fe80::1::2",
                "*"
            })
    void trustedProxy_notAnAddressOrRange_refusedNamingIt(String spec) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RelayAdmission.builder(HTTP.relay()).trustedProxy(spec));
        assertTrue(e.getMessage().startsWith("not an address or CIDR range"), e.getMessage());
    }

    @Test
    void untrustedPeer_forgedHeaders_ignoredCompletely() {
        assertEquals("203.0.113.9", client("203.0.113.9", "X-Forwarded-For", "198.51.100.1"));
        assertEquals("203.0.113.9", client("203.0.113.9", "Forwarded", "for=198.51.100.1"));
        assertEquals("127.0.0.2", client("127.0.0.2", "X-Forwarded-For", "198.51.100.1"));
        assertFalse(HTTP.secure("203.0.113.9", false, headers("X-Forwarded-Proto", "https")));
        assertTrue(HTTP.secure("203.0.113.9", true, headers("X-Forwarded-Proto", "http")));
        RelayAdmission none = new RelayAdmission(HTTP.relay());
        assertEquals("127.0.0.1", none.clientAddress("127.0.0.1", headers("X-Forwarded-For", "198.51.100.1")));
    }

    @Test
    void trustedPeer_noHeader_isTheClient() {
        assertEquals("127.0.0.1", client("127.0.0.1"));
        assertEquals("127.0.0.1", client("127.0.0.1", "X-Forwarded-For", "  "));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "198.51.100.7 | 198.51.100.7",
                "198.51.100.7, 10.1.2.3 | 198.51.100.7", // a trusted hop on the way is skipped
                "6.6.6.6, 198.51.100.7 | 198.51.100.7", // what the client wrote itself, left of the first untrusted, is
                // not believed
                "6.6.6.6, 198.51.100.7, 10.0.0.5, 10.9.9.9 | 198.51.100.7",
                "10.0.0.5, 10.0.0.6 | 10.0.0.5", // every hop trusted: the left-most
                "198.51.100.7:4711 | 198.51.100.7", // a port, as some proxies write it
                "2001:db8::17 | 2001:db8::17",
                "[2001:DB8:0:0:0:0:0:17]:4711 | 2001:db8::17", // brackets, a port, the long form: written short
                "::ffff:198.51.100.7 | 198.51.100.7", // IPv4-mapped: the IPv4 address
                "198.51.100.7,, 10.0.0.5 , | 198.51.100.7", // empty list elements, as HTTP's lists allow
                "fd00::1, 198.51.100.7, fd12::3 | 198.51.100.7",
            })
    void trustedPeer_xForwardedFor_theRightMostUntrusted(String xff, String expected) {
        assertEquals(expected, client("127.0.0.1", "X-Forwarded-For", xff));
        assertEquals(expected, client("10.20.30.40", "X-Forwarded-For", xff));
        assertEquals(expected, client("[fd00::5]", "X-Forwarded-For", xff), "a peer as Jetty reports IPv6");
    }

    @Test
    void trustedPeer_xForwardedForOnSeveralLines_readAsOneListInOrder() {
        // a proxy that adds its own line after the client's: the client's forged line is left of it
        assertEquals(
                "198.51.100.7", client("127.0.0.1", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "198.51.100.7"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "unknown",
                "198.51.100.7, unknown",
                "198.51.100.7, proxy.example",
                "198.51.100.7, 1.2.3.999",
                "_hidden",
                "198.51.100.7:99999",
                "[2001:db8::1",
                "2001:db8::1]:80",
                "[198.51.100.7]",
                "1.2.3.4:5:6",
                "\u0000",
                "\uFFFF\uD800",
                "198.51.100.7 10.0.0.1",
                "%",
                "[::1%eth0]:x"
            })
    void trustedPeer_garbledXForwardedFor_keepsThePeer(String xff) {
        assertEquals("127.0.0.1", client("127.0.0.1", "X-Forwarded-For", xff));
    }

    @Test
    void trustedPeer_garbledLeftOfTheClient_doesNotMatter() {
        assertEquals("198.51.100.7", client("127.0.0.1", "X-Forwarded-For", "garbage, unknown, 198.51.100.7"));
    }

    @Test
    void trustedPeer_hugeHeader_answersWithoutThrowing() {
        String many = "10.0.0.1, ".repeat(50_000) + "198.51.100.7";
        assertEquals(
                "198.51.100.7", client("127.0.0.1", "X-Forwarded-For", "198.51.100.7, " + "10.0.0.1, ".repeat(50_000)));
        assertEquals("198.51.100.7", client("127.0.0.1", "X-Forwarded-For", many));
        assertEquals("127.0.0.1", client("127.0.0.1", "X-Forwarded-For", "9".repeat(100_000)));
        assertEquals("127.0.0.1", client("127.0.0.1", "Forwarded", "for=\"" + "[".repeat(100_000)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "for=198.51.100.7 | 198.51.100.7",
                "for=\"198.51.100.7:4711\" | 198.51.100.7",
                "for=198.51.100.7:4711 | 198.51.100.7", // unquoted, as it should not be: taken all the same
                "For=\"[2001:db8:cafe::17]:4711\" | 2001:db8:cafe::17",
                "for=\"[2001:db8:cafe::17]\";proto=https;by=10.0.0.1 | 2001:db8:cafe::17",
                "for=6.6.6.6, for=198.51.100.7;proto=https, for=10.0.0.5 | 198.51.100.7",
                "for=10.0.0.5, for=10.0.0.6 | 10.0.0.5",
                "for=\"198.51.100.7\" ; proto=http , for=\"10.0.0.3:_port\" | 198.51.100.7",
                "by=10.0.0.1;for=198.51.100.7;host=chat.example.com | 198.51.100.7",
                "for=\"198.51\\.100.7\" | 198.51.100.7", // a quoted-pair
            })
    void trustedPeer_forwarded_theRightMostUntrusted(String forwarded, String expected) {
        assertEquals(expected, client("127.0.0.1", "Forwarded", forwarded));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "for=unknown",
                "for=_hidden",
                "for=\"_gazonk\"",
                "for=\"[2001:db8::1]:_x\", for=unknown",
                "for=198.51.100.7, proto=https",
                "for=\"198.51.100.7",
                "for",
                "=198.51.100.7",
                "for==1",
                "for=198.51.100.7;for=6.6.6.6",
                "for=\"[2001:db8::1\"",
                "for=1.2.3.4x\"",
                "for=\"\"",
                "for=proxy.example",
                "for=\"[198.51.100.7]\""
            })
    void trustedPeer_forwardedUnknownObfuscatedOrGarbled_keepsThePeer(String forwarded) {
        assertEquals("127.0.0.1", client("127.0.0.1", "Forwarded", forwarded));
    }

    @Test
    void trustedPeer_bothHeaders_xForwardedForWins() {
        // a proxy that writes X-Forwarded-For and passes on a client's Forwarded: the client's says nothing
        assertEquals(
                "198.51.100.7", client("127.0.0.1", "Forwarded", "for=6.6.6.6", "X-Forwarded-For", "198.51.100.7"));
    }

    @Test
    void secure_trustedPeer_asTheProxySays() {
        assertTrue(HTTP.secure("127.0.0.1", false, headers("X-Forwarded-Proto", "https")));
        assertTrue(HTTP.secure("127.0.0.1", false, headers("X-Forwarded-Proto", "HTTPS ")));
        assertTrue(
                HTTP.secure("127.0.0.1", false, headers("X-Forwarded-Proto", "http, https")),
                "the last value: the nearest proxy's");
        assertFalse(HTTP.secure("127.0.0.1", true, headers("X-Forwarded-Proto", "http")));
        assertTrue(HTTP.secure("127.0.0.1", false, headers("Forwarded", "for=198.51.100.7;proto=https")));
        assertFalse(HTTP.secure(
                "127.0.0.1", true, headers("Forwarded", "for=198.51.100.7;proto=https, for=10.0.0.1;proto=http")));
        assertTrue(HTTP.secure("127.0.0.1", false, headers("X-Forwarded-Proto", "https", "Forwarded", "proto=http")));
        // says nothing, or nothing readable: the connection's own
        assertTrue(HTTP.secure("127.0.0.1", true, headers()));
        assertFalse(HTTP.secure("127.0.0.1", false, headers("X-Forwarded-Proto", "gopher")));
        assertTrue(HTTP.secure("127.0.0.1", true, headers("X-Forwarded-Proto", ",")));
        assertFalse(HTTP.secure("127.0.0.1", false, headers("Forwarded", "proto=\"https")));
    }

    @Test
    void trustsProxy_peerForms() {
        assertTrue(HTTP.trustsProxy("127.0.0.1"));
        assertTrue(HTTP.trustsProxy("10.255.255.255"));
        assertTrue(HTTP.trustsProxy("[fd00::1]"));
        assertTrue(HTTP.trustsProxy("fdff:0:0:0:0:0:0:1"));
        assertTrue(HTTP.trustsProxy("::ffff:10.0.0.1"));
        assertFalse(HTTP.trustsProxy("11.0.0.1"));
        assertFalse(HTTP.trustsProxy("fe00::1"));
        assertFalse(HTTP.trustsProxy("localhost"), "a name is never looked up");
        assertFalse(HTTP.trustsProxy(""));
        assertFalse(HTTP.trustsProxy(null));
    }

    @Test
    void ranges_prefixesThatAreNotWholeBytes() {
        RelayAdmission http = RelayAdmission.builder(HTTP.relay())
                .trustedProxy("192.168.4.0/22, 2001:db8:8000::/33")
                .build();
        assertTrue(http.trustsProxy("192.168.7.255"));
        assertFalse(http.trustsProxy("192.168.8.0"));
        assertFalse(http.trustsProxy("192.168.3.255"));
        assertTrue(http.trustsProxy("2001:db8:ffff::1"));
        assertFalse(http.trustsProxy("2001:db8:7fff::1"));
        assertEquals(
                List.of("0.0.0.0/0"),
                RelayAdmission.builder(HTTP.relay())
                        .trustedProxy("1.2.3.4/0")
                        .build()
                        .trustedProxies());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "::1 | ::1",
                "0:0:0:0:0:0:0:0 | ::",
                "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
                "2001:db8:0:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
                "fe80:0:0:0:0:0:0:0 | fe80::",
                "1:0:0:2:0:0:0:3 | 1:0:0:2::3"
            })
    void format_ipv6_rfc5952(String literal, String expected) {
        assertEquals(expected, TrustedProxies.format(TrustedProxies.literal(literal)));
    }
}
