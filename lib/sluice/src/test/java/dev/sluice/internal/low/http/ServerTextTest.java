package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ServerText#clean} leaves of a key a server echoes: not the key, nor a run of its
 * characters long enough to matter (masked, in another case, reversed, split by invisible
 * characters or whitespace; in base64, base64url, hex, percent-encoded or rot13); and ordinary
 * prose, short fragments of the key included, as it was.
 */
class ServerTextTest {
    private static final String KEY = "sk-ant-api03-Q7xLp2Vb9Mn4Rt8Wc5Zk1Hs6Jd3Fg0cdef";
    private static final Map<String, String> HEADERS = Map.of("x-api-key", KEY, "anthropic-version", "2023-06-01");

    private static String clean(String text) {
        return ServerText.clean(text, HEADERS);
    }

    @Test
    void clean_maskedEcho_visibleHeadAndTailRedacted() {
        assertEquals("invalid x-api-key [redacted]****[redacted]", clean("invalid x-api-key sk-ant-a****cdef"));
        assertEquals(
                "Incorrect API key provided: [redacted]" + "*".repeat(30) + "[redacted]. See the docs.",
                clean("Incorrect API key provided: sk-ant-api03-Q7" + "*".repeat(30) + "Fg0cdef. See the docs."));
        assertEquals("key [redacted]…[redacted]", clean("key sk-ant-…cdef"));
        assertEquals("key [redacted]xxxxxxxx[redacted]", clean("key sk-ant-axxxxxxxxcdef"));
    }

    @Test
    void clean_sigV4Authorization_signatureRedactedTheWordsOfTheMessageKept() {
        String signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        Map<String, String> headers = Map.of(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request,"
                        + " SignedHeaders=content-type;host;x-amz-date, Signature=" + signature);
        assertEquals("InvalidSignatureException", ServerText.clean("InvalidSignatureException", headers));
        assertEquals(
                "The request signature we calculated does not match the signature you provided (not [redacted]).",
                ServerText.clean(
                        "The request signature we calculated does not match the signature you provided (not "
                                + signature + ").",
                        headers));
    }

    @Test
    void clean_upperCasedKey_redacted() {
        assertEquals("key [redacted] refused", clean("key " + KEY.toUpperCase(Locale.ROOT) + " refused"));
    }

    @Test
    void clean_reversedKey_redacted() {
        assertEquals("key [redacted] refused", clean("key " + new StringBuilder(KEY).reverse() + " refused"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"})
    void clean_keySplitByInvisibleCharacters_redacted(String invisible) {
        String split = KEY.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(invisible));
        assertEquals("key [redacted] refused", clean("key " + split + " refused"));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "\t ", "\u00A0"})
    void clean_keySplitByWhitespace_redacted(String space) {
        String split = KEY.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(space));
        assertEquals("key [redacted] refused", clean("key " + split + " refused"));
    }

    @Test
    void clean_eightCharactersOfTheKeyAnywhere_redactedSevenKept() {
        assertEquals("part [redacted] of it", clean("part " + KEY.substring(20, 28) + " of it"));
        assertEquals("part " + KEY.substring(20, 27) + " of it", clean("part " + KEY.substring(20, 27) + " of it"));
    }

    @Test
    void clean_fourCharactersNextToAMask_redactedAloneOrShorterKept() {
        assertEquals("ends in ***[redacted]", clean("ends in ***cdef"));
        assertEquals("ends in cdef", clean("ends in cdef"));
        assertEquals("ends in ***def", clean("ends in ***def"));
    }

    @Test
    void clean_proseWithShortPiecesOfTheKey_unchanged() {
        String prose = "The API key in the x-api-key header is not valid: keys start with sk-ant- and the"
                + " rest is secret; see https://docs.anthropic.com/en/api/errors (anthropic-version 2023-06-01).";
        assertEquals(prose, clean(prose));
        String list = "Accepted values: sk-, api, 03, Q7, ant, the, cdef, def.";
        assertEquals(list, clean(list));
    }

    @Test
    void clean_shortKeyWholeInAnyCase_redactedPiecesKept() {
        Map<String, String> headers = Map.of("x-goog-api-key", "AIzaKEY");
        assertEquals(
                "key [redacted] and [redacted], not AIza",
                ServerText.clean("key aizakey and AIZAKEY, not AIza", headers));
    }

    @Test
    void clean_oneLetterTestKey_messageNotShredded() {
        Map<String, String> headers = Map.of("x-api-key", "k", "authorization", "Bearer k");
        String text = "When thinking is enabled, a final assistant message must start with a thinking block";
        assertEquals(text, ServerText.clean(text, headers));
    }

    @Test
    void clean_bearerTokenAndCookieEchoed_redactedOtherHeadersKept() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer sk-proj-abc123");
        headers.put("Cookie", "session=s3cr3t");
        headers.put("OpenAI-Organization", "org-visible");
        headers.put("x-goog-api-key", "AIzaKEY");
        String text = "token sk-proj-abc123, header 'Bearer sk-proj-abc123', cookie session=s3cr3t,"
                + " org org-visible, key AIzaKEY";
        assertEquals(
                "token [redacted], header '[redacted]', cookie [redacted], org org-visible, key [redacted]",
                ServerText.clean(text, headers));
    }

    @Test
    void clean_longTextWithTheKeyEverywhere_redactedAndCut() {
        String text = ("echo " + KEY + " ").repeat(2_000);
        String cleaned = clean(text);
        assertFalse(cleaned.toLowerCase(Locale.ROOT).contains("cdef"), cleaned);
        assertTrue(cleaned.length() <= ServerText.MAX_MESSAGE_CHARS + 1, cleaned);
        assertTrue(cleaned.startsWith("echo [redacted] echo [redacted]"), cleaned);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "xy", "{\"api_key\":\""})
    void clean_keyInBase64OrBase64UrlAtAnyOffset_redactedWithItsRun(String before) {
        for (Base64.Encoder encoder : List.of(
                Base64.getEncoder(),
                Base64.getUrlEncoder(),
                Base64.getUrlEncoder().withoutPadding())) {
            for (String after : List.of("", "z", "\"}")) {
                String encoded = encoder.encodeToString((before + KEY + after).getBytes(StandardCharsets.UTF_8));
                assertEquals("token [redacted] refused", clean("token " + encoded + " refused"), before + "|" + after);
                assertEquals("token [redacted]", clean("token " + encoded.substring(0, 24)), "a truncated echo");
            }
        }
    }

    @Test
    void clean_keyWhoseBase64HasPlusOrSlash_eitherAlphabetPaddedRedactedWhole() {
        String key = "sk-~~~??>>~~~??>>qr"; // 19 bytes: its encodings hold + and / (- and _) and end in ==
        Map<String, String> headers = Map.of("x-api-key", key);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String encoded = encoder.encodeToString(key.getBytes(StandardCharsets.UTF_8));
            assertTrue(encoded.matches(".*[-+/_].*==$"), encoded);
            assertEquals("token [redacted] refused", ServerText.clean("token " + encoded + " refused", headers));
        }
    }

    @Test
    void clean_keyInHexEitherCase_redacted() {
        String hex = HexFormat.of().formatHex(KEY.getBytes(StandardCharsets.UTF_8));
        assertEquals("key [redacted] refused", clean("key " + hex + " refused"));
        assertEquals("key [redacted] refused", clean("key " + hex.toUpperCase(Locale.ROOT) + " refused"));
        assertEquals("key 0x[redacted]", clean("key 0x" + hex.substring(10, 30)));
    }

    @Test
    void clean_keyPercentEncodedOrAsAFormValue_redacted() {
        StringBuilder percent = new StringBuilder();
        for (byte b : KEY.getBytes(StandardCharsets.UTF_8)) percent.append('%').append(String.format("%02X", b));
        assertEquals("url ?key=[redacted] refused", clean("url ?key=" + percent + " refused"));
        String slashed = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+a1"; // an AWS secret key has / and +
        Map<String, String> headers = Map.of("x-amz-secret", slashed);
        assertEquals(
                "url ?k=[redacted] refused",
                ServerText.clean("url ?k=" + URLEncoder.encode(slashed, StandardCharsets.UTF_8) + " refused", headers));
    }

    @Test
    void clean_keyInRot13_redacted() {
        StringBuilder rot = new StringBuilder();
        for (char c : KEY.toCharArray()) {
            rot.append(
                    c >= 'a' && c <= 'z'
                            ? (char) ('a' + (c - 'a' + 13) % 26)
                            : c >= 'A' && c <= 'Z' ? (char) ('A' + (c - 'A' + 13) % 26) : c);
        }
        assertEquals("key [redacted] refused", clean("key " + rot + " refused"));
    }

    @Test
    void clean_otherEncodedTextAndIds_unchanged() {
        String text = "request req_011CUk8d9JZ4bqLQ4xk2WnZp, trace 4bf92f3577b34da6a3ce929d0e0e4736, payload"
                + " eyJ0eXBlIjoiZXJyb3IifQ==, path /v1/messages%3Fbeta%3Dtrue";
        assertEquals(text, clean(text));
    }

    @Test
    void isCredential_credentialHeaderNamesOnly() {
        for (String name : List.of(
                "Authorization",
                "x-api-key",
                "X-Goog-Api-Key",
                "api-key",
                "Proxy-Authorization",
                "Cookie",
                "set-cookie",
                "x-session-token",
                "X-Client-Secret",
                "Idempotency-Key",
                "x-auth-user")) {
            assertTrue(ServerText.isCredential(name), name);
        }
        for (String name : List.of(
                "anthropic-version", "anthropic-beta", "content-type", "user-agent", "OpenAI-Organization", "accept")) {
            assertFalse(ServerText.isCredential(name), name);
        }
    }
}
