package dev.sluice.anthropic;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Anthropic part of {@link dev.sluice.internal.client.WarmUp}: writes a request and replays a
 * short built-in stream (Jackson's parser and generator, the SSE parser, both decoding paths and
 * the accumulator). Stateless.
 */
final class AnthropicWarmUp implements Runnable {
    /** The one instance, for {@link dev.sluice.internal.client.WarmUp#start} (a class, not a method reference: see there). */
    static final AnthropicWarmUp TASK = new AnthropicWarmUp();

    private AnthropicWarmUp() {}

    private static final byte[] STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_0","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"b\\u00e9"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """.getBytes(StandardCharsets.UTF_8);

    @Override
    public void run() {
        RequestJson.write(MessageRequest.builder().model("m").maxTokens(1).addUserMessage("x").build(), true);
        Message m = AnthropicEvents.replay(new ByteArrayInputStream(STREAM), STREAM.length);
        byte[] delta = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}"
                .getBytes(StandardCharsets.US_ASCII);
        if (m.content().isEmpty() || AnthropicStreamDecoding.decodeCompact("content_block_delta", delta, 0, delta.length) == null) {
            throw new IllegalStateException("the built-in stream did not decode");
        }
    }
}
