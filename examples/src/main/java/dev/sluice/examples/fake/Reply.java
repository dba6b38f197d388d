package dev.sluice.examples.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A planned answer: its content blocks, each already cut into the deltas it is streamed as, and
 * how it ends. The same value renders the event stream and the non-streaming message, so both
 * always agree.
 *
 * @param stopSequence the stop sequence that ended the answer, or null
 * @param outputTokens the number of deltas (thinking, text and tool-input fragments)
 */
record Reply(String id, String model, List<Block> blocks, String stopReason, String stopSequence,
        int inputTokens, int outputTokens) {

    Reply {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(stopReason, "stopReason");
        blocks = List.copyOf(blocks);
    }

    /** One content block with its deltas. */
    sealed interface Block permits Thinking, Text, ToolUse {
        /** {@return the deltas, in order} */
        List<String> deltas();
    }

    record Thinking(List<String> deltas, String signature) implements Block {
        Thinking {
            deltas = List.copyOf(deltas);
            Objects.requireNonNull(signature, "signature");
        }
    }

    record Text(List<String> deltas) implements Block {
        Text {
            deltas = List.copyOf(deltas);
        }
    }

    /** @param deltas the {@code partial_json} fragments, without the empty first one */
    record ToolUse(String id, String name, ObjectNode input, List<String> deltas) implements Block {
        ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(input, "input");
            deltas = List.copyOf(deltas);
        }
    }

    /** {@return the complete Message object, as the non-streaming API returns it} */
    ObjectNode message() {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        ArrayNode content = m.putArray("content");
        for (Block b : blocks) content.add(completeBlock(b));
        m.put("stop_reason", stopReason);
        m.put("stop_sequence", stopSequence);
        m.set("usage", usage(outputTokens));
        return m;
    }

    /** {@return the message of {@code message_start} (fields in the order the API sends them): no content, no stop reason, one output token} */
    ObjectNode startMessage() {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.putArray("content");
        m.put("model", model);
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        m.set("usage", usage(1));
        return m;
    }

    /** {@return a block as {@code content_block_start} announces it: empty} */
    static ObjectNode emptyBlock(Block b) {
        ObjectNode o = Json.object();
        switch (b) {
            case Thinking t -> {
                o.put("type", "thinking");
                o.put("thinking", "");
            }
            case Text t -> {
                o.put("type", "text");
                o.put("text", "");
            }
            case ToolUse u -> {
                o.put("type", "tool_use");
                o.put("id", u.id());
                o.put("name", u.name());
                o.putObject("input");
            }
        }
        return o;
    }

    private static ObjectNode completeBlock(Block b) {
        ObjectNode o = Json.object();
        switch (b) {
            case Thinking t -> {
                o.put("type", "thinking");
                o.put("thinking", String.join("", t.deltas()));
                o.put("signature", t.signature());
            }
            case Text t -> {
                o.put("type", "text");
                o.put("text", String.join("", t.deltas()));
            }
            case ToolUse u -> {
                o.put("type", "tool_use");
                o.put("id", u.id());
                o.put("name", u.name());
                o.set("input", u.input().deepCopy());
            }
        }
        return o;
    }

    private ObjectNode usage(int output) {
        ObjectNode u = Json.object();
        u.put("input_tokens", inputTokens);
        u.put("output_tokens", output);
        return u;
    }
}
