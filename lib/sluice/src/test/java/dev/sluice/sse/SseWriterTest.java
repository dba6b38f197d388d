package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseWriterTest {

    private static Recorder roundTrip(SseEvent... events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SseWriter writer = new SseWriter(bytes)) {
            for (SseEvent e : events) writer.write(e);
        }
        return Recorder.parse(bytes.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain",
                " leading space",
                "  two leading",
                "trailing ",
                "a\nb",
                "a\n\nb",
                "\n",
                "\n\n",
                "a\n",
                "\nb",
                "data: forged\n\nevent: evil",
                ":not a comment",
                "é€😀日本",
                "tab\tx",
                "\uFEFFbom"
            })
    void write_dataWithLf_roundTripsExactly(String data) {
        assertEquals(List.of(SseEvent.of(data)), roundTrip(SseEvent.of(data)).events);
    }

    @Test
    void write_dataWithEveryLineEndKind_roundTripsAsLf() {
        Recorder r = roundTrip(SseEvent.of("a\rb\r\nc\nd\r\r\ne\n\rf\r"));
        assertEquals(List.of(SseEvent.of("a\nb\nc\nd\n\ne\n\nf\n")), r.events);
    }

    @Test
    void write_dataThatLooksLikeAnEvent_cannotForgeOne() {
        Recorder r = roundTrip(SseEvent.of("x\r\n\r\nevent: admin\r\ndata: forged\r\n\r\n"));
        assertEquals(1, r.events.size());
        assertEquals("message", r.events.get(0).type());
    }

    @Test
    void write_typeAndId_roundTrip() {
        Recorder r = roundTrip(
                new SseEvent("content_block_delta", "{\"a\":1}", "42"),
                new SseEvent(" t", "x", " id"),
                new SseEvent("message", "y", ""));
        assertEquals(
                List.of(
                        new SseEvent("content_block_delta", "{\"a\":1}", "42"),
                        new SseEvent(" t", "x", " id"),
                        new SseEvent("message", "y", "")),
                r.events);
    }

    @Test
    void write_emptyType_comesBackAsMessage() {
        assertEquals(List.of(SseEvent.of("x")), roundTrip(new SseEvent("", "x", null)).events);
    }

    @Test
    void encode_simpleEvent_isCanonical() {
        assertEquals(
                "event: ping\ndata: {}\n\n",
                new String(SseWriter.encode(SseEvent.of("ping", "{}")), StandardCharsets.UTF_8));
        assertEquals(
                "id: 7\ndata: a\ndata: \ndata: b\n\n",
                new String(SseWriter.encode(new SseEvent("message", "a\n\nb", "7")), StandardCharsets.UTF_8));
    }

    @Test
    void encode_nonAscii_isUtf8() {
        assertEquals("data: é😀\n\n", new String(SseWriter.encode(SseEvent.of("é😀")), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "\r\n", "x\n"})
    void encode_typeWithLineEnd_throwsNamingEventField(String type) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SseWriter.encode(new SseEvent(type, "d", null)));
        assertTrue(e.getMessage().contains("event field"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\0b"})
    void encode_idWithLineEndOrNul_throwsNamingIdField(String id) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SseWriter.encode(new SseEvent("message", "d", id)));
        assertTrue(e.getMessage().contains("id field"), e.getMessage());
    }

    @Test
    void comment_multiLine_roundTripsAsCommentsOnly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter writer = new SseWriter(bytes);
        writer.comment(" ping");
        writer.comment("a\ndata: forged\r\n");
        writer.write(SseEvent.of("real"));
        Recorder r = Recorder.parse(bytes.toByteArray());
        assertEquals(List.of(" ping", "a", "data: forged", ""), r.comments);
        assertEquals(List.of(SseEvent.of("real")), r.events);
    }

    @Test
    void retry_value_roundTrips() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SseWriter writer = new SseWriter(bytes);
        writer.retry(0);
        writer.retry(Long.MAX_VALUE);
        writer.write(SseEvent.of("x"));
        Recorder r = Recorder.parse(bytes.toByteArray());
        assertEquals(List.of(0L, Long.MAX_VALUE), r.retries);
        assertEquals(List.of(SseEvent.of("x")), r.events);
    }

    @Test
    void retry_negative_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new SseWriter(new ByteArrayOutputStream()).retry(-1));
    }

    @Test
    void write_failingStream_throwsTransportException() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }
        };
        SseWriter writer = new SseWriter(broken);
        TransportException e = assertThrows(TransportException.class, () -> writer.write(SseEvent.of("x")));
        assertTrue(e.getCause() instanceof IOException);
    }

    @Test
    void write_afterClose_throwsIllegalState() {
        SseWriter writer = new SseWriter(new ByteArrayOutputStream());
        writer.close();
        writer.close();
        assertThrows(IllegalStateException.class, () -> writer.write(SseEvent.of("x")));
        assertThrows(IllegalStateException.class, writer::flush);
    }
}
