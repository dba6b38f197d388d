package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.relay.Relay;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Fuzzes the forwarding headers a proxy sends ({@link RelayAdmission#clientAddress}, {@link RelayAdmission#secure}):
 * the input's lines are {@code X-Forwarded-For}, {@code Forwarded} and {@code X-Forwarded-Proto}
 * (a line of its own each; a missing line is an absent header). For any headers: nothing is
 * thrown; from a trusted peer the client is the peer or an address that reads back as itself (a
 * literal, never a name), and from a peer that is not trusted it is always that peer. The committed
 * inputs in {@code TrustedProxiesFuzzTestInputs/headers} replay in every build.
 */
class TrustedProxiesFuzzTest {
    private static final RelayAdmission HTTP = RelayAdmission.builder(Relay.builder()
                    .source("fuzz", "model", (request, controller) -> {
                        throw new IllegalStateException("no stream runs here");
                    })
                    .build())
            .trustedProxy("127.0.0.1, 10.0.0.0/8, fd00::/8")
            .build();

    @DictionaryEntries({
        "for=",
        "proto=",
        "by=",
        "host=",
        "\"[",
        "]:",
        "unknown",
        "_hidden",
        "::ffff:",
        "10.0.0.1",
        "fd00::1",
        "https",
        ", "
    })
    @FuzzTest
    void headers(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 3);
        Function<String, List<String>> headers = name -> {
            int i = switch (name) {
                case "X-Forwarded-For" -> 0;
                case "Forwarded" -> 1;
                case "X-Forwarded-Proto" -> 2;
                default -> -1;
            };
            return i >= 0 && i < lines.length ? List.of(lines[i]) : List.of();
        };
        String client = HTTP.clientAddress("127.0.0.1", headers);
        assertNotNull(client);
        if (!client.equals("127.0.0.1")) {
            byte[] address = TrustedProxies.literal(client);
            assertNotNull(address, () -> "not an address: " + client);
            assertEquals(client, TrustedProxies.format(address), "written as it reads back");
        }
        assertEquals("203.0.113.9", HTTP.clientAddress("203.0.113.9", headers));
        HTTP.secure("127.0.0.1", false, headers);
        assertTrue(HTTP.secure("203.0.113.9", true, headers), "an untrusted peer says nothing");
    }
}
