package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An image block of a request. Build it with {@link #base64} or {@link #url}.
 *
 * @param source the {@code source} object, as the API takes it (for example
 *     {@code {"type":"base64","media_type":"image/png","data":"..."}})
 * @param cacheControl the {@code cache_control} object, or null
 */
public record ImageParam(
        Map<String, Object> source, @Nullable Map<String, Object> cacheControl) implements ContentBlockParam {
    private static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    /**
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} has no string {@code type}, or an object is
     *     not of the JSON value model
     */
    public ImageParam {
        source = JsonValues.copyObject(source, "source");
        if (!(source.get("type") instanceof String)) {
            throw new IllegalArgumentException("source needs a string 'type' (base64, url, ...): " + source.keySet());
        }
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
    }

    /**
     * {@return an image given as base64 data}
     *
     * @param mediaType {@code image/jpeg}, {@code image/png}, {@code image/gif} or {@code image/webp}
     * @param base64Data the image bytes, base64-encoded
     * @throws IllegalArgumentException if the media type is not one of those, or the data is empty
     */
    public static ImageParam base64(String mediaType, String base64Data) {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(base64Data, "base64Data");
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw new IllegalArgumentException("mediaType must be one of " + MEDIA_TYPES + ", not '" + mediaType + "'");
        }
        if (base64Data.isEmpty()) throw new IllegalArgumentException("base64Data must not be empty");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "base64");
        s.put("media_type", mediaType);
        s.put("data", base64Data);
        return new ImageParam(s, null);
    }

    /**
     * {@return an image the API fetches from a URL}
     *
     * @throws IllegalArgumentException if the URL is blank
     */
    public static ImageParam url(String url) {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) throw new IllegalArgumentException("url must not be blank");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "url");
        s.put("url", url);
        return new ImageParam(s, null);
    }

    /** {@return this block with the given {@code cache_control} object} */
    public ImageParam withCacheControl(Map<String, ?> cacheControl) {
        return new ImageParam(source, JsonValues.copyObject(cacheControl, "cacheControl"));
    }

    @Override
    public String type() {
        return "image";
    }
}
