package dev.sluice.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStartTest {
    private static EventStart fed(String... chunks) {
        EventStart start = new EventStart();
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.UTF_8);
            start.feed(b, 0, b.length);
        }
        return start;
    }

    @Test
    void data_lineBeingRead_itsValueWithoutTheFieldName() {
        assertEquals(
                "{\"id\":9,\"method\":\"x",
                fed("event: message\r\n", "data: {\"id\":9,", "\"method\":\"x").data());
    }

    @Test
    void data_laterLinesOfTheEvent_theFirstDataLineKept() {
        assertEquals(
                "{\"id\":1",
                fed("event: message\ndata: {\"id\":1\ndata: ,\"more\":\"").data());
    }

    @Test
    void data_afterABlankLine_theNextEventsOnly() {
        assertEquals("{\"b\"", fed("data: {\"a\"\r\n\r\ndata:{\"b\"").data());
        assertEquals("", fed("data: {\"a\"\n\n: comment").data());
    }

    @Test
    void data_longLine_keptToItsFirstBytes() {
        assertEquals(
                EventStart.KEPT - 6, fed("data: " + "?".repeat(100_000)).data().length());
    }
}
