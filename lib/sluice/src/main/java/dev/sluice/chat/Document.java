package dev.sluice.chat;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A file in a user's {@link ChatMessage}: its bytes, base64-encoded, with their media type and
 * optionally the file's name — a document (a PDF, {@code application/pdf}, is what every provider
 * reads) or an audio clip ({@link #audio}: WAV or MP3). Each provider's client sends it its own way:
 * a document as Anthropic's {@code document} block (a base64 source, the name as its {@code
 * title}), Chat Completions' {@code file} part and the Responses API's {@code input_file} ({@code
 * file_data} a {@code data:} URL, with a {@code filename}), Gemini's {@code inlineData}, Bedrock
 * Converse's {@code document} block (with a text block beside it, as Converse requires); audio as
 * Chat Completions' and the Responses API's {@code input_audio} part ({@code data}, {@code format}
 * {@code wav} or {@code mp3}), Gemini's {@code inlineData}, Converse's {@code audio} block. Each
 * refuses ({@link IllegalArgumentException}, before sending anything) a media type its API does not
 * read: Anthropic's Messages API hears no audio. Whether a model reads PDFs or audio at all is the
 * catalog's ({@code dev.sluice.models.ModelCatalog#checkInput}).
 *
 * @param mediaType the media type ({@code application/pdf}, ...), lower case
 * @param data the file's bytes, base64-encoded
 * @param filename the file's name as the user gave it, or null; never a path the provider opens
 */
public record Document(
        String mediaType, String data, @Nullable String filename) {
    /** The media type of a PDF, the document type every provider reads. */
    public static final String PDF = "application/pdf";

    /** The media type of a WAV clip. */
    public static final String WAV = "audio/wav";

    /** The media type of an MP3 clip. */
    public static final String MP3 = "audio/mpeg";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if the media type or data is null
     * @throws IllegalArgumentException if the media type, data or (given) filename is blank
     */
    public Document {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(data, "data");
        if (mediaType.isBlank() || !mediaType.contains("/"))
            throw new IllegalArgumentException("a document's media type must be a type/subtype: " + mediaType);
        if (data.isEmpty()) throw new IllegalArgumentException("a document's data must not be empty");
        if (filename != null && filename.isBlank())
            throw new IllegalArgumentException("a document's filename must not be blank when given");
        mediaType = mediaType.toLowerCase(Locale.ROOT);
    }

    /**
     * {@return a PDF given by its bytes}
     *
     * @param base64Data its bytes, base64-encoded
     * @param filename its name, or null
     * @throws IllegalArgumentException if the data is empty or the filename blank
     */
    public static Document pdf(String base64Data, @Nullable String filename) {
        return new Document(PDF, base64Data, filename);
    }

    /**
     * {@return an audio clip given by its bytes}
     *
     * @param mediaType its media type, {@code audio/wav} ({@link #WAV}) or {@code audio/mpeg} ({@link #MP3})
     * @param base64Data its bytes, base64-encoded
     * @param filename its name, or null
     * @throws IllegalArgumentException if the media type is not an {@code audio/} type, the data is
     *     empty or the filename blank
     */
    public static Document audio(String mediaType, String base64Data, @Nullable String filename) {
        Objects.requireNonNull(mediaType, "mediaType");
        if (!mediaType.toLowerCase(Locale.ROOT).startsWith("audio/"))
            throw new IllegalArgumentException("an audio clip's media type must be audio/...: " + mediaType);
        return new Document(mediaType, base64Data, filename);
    }

    /**
     * {@return a document from a {@code data:} URL, as OpenAI's APIs give one
     * ({@code data:application/pdf;base64,...})}
     *
     * @param url the {@code data:} URL
     * @param filename the file's name, or null
     * @throws IllegalArgumentException if the URL is not a base64 {@code data:} URL
     */
    public static Document fromDataUrl(String url, @Nullable String filename) {
        Objects.requireNonNull(url, "url");
        int comma = url.indexOf(',');
        String head = comma < 0 || !url.regionMatches(true, 0, "data:", 0, 5) ? "" : url.substring(5, comma);
        if (!head.toLowerCase(Locale.ROOT).endsWith(";base64"))
            throw new IllegalArgumentException(
                    "a file's data must be a base64 data: URL (data:application/pdf;base64,...)");
        return new Document(head.substring(0, head.length() - ";base64".length()), url.substring(comma + 1), filename);
    }

    /** {@return the bytes as a {@code data:} URL, as OpenAI's APIs take a file's data} */
    public String asDataUrl() {
        return "data:" + mediaType + ";base64," + data;
    }

    /** {@return whether this is a PDF} */
    public boolean isPdf() {
        return mediaType.equals(PDF);
    }

    /** {@return whether this is an audio clip (an {@code audio/} media type)} */
    public boolean isAudio() {
        return mediaType.startsWith("audio/");
    }

    /**
     * {@return an audio clip's format as the APIs name it: {@code wav} ({@code audio/wav}, {@code
     * audio/x-wav}, {@code audio/wave}), {@code mp3} ({@code audio/mpeg}, {@code audio/mp3}), else
     * the media type's subtype; empty if this is not audio}
     */
    public Optional<String> audioFormat() {
        if (!isAudio()) return Optional.empty();
        String subtype = mediaType.substring("audio/".length());
        return Optional.of(
                switch (subtype) {
                    case "wav", "x-wav", "wave", "vnd.wave" -> "wav";
                    case "mpeg", "mp3", "mpeg3", "x-mp3" -> "mp3";
                    default -> subtype;
                });
    }

    /** {@return the filename, or {@code document.pdf}-like one made from the media type when none was given} */
    public String filenameOrDefault() {
        if (filename != null) return filename;
        String subtype = mediaType.substring(mediaType.indexOf('/') + 1);
        return "document." + subtype.replaceAll("[^a-z0-9]", "");
    }

    /** {@return the document's kind and size, never its bytes} */
    @Override
    public String toString() {
        return "Document[" + mediaType + ", " + data.length() + " base64 chars" + (filename != null ? ", named" : "")
                + "]";
    }
}
