package dev.sluice.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The same content as an Anthropic {@link BenchStream}, as Amazon Bedrock's Converse API streams it
 * ({@code POST /model/{modelId}/converse-stream}): an AWS event stream ({@code
 * application/vnd.amazon.eventstream}) of {@code messageStart}, for a tool call
 * {@code contentBlockStart} ({@code toolUse}), one {@code contentBlockDelta} per delta of the
 * Anthropic stream ({@code delta.text}, or {@code delta.toolUse.input} with the same fragment),
 * {@code contentBlockStop}, {@code messageStop} and {@code metadata} (usage, latency). Each payload
 * is padded with a {@code "p"} field as AWS pads it, by the test kit's fake's rule; each frame has
 * the three string headers Bedrock sends ({@code :event-type}, {@code :content-type},
 * {@code :message-type}), the prelude and message CRC32s. The returned {@link BenchStream}'s events
 * are those frames; its expected text or tool input is the Anthropic stream's.
 */
final class ConverseBenchStream {
    /** The Converse frame around the deltas: start, stop, message stop, metadata (and a block start for a tool). */
    static final int TEXT_FRAME_EVENTS = 4;

    /** The model id every Bedrock client names: a colon, as Bedrock's ids have, encoded in the path. */
    static final String MODEL = "anthropic.claude-bench-v1:0";

    /** The path a Converse request for {@link #MODEL} goes to, as the clients encode it. */
    static final String PATH_SUFFIX = "/converse-stream";

    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private ConverseBenchStream() {}

    /**
     * {@return the Converse rendering of an Anthropic bench stream}
     *
     * @param anthropic a stream of {@link BenchStream} (text or one tool call)
     */
    static BenchStream of(BenchStream anthropic) {
        ObjectMapper mapper = new ObjectMapper();
        boolean tool = anthropic.expectedToolInput() != null;
        List<byte[]> frames = new ArrayList<>(anthropic.events().size());
        frames.add(event("messageStart", "{\"role\":\"assistant\""));
        if (tool) {
            frames.add(event(
                    "contentBlockStart",
                    "{\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_bench_01\",\"name\":\"write_file\"}},"
                            + "\"contentBlockIndex\":0"));
        }
        int deltas = 0;
        for (byte[] sse : anthropic.events()) {
            String s = new String(sse, StandardCharsets.UTF_8);
            if (!s.startsWith("event: content_block_delta\n")) continue;
            JsonNode delta;
            try {
                delta = mapper.readTree(s.substring(s.indexOf("data: ") + 6)).path("delta");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON: " + s, e);
            }
            String piece = RealContent.jsonString(
                    tool
                            ? delta.get("partial_json").textValue()
                            : delta.get("text").textValue());
            frames.add(event(
                    "contentBlockDelta",
                    "{\"contentBlockIndex\":0,\"delta\":"
                            + (tool ? "{\"toolUse\":{\"input\":\"" + piece + "\"}}" : "{\"text\":\"" + piece + "\"}")));
            deltas++;
        }
        frames.add(event("contentBlockStop", "{\"contentBlockIndex\":0"));
        frames.add(event("messageStop", "{\"stopReason\":\"" + (tool ? "tool_use" : "end_turn") + "\""));
        frames.add(event(
                "metadata",
                "{\"usage\":{\"inputTokens\":25,\"outputTokens\":" + deltas + ",\"totalTokens\":" + (deltas + 25)
                        + "},\"metrics\":{\"latencyMs\":1234}"));
        return new BenchStream(
                "converse-" + anthropic.name(), frames, anthropic.expectedText(), anthropic.expectedToolInput());
    }

    /** {@return one event frame: the payload's JSON object, opened and not closed, padded as AWS pads it} */
    private static byte[] event(String type, String openJson) {
        String json = openJson + "}";
        String padded = openJson + ",\"p\":\""
                + PADDING.substring(0, 1 + Math.floorMod(json.hashCode(), PADDING.length())) + "\"}";
        return frame(type, padded.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] frame(String type, byte[] payload) {
        byte[] headers = headers(":event-type", type, ":content-type", "application/json", ":message-type", "event");
        int total = 12 + headers.length + payload.length + 4;
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(headers.length);
        out.putInt((int) crc(out.array(), 8));
        out.put(headers).put(payload);
        out.putInt((int) crc(out.array(), total - 4));
        return out.array();
    }

    private static byte[] headers(String... nameValue) {
        ByteBuffer h = ByteBuffer.allocate(512);
        for (int i = 0; i < nameValue.length; i += 2) {
            byte[] n = nameValue[i].getBytes(StandardCharsets.UTF_8);
            byte[] v = nameValue[i + 1].getBytes(StandardCharsets.UTF_8);
            h.put((byte) n.length)
                    .put(n)
                    .put((byte) 7)
                    .putShort((short) v.length)
                    .put(v);
        }
        byte[] bytes = new byte[h.position()];
        h.flip().get(bytes);
        return bytes;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
