package dev.sluice.gemini;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One of a request's {@code safetySettings}: how readily Gemini blocks content of one harm category,
 * as the official SDK's {@code com.google.genai.types.SafetySetting} (google-genai 2.0) and the
 * Gemini API's reference (https://ai.google.dev/api/generate-content#safetysetting).
 *
 * <pre>{@code
 * SafetySetting.of("HARM_CATEGORY_DANGEROUS_CONTENT", "BLOCK_ONLY_HIGH")
 * }</pre>
 *
 * @param category the harm category, such as {@code HARM_CATEGORY_HARASSMENT},
 *     {@code HARM_CATEGORY_HATE_SPEECH}, {@code HARM_CATEGORY_SEXUALLY_EXPLICIT},
 *     {@code HARM_CATEGORY_DANGEROUS_CONTENT} or {@code HARM_CATEGORY_CIVIC_INTEGRITY}
 * @param threshold from which probability it blocks: {@code BLOCK_LOW_AND_ABOVE},
 *     {@code BLOCK_MEDIUM_AND_ABOVE}, {@code BLOCK_ONLY_HIGH}, {@code BLOCK_NONE} or {@code OFF}
 * @param method what the threshold is held to, {@code SEVERITY} or {@code PROBABILITY}, or null for
 *     the default: Gemini on Vertex AI takes it, the Gemini API does not (the client refuses it
 *     there before any request, as the official SDK does)
 */
public record SafetySetting(
        String category, String threshold, @Nullable String method) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /**
     * @throws NullPointerException if the category or threshold is null
     * @throws IllegalArgumentException if one is not an enum name of the API (upper case letters,
     *     digits and underscores)
     */
    public SafetySetting {
        check("category", Objects.requireNonNull(category, "category"));
        check("threshold", Objects.requireNonNull(threshold, "threshold"));
        if (method != null) check("method", method);
    }

    /** {@return a setting without a method} @throws IllegalArgumentException as the constructor */
    public static SafetySetting of(String category, String threshold) {
        return new SafetySetting(category, threshold, null);
    }

    private static void check(String what, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what
                    + " must be one of the API's enum names, such as HARM_CATEGORY_HARASSMENT, not '" + value + "'");
        }
    }
}
