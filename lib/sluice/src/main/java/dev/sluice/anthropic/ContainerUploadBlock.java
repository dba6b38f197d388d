package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * {@code container_upload}: a file (uploaded with the Files API) placed in the code-execution
 * container. Written back exactly as it came.
 *
 * @param fileId the file's id
 * @param json every field of the block, {@code type} included
 */
public record ContainerUploadBlock(String fileId, Map<String, Object> json) implements ContentBlock {
    /** @throws NullPointerException if an argument is null */
    public ContainerUploadBlock {
        Objects.requireNonNull(fileId, "fileId");
        json = JsonValues.copyObject(json, "block json");
    }

    @Override
    public String type() {
        return "container_upload";
    }
}
