package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HttpAnswers.HeadedOutput}: the head set once, ahead of the first byte or with it, or given up. */
class HeadedOutputTest {
    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** An exchange that records the status, the headers and the body's bytes in the order they come. */
    private HttpExchange exchange() {
        return (HttpExchange) Proxy.newProxyInstance(
                HttpExchange.class.getClassLoader(), new Class<?>[] {HttpExchange.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "output" -> {
                            return new FilterOutputStream(body) {
                                @Override
                                public void write(byte[] b, int off, int len) {
                                    calls.add("write " + new String(b, off, len, StandardCharsets.UTF_8));
                                    body.write(b, off, len);
                                }
                            };
                        }
                        case "status" -> calls.add("status " + args[0]);
                        case "header" -> calls.add(args[0] + ": " + args[1]);
                        case "removeHeader" -> calls.add("remove " + args[0]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }

    @Test
    void headAhead_setsTheHeadBeforeAnyByte_once() throws Exception {
        HttpExchange exchange = exchange();
        var out = new HttpAnswers.HeadedOutput(exchange, () -> HttpAnswers.sseHeaders(exchange));
        out.headAhead();
        assertEquals(
                List.of("status 200", "Content-Type: text/event-stream; charset=utf-8", "X-Accel-Buffering: no"),
                calls);
        out.write("data: a\n\n".getBytes(StandardCharsets.UTF_8), 0, 9);
        out.headAhead();
        assertEquals(4, calls.size(), calls.toString()); // the write, and no second head
        assertEquals("write data: a\n\n", calls.get(3));
    }

    @Test
    void withoutHeadAhead_theHeadComesWithTheFirstByte() throws Exception {
        HttpExchange exchange = exchange();
        var out = new HttpAnswers.HeadedOutput(exchange, () -> HttpAnswers.sseHeaders(exchange));
        assertEquals(List.of(), calls);
        out.write("data: a\n\n".getBytes(StandardCharsets.UTF_8), 0, 9);
        assertEquals("status 200", calls.getFirst());
        assertEquals("write data: a\n\n", calls.getLast());
    }

    @Test
    void forgo_afterHeadAhead_takesTheHeadBack() throws Exception {
        HttpExchange exchange = exchange();
        var out = new HttpAnswers.HeadedOutput(
                exchange, () -> HttpAnswers.sseHeaders(exchange), () -> HttpAnswers.unsetSseHeaders(exchange));
        out.headAhead();
        out.forgo();
        assertEquals(
                List.of(
                        "status 200",
                        "Content-Type: text/event-stream; charset=utf-8",
                        "X-Accel-Buffering: no",
                        "remove Content-Type",
                        "remove X-Accel-Buffering"),
                calls);
        out.forgo(); // once
        assertEquals(5, calls.size(), calls.toString());
    }

    @Test
    void forgo_givesTheHeadUp_forAnotherAnswer() throws Exception {
        HttpExchange exchange = exchange();
        var out = new HttpAnswers.HeadedOutput(exchange, () -> HttpAnswers.sseHeaders(exchange));
        out.forgo();
        out.headAhead();
        assertEquals(List.of(), calls);
    }
}
