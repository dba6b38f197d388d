package dev.sluice.cli;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.Document;
import dev.sluice.chat.Image;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code --file PATH} of {@code stream}, {@code agent} and {@code object}: the files attached to the
 * prompt, read before anything starts. A file's type comes from its first bytes, else from its name's
 * extension: a PDF, a PNG, JPEG, WebP or GIF image, a WAV or MP3 clip. Images go in the neutral
 * request as {@link Image}s, PDFs and audio as {@link Document}s, which each provider's client sends in
 * its own shape; a kind the catalog says a model cannot read ({@link ModelCatalog#checkInput}) is a
 * usage error naming the model. Immutable.
 *
 * @param images the images, in the order given
 * @param documents the PDFs and audio clips, in the order given
 */
record Attachments(List<Image> images, List<Document> documents) {
    /** No files. */
    static final Attachments NONE = new Attachments(List.of(), List.of());

    /** The largest file attached (the most any provider takes inline: Gemini's 100 MB, less base64's growth). */
    static final long MAX_BYTES = 50L * 1024 * 1024;

    Attachments {
        images = List.copyOf(images);
        documents = List.copyOf(documents);
    }

    /** {@return whether no file is attached} */
    boolean isEmpty() {
        return images.isEmpty() && documents.isEmpty();
    }

    /** {@return the user's message: the prompt with the files attached} */
    ChatMessage message(String prompt) {
        return isEmpty() ? ChatMessage.user(prompt) : ChatMessage.user(prompt, images, documents);
    }

    /**
     * Reads the files of {@code --file} and checks each against the models that may answer.
     *
     * @param paths the values of {@code --file}, in order
     * @param models the model asked and the fallbacks' models
     * @return the files, read
     * @throws UsageException for a file that cannot be read, of a type not taken, too large, or of a
     *     kind a model cannot read (naming the model)
     */
    static Attachments read(List<String> paths, List<String> models) throws UsageException {
        if (paths.isEmpty()) return NONE;
        List<Image> images = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (String value : paths) {
            if (value.isBlank()) throw new UsageException("--file needs a PATH");
            Path path;
            try {
                path = Path.of(value);
            } catch (InvalidPathException e) {
                throw new UsageException("--file " + value + ": not a path (" + e.getReason() + ")");
            }
            byte[] bytes = bytes(path, value);
            String type = mediaType(bytes, value);
            if (type == null) {
                throw new UsageException("--file " + value + ": not a file sluice attaches (a PDF, a PNG, JPEG, WebP"
                        + " or GIF image, a WAV or MP3 clip), by its content or its name");
            }
            for (String model : models) {
                try {
                    ModelCatalog.checkInput(model, ModelCapabilities.Input.of(type), "--file " + value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(String.valueOf(e.getMessage()));
                }
            }
            String data = Base64.getEncoder().encodeToString(bytes);
            Path name = path.getFileName();
            String filename = name == null ? null : name.toString();
            if (type.startsWith("image/")) images.add(Image.base64(type, data));
            else documents.add(new Document(type, data, filename));
        }
        return new Attachments(images, documents);
    }

    private static byte[] bytes(Path path, String value) throws UsageException {
        try {
            if (Files.isDirectory(path)) throw new UsageException("--file " + value + ": a directory, not a file");
            long size = Files.size(path);
            if (size == 0) throw new UsageException("--file " + value + ": the file is empty");
            if (size > MAX_BYTES)
                throw new UsageException("--file " + value + ": " + size / (1024 * 1024) + " MB is more than the "
                        + MAX_BYTES / (1024 * 1024) + " MB a file attached may be");
            try (InputStream in = Files.newInputStream(path)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("--file " + value + ": no such file");
        } catch (IOException e) {
            throw new UsageException(
                    "--file " + value + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * {@return the media type of a file sluice attaches, from its first bytes, else from its name's
     * extension; null for any other file}
     *
     * @param bytes the file's bytes
     * @param name its path as given
     */
    static @Nullable String mediaType(byte[] bytes, String name) {
        if (starts(bytes, 0, "%PDF-")) return Document.PDF;
        if (bytes.length >= 8 && (bytes[0] & 0xFF) == 0x89 && starts(bytes, 1, "PNG")) return "image/png";
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF)
            return "image/jpeg";
        if (starts(bytes, 0, "GIF87a") || starts(bytes, 0, "GIF89a")) return "image/gif";
        if (starts(bytes, 0, "RIFF") && starts(bytes, 8, "WEBP")) return "image/webp";
        if (starts(bytes, 0, "RIFF") && starts(bytes, 8, "WAVE")) return Document.WAV;
        if (starts(bytes, 0, "ID3")
                || (bytes.length >= 2
                        && (bytes[0] & 0xFF) == 0xFF
                        && (bytes[1] & 0xE0) == 0xE0
                        && (bytes[1] & 0x06) != 0)) return Document.MP3;
        String lower = name.toLowerCase(Locale.ROOT);
        String extension = lower.substring(lower.lastIndexOf('.') + 1);
        return switch (extension) {
            case "pdf" -> Document.PDF;
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "wav" -> Document.WAV;
            case "mp3" -> Document.MP3;
            default -> null;
        };
    }

    private static boolean starts(byte[] bytes, int at, String ascii) {
        byte[] want = ascii.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= at + want.length && Arrays.equals(bytes, at, at + want.length, want, 0, want.length);
    }
}
