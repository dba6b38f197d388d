package dev.sluice.chat;

import java.util.Locale;
import java.util.Objects;

/**
 * A file a provider holds already, in a user's {@link ChatMessage}: the id its Files API gave it,
 * with the file's media type, sent in place of the file's bytes. The id is that provider's alone, so
 * the file names its provider (the client's {@code providerName()}: {@code anthropic}, {@code openai},
 * {@code gemini}, ...), and a client of another refuses it ({@link IllegalArgumentException}, before
 * sending anything), as it refuses a kind its API takes by no id. Each sends it its own way:
 * Anthropic a {@code document} (or, for an image, an {@code image}) block with a {@code file} source
 * ({@code file_id}; the request carries the {@code files-api-2025-04-14} beta), Chat Completions a
 * {@code file} part with {@code file_id} (no image), the Responses API an {@code input_file} (or
 * {@code input_image}) part with {@code file_id}, Gemini a {@code fileData} part ({@code fileUri} the
 * id, the Files API's URI, and {@code mimeType}); Bedrock Converse has no file ids.
 *
 * @param provider the provider whose Files API gave the id, as its client names itself
 * @param id the id ({@code file_011CNha8iCJcU1wXNR6q4V8w}, {@code file-abc123}, or Gemini's file URI)
 * @param mediaType the file's media type ({@code application/pdf}, {@code image/png}, ...), lower case
 */
public record ProviderFile(String provider, String id, String mediaType) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a component is blank, or the media type is not a type/subtype
     */
    public ProviderFile {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mediaType, "mediaType");
        if (provider.isBlank()) throw new IllegalArgumentException("a provider file's provider must not be blank");
        if (id.isBlank()) throw new IllegalArgumentException("a provider file's id must not be blank");
        if (!mediaType.contains("/"))
            throw new IllegalArgumentException("a provider file's media type must be a type/subtype: " + mediaType);
        mediaType = mediaType.toLowerCase(Locale.ROOT);
    }

    /** {@return whether the file is an image (an {@code image/} media type)} */
    public boolean isImage() {
        return mediaType.startsWith("image/");
    }

    /**
     * Checks that the file is {@code client}'s to send.
     *
     * @param client the provider name of the client the request goes to
     * @throws IllegalArgumentException naming both providers, if the file is another's
     */
    public void checkProvider(String client) {
        if (!provider.equals(client))
            throw new IllegalArgumentException("file " + id + " is " + provider + "'s (its Files API gave the id): a"
                    + " request to " + client + " cannot name it; send the file's bytes (Document, Image) instead");
    }
}
