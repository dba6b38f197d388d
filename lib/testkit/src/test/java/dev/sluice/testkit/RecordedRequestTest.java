package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the server records of each request, and how a test takes it. */
class RecordedRequestTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private final FakeLlmServer server = FAKE.server();

    @BeforeEach
    void start() {
        server.setDispatcher(r -> FakeResponse.status(200));
    }

    private void post(String path, String body, String... headers) {
        try (RawHttp http = new RawHttp(server)) {
            http.post(path, body, headers).response();
        }
    }

    @Test
    void takeRequest_methodTargetHeadersAndBody() {
        post("/v1/messages?beta=true", "{\"model\":\"m\"}", "X-Api-Key", "secret", "x-twice", "1", "x-twice", "2");
        RecordedRequest r = server.takeRequest();
        assertEquals("POST", r.method());
        assertEquals("/v1/messages?beta=true", r.target());
        assertEquals("/v1/messages", r.path());
        assertEquals("secret", r.header("x-api-key"));
        assertEquals("secret", r.header("X-API-KEY"));
        assertEquals(List.of("1", "2"), r.headers().get("x-twice"));
        assertNull(r.header("absent"));
        assertEquals("{\"model\":\"m\"}", r.body());
        assertEquals("POST /v1/messages?beta=true (13 bytes)", r.toString());
    }

    @Test
    void json_plainJavaValuesAndPointers() {
        post("/x", """
                {"model":"m","max_tokens":1024,"big":12345678901,"huge":123456789012345678901234567890,"t":0.5,
                 "stream":true,"none":null,"messages":[{"role":"user","content":"Hi"}],"a/b":{"c~d":7}}""");
        RecordedRequest r = server.takeRequest();
        Map<?, ?> body = (Map<?, ?>) r.json();
        assertEquals(
                List.of("model", "max_tokens", "big", "huge", "t", "stream", "none", "messages", "a/b"),
                List.copyOf(body.keySet()));
        assertEquals(1024, r.json("/max_tokens"));
        assertEquals(12345678901L, r.json("/big"));
        assertEquals(new BigInteger("123456789012345678901234567890"), r.json("/huge"));
        assertEquals(0.5, r.json("/t"));
        assertEquals(true, r.json("/stream"));
        assertNull(r.json("/none"));
        assertEquals("Hi", r.json("/messages/0/content"));
        assertEquals(Map.of("role", "user", "content", "Hi"), r.json("/messages/0"));
        assertEquals(7, r.json("/a~1b/c~0d"));
        assertNull(r.json("/messages/1"));
        assertNull(r.json("/messages/x"));
        assertNull(r.json("/absent/deeper"));
        assertEquals(body, r.json(""));
        assertThrows(IllegalArgumentException.class, () -> r.json("model"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) body).put("x", 1));
    }

    @Test
    void json_bodyNotJson_throwsSayingSo() {
        post("/x", "not json");
        RecordedRequest r = server.takeRequest();
        assertEquals("not json", r.body());
        assertTrue(
                assertThrows(IllegalStateException.class, r::json).getMessage().contains("not JSON"));
    }

    @Test
    void takeRequest_inOrderOnceEach_requestsKeepsThemAll() {
        post("/1", null);
        post("/2", null);
        assertEquals("/1", server.takeRequest().path());
        assertEquals("/2", server.takeRequest().path());
        assertEquals(
                List.of("/1", "/2"),
                server.requests().stream().map(RecordedRequest::path).toList());
        assertEquals(2, server.requestCount());
        AssertionError none = assertThrows(AssertionError.class, () -> server.takeRequest(Duration.ofMillis(50)));
        assertTrue(none.getMessage().contains("no request arrived"), none.getMessage());
    }

    @Test
    void recordRequestsOff_countedButNotKept() {
        try (FakeLlmServer quiet = FakeLlmServer.builder().recordRequests(false).start()) {
            quiet.setDispatcher(r -> FakeResponse.status(200));
            try (RawHttp http = new RawHttp(quiet)) {
                http.post("/x", "{}").response();
            }
            assertEquals(1, quiet.requestCount());
            assertEquals(List.of(), quiet.requests());
            assertThrows(IllegalStateException.class, quiet::takeRequest);
        }
    }
}
