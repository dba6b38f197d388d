package dev.sluice.anthropic;

import dev.sluice.internal.low.value.LazyList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message from the Anthropic Messages API: the response of a non-streaming request, or what a
 * {@link MessageAccumulator} builds from a stream (complete, or partial while it streams).
 *
 * <p>{@link #toJson()} writes it in the API's own JSON shape and {@link #fromJson(String)} reads
 * that shape back.
 *
 * @param id the message id, such as {@code msg_01...}
 * @param type the object type, {@code message}
 * @param role the role, {@code assistant}
 * @param model the model that produced it
 * @param content the content blocks, in index order
 * @param stopReason why generation stopped, or null while it has not
 * @param stopSequence the stop sequence that matched, or null
 * @param usage the token usage (every field as it came, the nested {@code server_tool_use} and
 *     {@code cache_creation} included; see {@link MessageUsage})
 * @param stopDetails details of the stop ({@code stop_details}: a {@code refusal}'s category and
 *     explanation), or null when none were sent
 * @param container the code-execution container the message ran in, or null
 * @param contextManagement the context edits applied before the answer, or null
 */
public record Message(
        String id,
        String type,
        String role,
        String model,
        List<ContentBlock> content,
        @Nullable String stopReason,
        @Nullable String stopSequence,
        MessageUsage usage,
        @Nullable StopDetails stopDetails,
        @Nullable Container container,
        @Nullable ContextManagement contextManagement) {
    /**
     * @throws NullPointerException if an argument other than the stop reason, sequence, details,
     *     container or context management is null
     */
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        content = LazyList.copyOf(content); // a snapshot's list as it is: its blocks are built on first read
        Objects.requireNonNull(usage, "usage");
    }

    /**
     * A message without stop details, container or context management.
     *
     * @throws NullPointerException if an argument other than the stop reason or sequence is null
     */
    public Message(
            String id,
            String type,
            String role,
            String model,
            List<ContentBlock> content,
            @Nullable String stopReason,
            @Nullable String stopSequence,
            MessageUsage usage) {
        this(id, type, role, model, content, stopReason, stopSequence, usage, null, null, null);
    }

    /** {@return whether the model declined ({@code stop_reason} {@code refusal})} */
    public boolean isRefusal() {
        return "refusal".equals(stopReason);
    }

    /** {@return the text of all text blocks, concatenated in order} */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentBlock b : content) {
            if (b instanceof TextBlock t) sb.append(t.text());
        }
        return sb.toString();
    }

    /** {@return this message with other content} */
    public Message withContent(List<ContentBlock> content) {
        return new Message(
                id,
                type,
                role,
                model,
                content,
                stopReason,
                stopSequence,
                usage,
                stopDetails,
                container,
                contextManagement);
    }

    /**
     * {@return this message as one compact JSON object in the API's shape: {@code id}, {@code type},
     * {@code role}, {@code model}, {@code content} (each block with its API fields),
     * {@code stop_reason}, {@code stop_sequence}, {@code stop_details}, {@code container} and
     * {@code context_management} (when present, as they came), {@code usage} (every field as it came)}
     */
    public String toJson() {
        return MessageJson.write(this);
    }

    /**
     * Reads a message in the API's JSON shape, such as the body of a non-streaming response.
     * Unknown fields are ignored; unknown block types are kept whole as {@link OtherBlock}s.
     *
     * @param json the JSON object text
     * @return the message
     * @throws dev.sluice.ProtocolException if the text is not JSON or not a message
     * @throws NullPointerException if {@code json} is null
     */
    public static Message fromJson(String json) {
        return MessageJson.read(Objects.requireNonNull(json, "json"));
    }
}
