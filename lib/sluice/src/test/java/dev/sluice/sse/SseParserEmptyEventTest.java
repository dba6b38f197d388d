package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A blank line ending an event without data dispatches nothing but reports the last event ID. */
class SseParserEmptyEventTest {

    private static List<String> parse(String text) {
        List<String> seen = new ArrayList<>();
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(SseEvent event) {
                seen.add("event " + event.data() + " id=" + event.lastEventId());
            }

            @Override
            public void onEmptyEvent(String lastEventId) {
                seen.add("empty id=" + lastEventId);
            }
        });
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        parser.finish();
        return seen;
    }

    @Test
    void idOnlyEvent_reportsTheIdWithoutDispatching() {
        assertEquals(List.of("empty id=5", "event x id=5"), parse("id: 5\n\ndata: x\n\n"));
    }

    @Test
    void blankLines_withoutAnyId_reportNull() {
        assertEquals(List.of("empty id=null", "empty id=null"), parse("\n: comment\n\n"));
    }

    @Test
    void eventWithData_isNotAnEmptyEvent() {
        assertEquals(List.of("event a id=null"), parse("data: a\n\n"));
    }
}
