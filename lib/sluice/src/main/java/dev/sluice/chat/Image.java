package dev.sluice.chat;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An image in a user's {@link ChatMessage} or a tool's {@link ToolResult}: its bytes, base64-encoded, with their media type
 * ({@link #base64}), or a URL the provider fetches ({@link #url}). Each provider's client sends it
 * its own way — Anthropic's {@code image} block, Chat Completions' {@code image_url} part, the
 * Responses API's {@code input_image}, Gemini's {@code inlineData}, Bedrock Converse's
 * {@code image} block — and refuses ({@link IllegalArgumentException}, before sending anything)
 * what its API cannot take: a URL for Gemini and Bedrock, which read only bytes inline, or a media
 * type outside the provider's list.
 *
 * @param mediaType the media type ({@code image/png}, ...), lower case; null for a URL whose type the
 *     provider finds out
 * @param data the base64 bytes; null for a URL
 * @param url the {@code http}/{@code https} URL; null for bytes
 */
public record Image(
        @Nullable String mediaType,
        @Nullable String data,
        @Nullable String url) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException unless exactly one of data (with its media type, an
     *     {@code image/} type) and url is given, and neither is blank
     */
    public Image {
        if ((data == null) == (url == null))
            throw new IllegalArgumentException("an image is either base64 data or a URL: give exactly one");
        if (data != null) {
            if (data.isEmpty()) throw new IllegalArgumentException("an image's data must not be empty");
            if (mediaType == null || !mediaType.toLowerCase(Locale.ROOT).startsWith("image/"))
                throw new IllegalArgumentException(
                        "an image's data needs its media type (image/png, ...): " + mediaType);
        }
        if (url != null && url.isBlank()) throw new IllegalArgumentException("an image's url must not be blank");
        if (mediaType != null) mediaType = mediaType.toLowerCase(Locale.ROOT);
    }

    /**
     * {@return an image given by its bytes}
     *
     * @param mediaType its media type, {@code image/...}
     * @param base64Data its bytes, base64-encoded
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Image base64(String mediaType, String base64Data) {
        return new Image(
                Objects.requireNonNull(mediaType, "mediaType"), Objects.requireNonNull(base64Data, "base64Data"), null);
    }

    /**
     * {@return an image the provider fetches}
     *
     * @param url its {@code http} or {@code https} URL
     * @throws IllegalArgumentException if the URL is blank
     */
    public static Image url(String url) {
        return new Image(null, null, Objects.requireNonNull(url, "url"));
    }

    /**
     * {@return the image from a URL as OpenAI's APIs take one: a {@code data:} URL
     * ({@code data:image/png;base64,...}) becomes its bytes, any other URL stays a URL}
     *
     * @param url the URL
     * @throws IllegalArgumentException if a {@code data:} URL is not a base64 image
     */
    public static Image fromUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.regionMatches(true, 0, "data:", 0, 5)) return url(url);
        int comma = url.indexOf(',');
        String head = comma < 0 ? "" : url.substring(5, comma);
        if (!head.toLowerCase(Locale.ROOT).endsWith(";base64"))
            throw new IllegalArgumentException("a data: URL of an image must be base64 (data:image/png;base64,...)");
        return base64(head.substring(0, head.length() - ";base64".length()), url.substring(comma + 1));
    }

    /** {@return the image as a URL: the URL, or its bytes as a {@code data:} URL} */
    public String asUrl() {
        return url != null ? url : "data:" + mediaType + ";base64," + data;
    }

    /** {@return the URL, for an image the provider fetches} */
    public Optional<String> remote() {
        return Optional.ofNullable(url);
    }

    /** {@return the image's size and kind, never its bytes} */
    @Override
    public String toString() {
        return url != null
                ? "Image[url]"
                : "Image[" + mediaType + ", " + Objects.requireNonNull(data).length() + " base64 chars]";
    }
}
