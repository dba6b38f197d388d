package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document block of a request: a base64 PDF ({@link #pdfBase64}), plain text ({@link #text}) or a
 * URL ({@link #url}); optionally titled, with context, with citations enabled, with cache control.
 *
 * @param source the {@code source} object, as the API takes it
 * @param title the document's title, or null
 * @param context context about the document, not cited from, or null
 * @param citationsEnabled whether the answer may cite this document, or null to leave it unsaid
 * @param cacheControl the {@code cache_control} object, or null
 */
public record DocumentParam(
        Map<String, Object> source,
        @Nullable String title,
        @Nullable String context,
        @Nullable Boolean citationsEnabled,
        @Nullable Map<String, Object> cacheControl)
        implements ContentBlockParam {
    /**
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} has no string {@code type}, or an object is
     *     not of the JSON value model
     */
    public DocumentParam {
        source = JsonValues.copyObject(source, "source");
        if (!(source.get("type") instanceof String)) {
            throw new IllegalArgumentException(
                    "source needs a string 'type' (base64, text, url, ...): " + source.keySet());
        }
        cacheControl = cacheControl == null ? null : JsonValues.copyObject(cacheControl, "cacheControl");
    }

    /**
     * {@return a PDF given as base64 data}
     *
     * @throws IllegalArgumentException if the data is empty
     */
    public static DocumentParam pdfBase64(String base64Data) {
        Objects.requireNonNull(base64Data, "base64Data");
        if (base64Data.isEmpty()) throw new IllegalArgumentException("base64Data must not be empty");
        return of(source("base64", "application/pdf", "data", base64Data));
    }

    /** {@return a plain-text document} */
    public static DocumentParam text(String text) {
        Objects.requireNonNull(text, "text");
        return of(source("text", "text/plain", "data", text));
    }

    /**
     * {@return a PDF the API fetches from a URL}
     *
     * @throws IllegalArgumentException if the URL is blank
     */
    public static DocumentParam url(String url) {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) throw new IllegalArgumentException("url must not be blank");
        return of(source("url", null, "url", url));
    }

    /** {@return this document with a title} */
    public DocumentParam withTitle(String title) {
        return new DocumentParam(
                source, Objects.requireNonNull(title, "title"), context, citationsEnabled, cacheControl);
    }

    /** {@return this document with context} */
    public DocumentParam withContext(String context) {
        return new DocumentParam(
                source, title, Objects.requireNonNull(context, "context"), citationsEnabled, cacheControl);
    }

    /** {@return this document with citations enabled or disabled} */
    public DocumentParam withCitations(boolean enabled) {
        return new DocumentParam(source, title, context, enabled, cacheControl);
    }

    /** {@return this document with the given {@code cache_control} object} */
    public DocumentParam withCacheControl(Map<String, ?> cacheControl) {
        return new DocumentParam(
                source, title, context, citationsEnabled, JsonValues.copyObject(cacheControl, "cacheControl"));
    }

    private static DocumentParam of(Map<String, Object> source) {
        return new DocumentParam(source, null, null, null, null);
    }

    private static Map<String, Object> source(String type, @Nullable String mediaType, String field, String value) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        if (mediaType != null) s.put("media_type", mediaType);
        s.put(field, value);
        return s;
    }

    @Override
    public String type() {
        return "document";
    }
}
