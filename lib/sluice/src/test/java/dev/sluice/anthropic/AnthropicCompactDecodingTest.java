package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-level fast path of a live stream gives exactly Jackson's event, or declines. */
class AnthropicCompactDecodingTest {

    private static StreamEvent compact(String type, String data) {
        byte[] bytes = ("xx" + data + "yy").getBytes(StandardCharsets.UTF_8); // an offset inside a larger buffer
        return AnthropicStreamDecoding.decodeCompact(type, bytes, 2, bytes.length - 4);
    }

    private static StreamEvent jackson(String type, String data) {
        return AnthropicEventDecoder.decodeWithJackson(new SseEvent(type, data, null));
    }

    @Test
    void decodeCompact_theShapesTheApiSends_sameEventAsJackson() {
        List<String[]> accepted = List.of(
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":7}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":123456789}"},
                new String[] {"message_stop", "{\"type\":\"message_stop\"}"},
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
                },
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":12,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
                },
                new String[] {"ping", "{\"type\": \"ping\"}"},
                new String[] {"ping", "{\"type\":\"ping\"}"},
                new String[] {
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"
                });
        for (String[] e : accepted) {
            StreamEvent fast = compact(e[0], e[1]);
            assertNotNull(fast, e[1]);
            assertEquals(jackson(e[0], e[1]), fast, e[1]);
        }
    }

    @Test
    void decodeCompact_anyOtherShape_declinesSoThatJacksonDecides() {
        List<String[]> declined = List.of(
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":00}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":01}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1234567890}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":-1}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1 }"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1,\"x\":2}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\", \"index\":1}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}}"},
                new String[] {"message_stop", "{\"type\":\"message_stop\" }"},
                new String[] {"message_stop", "{\"type\":\"message_stop\",\"x\":1}"},
                new String[] {"message_stop", "{\"type\":\"ping\"}"},
                new String[] {"ping", "{\"type\":\"message_stop\"}"},
                new String[] {"ping", "{\"type\":  \"ping\"}"},
                new String[] {"content_block_start", "{\"type\":\"content_block_stop\",\"index\":0}"},
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"a\"}}"
                },
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":[]}}"
                },
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":01,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
                },
                new String[] {
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}}"
                },
                new String[] {
                    "content_block_stop",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
                },
                new String[] {"message", "{\"type\":\"message_stop\"}"});
        for (String[] e : declined) assertNull(compact(e[0], e[1]), e[0] + " " + e[1]);
    }

    @Test
    void decodeCompact_everyIndexUpToNineDigits_readsTheNumber() {
        for (int index : new int[] {0, 1, 9, 10, 99, 100, 65535, 999_999_999}) {
            String data = "{\"type\":\"content_block_stop\",\"index\":" + index + "}";
            assertEquals(new ContentBlockStop(index), compact("content_block_stop", data));
        }
    }
}
