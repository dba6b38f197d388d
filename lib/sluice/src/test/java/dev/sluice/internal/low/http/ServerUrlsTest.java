package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is left of a URL in a message: scheme, host, port and path; never its user information, query or fragment. */
class ServerUrlsTest {

    @Test
    void clean_credentialsInUserInfoQueryAndFragment_takenOutAddressKept() {
        assertEquals(
                "could not reach https://mcp.internal.example:8443/v1/mcp?… (refused)",
                ServerUrls.clean(
                        "could not reach https://admin:hunter22@mcp.internal.example:8443/v1/mcp?access_token=tok-123&x=1#frag (refused)"));
        assertEquals("see http://h.example/doc?….", ServerUrls.clean("see http://h.example/doc#token=abc."));
        assertEquals(
                "{\"url\":\"https:\\/\\/h.example\\/x?…\"}",
                ServerUrls.clean("{\"url\":\"https:\\/\\/u:p@h.example\\/x?key=AIza123\"}"));
        assertEquals("wss://h.example:9/ws?…", ServerUrls.clean("wss://h.example:9/ws?sig=1"));
        assertEquals("http://h.example/a@b/c", ServerUrls.clean("http://h.example/a@b/c"));
    }

    @Test
    void clean_textWithoutUrls_unchanged() {
        String prose = "model gpt-4.1 said: a?b #3 user@example.com messages.0.content";
        assertEquals(prose, ServerUrls.clean(prose));
    }

    @Test
    void serverTextClean_urlWithAKeyInItsQuery_keyGoneEvenWhenNoHeaderCarriesIt() {
        assertEquals(
                "invalid request to https://generativelanguage.googleapis.com/v1beta/models?…",
                ServerText.clean(
                        "invalid request to https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyD-not-a-header",
                        Map.of()));
    }
}
