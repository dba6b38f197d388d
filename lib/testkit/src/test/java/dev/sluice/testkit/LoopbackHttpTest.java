package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's HTTP/1.1: connections kept alive, request bodies of both framings, refusals. */
class LoopbackHttpTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    @BeforeEach
    void start() {
        server.setDispatcher(r -> FakeResponse.status(200).body("text/plain", r.body()));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepAlive_twoRequestsOnOneConnection_bothAnswered() {
        try (RawHttp http = new RawHttp(server)) {
            assertEquals("one", http.post("/a", "one").response().text());
            assertEquals("two", http.post("/b", "two").response().text());
        }
        assertEquals(2, server.requestCount());
    }

    @Test
    void chunkedRequestBody_readWhole() {
        try (RawHttp http = new RawHttp(server)) {
            http.send(
                    ascii(
                            "POST /x HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nx-trailer: t\r\n\r\n"));
            assertEquals("abcde", http.response().text());
        }
        assertEquals("abcde", server.takeRequest().body());
    }

    @Test
    void expectContinue_continueThenTheResponse() {
        try (RawHttp http = new RawHttp(server)) {
            http.send(ascii("POST /x HTTP/1.1\r\nhost: h\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\n"));
            assertEquals(100, http.head().status());
            http.send(ascii("ok"));
            assertEquals("ok", http.response().text());
        }
    }

    @Test
    void connectionClose_answeredThenClosed() {
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response r = http.post("/x", "bye", "connection", "close").response();
            assertEquals("close", r.header("connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void notHttp_400AndClosed() {
        try (RawHttp http = new RawHttp(server)) {
            http.send(ascii("HELLO\r\n\r\n"));
            RawHttp.Response r = http.response();
            assertEquals(400, r.status());
            assertTrue(r.text().contains("not an HTTP/1.x request line"));
            assertTrue(http.closedByServer());
        }
        assertEquals(0, server.requestCount(), "not a request");
    }

    @Test
    void errorWithoutBody_lengthZeroAndTheConnectionGoesOn() {
        server.enqueue(FakeResponse.status(500));
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response r = http.post("/x", "{}").response();
            assertEquals(500, r.status());
            assertEquals("0", r.header("content-length"));
            assertEquals("ok", http.post("/y", "ok").response().text());
        }
    }

    @Test
    void head_noBodySent() {
        server.enqueue(FakeResponse.status(200).body("text/plain", "body"));
        try (RawHttp http = new RawHttp(server)) {
            http.send(ascii("HEAD /x HTTP/1.1\r\nhost: h\r\n\r\n"));
            RawHttp.Response r = http.head();
            assertEquals(200, r.status());
            assertEquals("4", r.header("content-length"), "the length the body would have");
            assertEquals("ok", http.post("/y", "ok").response().text(), "the connection goes on: no body was sent");
        }
    }
}
