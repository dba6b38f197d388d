package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.relay.http.HttpRefusals.Refused;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the guard's refusals say before a client has shown the token: that it is refused and why,
 * never the names, addresses or origins the server is configured with, nor anything of the token.
 * A page on a rebound DNS name reads these answers as its own. Over real sockets: {@code RelaySecurityTest}.
 */
class RequestGuardTest {
    private static final String TOKEN = "a-token-of-sixteen-chars";

    private static Function<String, String> headers(String... namesAndValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put(namesAndValues[i], namesAndValues[i + 1]);
        return m::get;
    }

    private static RequestGuard everyAddress() {
        return RequestGuard.builder("0.0.0.0", 8080)
                .allowHost("chat.internal.example")
                .allowOrigin("https://app.internal.example")
                .token(TOKEN)
                .build();
    }

    /** Asserts that the refusal names nothing the server is configured with. */
    private static void namesNothingConfigured(RequestGuard guard, HttpRefusal e) {
        String said = e.message() + e.json();
        for (String host : guard.hosts()) {
            if (host.equals("localhost")) continue; // a word the message may use as prose; the addresses are what leak
            assertFalse(said.contains(host), () -> "names " + host + ": " + said);
        }
        for (String origin : guard.origins()) assertFalse(said.contains(origin), () -> "names " + origin + ": " + said);
        assertFalse(said.contains("internal.example"), said);
        assertFalse(said.contains(TOKEN.substring(0, 8)), said);
    }

    @Test
    void checkOriginAndHostName_asTheBuildersTakeThem_normalizedOrRefusedAtOnce() {
        assertEquals("https://chat.example.com", RequestGuard.checkOrigin(" HTTPS://Chat.Example.com:443/ "));
        assertEquals("http://10.0.0.2:8080", RequestGuard.checkOrigin("http://10.0.0.2:8080"));
        for (String notAnOrigin : new String[] {"chat.example.com", "https://chat.example.com/app", "https://x?q=1"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RequestGuard.checkOrigin(notAnOrigin));
            assertTrue(e.getMessage().contains("scheme://host[:port]"), e.getMessage());
        }
        assertEquals("relay.example.com", RequestGuard.checkHostName("Relay.Example.com"));
        assertEquals("[::1]", RequestGuard.checkHostName("[::1]"));
        for (String notAName : new String[] {"", "relay.example.com/x", "http://relay"}) {
            assertThrows(IllegalArgumentException.class, () -> RequestGuard.checkHostName(notAName));
        }
        // both server builders check at once, not at the first request
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.builder().allowOrigin("chat.example.com"));
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.builder().allowHost("a/b"));
    }

    @Test
    void checkHost_boundToEveryAddress_refusalNamesNoAddressOrAllowedName() {
        RequestGuard guard = everyAddress();
        assertTrue(guard.hosts().size() > 3, "the interfaces' addresses are accepted: " + guard.hosts());
        HttpRefusal e = assertThrows(
                        Refused.class, () -> guard.checkHost(headers("Host", "rebound.attacker.test:8080")))
                .refusal();
        assertEquals(403, e.status());
        assertEquals("host_not_allowed", e.type());
        namesNothingConfigured(guard, e);
    }

    @Test
    void checkApi_foreignOriginOrNoToken_refusalNamesNothingConfigured() {
        RequestGuard guard = everyAddress();
        HttpRefusal origin = assertThrows(
                        Refused.class,
                        () -> guard.checkApi(headers("Host", "127.0.0.1:8080", "Origin", "http://evil.example")))
                .refusal();
        assertEquals("origin_not_allowed", origin.type());
        namesNothingConfigured(guard, origin);
        HttpRefusal token = assertThrows(
                        Refused.class,
                        () -> guard.checkApi(headers(
                                "Host",
                                "127.0.0.1:8080",
                                "Authorization",
                                "Bearer " + TOKEN.substring(0, 12) + "xxxx")))
                .refusal();
        assertEquals(401, token.status());
        namesNothingConfigured(guard, token);
    }

    @Test
    void checkApi_tokenAsXApiKey_acceptedAndWrongKeyRefused() {
        RequestGuard guard = everyAddress();
        guard.checkApi(headers("Host", "127.0.0.1:8080", "x-api-key", TOKEN)); // Anthropic's clients send it so
        HttpRefusal wrong = assertThrows(
                        Refused.class,
                        () -> guard.checkApi(
                                headers("Host", "127.0.0.1:8080", "x-api-key", TOKEN.substring(0, 12) + "xxxx")))
                .refusal();
        assertEquals(401, wrong.status());
        namesNothingConfigured(guard, wrong);
    }

    @Test
    void checkApi_bearerAndApiKeyBoth_passOnlyWhenBothAreTheToken() {
        RequestGuard guard = everyAddress();
        guard.checkApi(headers("Host", "127.0.0.1:8080", "Authorization", "Bearer " + TOKEN, "x-api-key", TOKEN));
        guard.checkApi(headers("Host", "127.0.0.1:8080", "x-api-key", TOKEN));
        guard.checkApi(headers("Host", "127.0.0.1:8080", "Authorization", "Bearer " + TOKEN));
        for (Function<String, String> disagreeing : java.util.List.of(
                headers("Host", "127.0.0.1:8080", "Authorization", "Bearer " + TOKEN, "x-api-key", "sk-ant-another"),
                headers("Host", "127.0.0.1:8080", "Authorization", "Bearer sk-another", "x-api-key", TOKEN))) {
            HttpRefusal e = assertThrows(Refused.class, () -> guard.checkApi(disagreeing))
                    .refusal();
            assertEquals(401, e.status());
            assertEquals("unauthorized", e.type());
            namesNothingConfigured(guard, e);
        }
    }
}
