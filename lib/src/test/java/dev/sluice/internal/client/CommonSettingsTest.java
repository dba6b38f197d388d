package dev.sluice.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.http.UserAgent;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommonSettingsTest {
    private static final String KEY = "sk-secret-123";

    private static CommonSettings settings() {
        return new CommonSettings("https://api.example.com", "EX_API_KEY", "EX_BASE_URL", Set.of("x-key", "accept"),
                "use apiKey(..) for the key");
    }

    @Test
    void requireComplete_withoutKey_namesTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> settings().requireComplete(true));
        assertEquals("apiKey is required: call apiKey(..) or set EX_API_KEY", e.getMessage());
    }

    @Test
    void requireComplete_connectTimeoutWithHttpClient_refusedOnlyWhenAsked() {
        CommonSettings s = settings();
        s.apiKey(KEY);
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            s.httpClient(client);
            s.connectTimeout(Duration.ofSeconds(1));
            assertTrue(assertThrows(IllegalStateException.class, () -> s.requireComplete(true)).getMessage()
                    .contains("connectTimeout"));
            s.requireComplete(false);
        }
    }

    @Test
    void readEnv_badBaseUrl_messageStartsWithTheVariable_blankValuesIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings().readEnv(Map.of("EX_BASE_URL", "ftp://x")));
        assertTrue(e.getMessage().startsWith("EX_BASE_URL must be an absolute http or https URL"), e.getMessage());
        assertTrue(e.getMessage().contains("https://api.example.com"), "the default as example: " + e.getMessage());
        CommonSettings s = settings();
        s.readEnv(Map.of("EX_API_KEY", " ", "EX_BASE_URL", ""));
        assertNull(s.apiKey());
        assertEquals("https://api.example.com", s.baseUrl().toString());
        s.readEnv(Map.of("EX_API_KEY", " " + KEY + " ", "EX_BASE_URL", "http://h:1/p/"));
        assertEquals(KEY, s.apiKey());
        assertEquals("http://h:1/p", s.baseWithoutTrailingSlash());
    }

    @Test
    void apiKey_controlCharacter_refusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings().apiKey(KEY + "\u0001"));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertThrows(NullPointerException.class, () -> settings().apiKey(null));
    }

    @Test
    void header_reservedName_refusedWithTheHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings().header("X-Key", "v"));
        assertEquals("header X-Key is set by the client; use apiKey(..) for the key", e.getMessage());
        new CommonSettings("https://h", "A", "B").header("X-Key", "v"); // nothing reserved
    }

    @Test
    void headersAfter_providerHeadersThenUserAgentThenExtras_extrasReplaceByLowerCaseName() {
        CommonSettings s = settings();
        s.header("X-Extra", "1");
        s.header("x-extra", "2");
        Map<String, String> h = s.headersAfter(Map.of("x-key", KEY));
        assertEquals(List.of("x-key", "user-agent", "x-extra"), List.copyOf(h.keySet()));
        assertEquals(UserAgent.VALUE, h.get("user-agent"));
        assertEquals("2", h.get("x-extra"));
        s.header("User-Agent", "app/1");
        assertEquals("app/1", s.headersAfter(Map.of()).get("user-agent"));
        assertThrows(UnsupportedOperationException.class, () -> h.put("a", "b"));
    }

    @Test
    void describe_hidesTheKey() {
        CommonSettings s = settings();
        assertEquals("baseUrl=https://api.example.com, apiKey=(not set)", s.describe());
        s.apiKey(KEY);
        assertFalse(s.describe().contains(KEY));
        assertTrue(s.describe().contains("apiKey=(hidden)"));
    }
}
