package dev.sluice.openai;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a Chat Completions request. Build one with the factories:
 * {@link #system}, {@link #developer}, {@link #user}, {@link #assistant(String)},
 * {@link #assistant(String, List)} (a turn with tool calls) and {@link #tool} (a tool's result).
 * An assistant message of an OpenAI-compatible server that reasons can carry its reasoning back
 * ({@link #withReasoning}): DeepSeek answers 400 when an assistant message of a tool-call turn
 * comes back without its {@code reasoning_content}.
 *
 * @param role {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text; null only for an assistant message that carries tool calls
 * @param toolCalls the tool calls of an assistant message, possibly empty
 * @param toolCallId the call a {@code tool} message answers; null for other roles
 * @param reasoningContent the {@code reasoning_content} sent back on an assistant message, or null
 * @param reasoning the {@code reasoning} sent back on an assistant message, or null
 * @param reasoningDetails the {@code reasoning_details} entries sent back on an assistant message,
 *     verbatim, in Sluice's JSON value model; possibly empty
 * @param imageUrls the images of a user message, each an {@code https} or {@code data:} URL, sent
 *     as {@code image_url} content parts before its text; possibly empty
 * @param files the files of a user message, sent as content parts of type "file" before its images;
 *     possibly empty
 * @param audio the audio clips of a user message, sent as {@code input_audio} content parts after its
 *     files; possibly empty
 */
public record ChatCompletionMessage(
        String role,
        @Nullable String content,
        List<ToolCallParam> toolCalls,
        @Nullable String toolCallId,
        @Nullable String reasoningContent,
        @Nullable String reasoning,
        List<Object> reasoningDetails,
        List<String> imageUrls,
        List<FilePart> files,
        List<AudioPart> audio) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if role, toolCalls or reasoningDetails is null, or content is
     *     null without tool calls
     * @throws IllegalArgumentException if role is blank, tool calls are given for a role other than
     *     assistant, toolCallId is given for a role other than tool (or missing for it), or
     *     reasoning is given for a role other than assistant
     */
    public ChatCompletionMessage {
        Objects.requireNonNull(role, "role");
        if (role.isBlank()) throw new IllegalArgumentException("role must not be blank");
        toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
        reasoningDetails = List.copyOf(Objects.requireNonNull(reasoningDetails, "reasoningDetails"));
        imageUrls = List.copyOf(Objects.requireNonNull(imageUrls, "imageUrls"));
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        audio = List.copyOf(Objects.requireNonNull(audio, "audio"));
        if ((!imageUrls.isEmpty() || !files.isEmpty() || !audio.isEmpty()) && !role.equals("user"))
            throw new IllegalArgumentException(
                    "only a user message carries images, files and audio, not a " + role + " message");
        if ((reasoningContent != null || reasoning != null || !reasoningDetails.isEmpty())
                && !role.equals("assistant")) {
            throw new IllegalArgumentException(
                    "only an assistant message carries reasoning, not a " + role + " message");
        }
        if (!toolCalls.isEmpty() && !role.equals("assistant")) {
            throw new IllegalArgumentException(
                    "only an assistant message carries tool calls, not a " + role + " message");
        }
        if (content == null && toolCalls.isEmpty())
            throw new NullPointerException("content (null only with tool calls)");
        if (role.equals("tool") != (toolCallId != null)) {
            throw new IllegalArgumentException("toolCallId is required for a tool message and allowed for no other");
        }
        if (toolCallId != null && toolCallId.isBlank())
            throw new IllegalArgumentException("toolCallId must not be blank");
    }

    /**
     * A message without audio.
     *
     * @param role the author's role
     * @param content the text; null only for an assistant message that carries tool calls
     * @param toolCalls the tool calls of an assistant message, possibly empty
     * @param toolCallId the call a {@code tool} message answers; null for other roles
     * @param reasoningContent the {@code reasoning_content} of an assistant message, or null
     * @param reasoning the {@code reasoning} of an assistant message, or null
     * @param reasoningDetails the {@code reasoning_details} entries of an assistant message, possibly empty
     * @param imageUrls the images of a user message, possibly empty
     * @param files the files of a user message, possibly empty
     * @throws NullPointerException as the canonical constructor
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatCompletionMessage(
            String role,
            @Nullable String content,
            List<ToolCallParam> toolCalls,
            @Nullable String toolCallId,
            @Nullable String reasoningContent,
            @Nullable String reasoning,
            List<Object> reasoningDetails,
            List<String> imageUrls,
            List<FilePart> files) {
        this(
                role,
                content,
                toolCalls,
                toolCallId,
                reasoningContent,
                reasoning,
                reasoningDetails,
                imageUrls,
                files,
                List.of());
    }

    /**
     * A message without files.
     *
     * @param role the author's role
     * @param content the text; null only for an assistant message that carries tool calls
     * @param toolCalls the tool calls of an assistant message, possibly empty
     * @param toolCallId the call a {@code tool} message answers; null for other roles
     * @param reasoningContent the {@code reasoning_content} of an assistant message, or null
     * @param reasoning the {@code reasoning} of an assistant message, or null
     * @param reasoningDetails the {@code reasoning_details} entries of an assistant message, possibly empty
     * @param imageUrls the images of a user message, possibly empty
     * @throws NullPointerException as the canonical constructor
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatCompletionMessage(
            String role,
            @Nullable String content,
            List<ToolCallParam> toolCalls,
            @Nullable String toolCallId,
            @Nullable String reasoningContent,
            @Nullable String reasoning,
            List<Object> reasoningDetails,
            List<String> imageUrls) {
        this(role, content, toolCalls, toolCallId, reasoningContent, reasoning, reasoningDetails, imageUrls, List.of());
    }

    /**
     * A message without images.
     *
     * @param role the author's role
     * @param content the text; null only for an assistant message that carries tool calls
     * @param toolCalls the tool calls of an assistant message, possibly empty
     * @param toolCallId the call a {@code tool} message answers; null for other roles
     * @param reasoningContent the {@code reasoning_content} of an assistant message, or null
     * @param reasoning the {@code reasoning} of an assistant message, or null
     * @param reasoningDetails the {@code reasoning_details} entries of an assistant message, possibly empty
     * @throws NullPointerException as the canonical constructor
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatCompletionMessage(
            String role,
            @Nullable String content,
            List<ToolCallParam> toolCalls,
            @Nullable String toolCallId,
            @Nullable String reasoningContent,
            @Nullable String reasoning,
            List<Object> reasoningDetails) {
        this(role, content, toolCalls, toolCallId, reasoningContent, reasoning, reasoningDetails, List.of());
    }

    /**
     * A message without reasoning.
     *
     * @param role the author's role
     * @param content the text; null only for an assistant message that carries tool calls
     * @param toolCalls the tool calls of an assistant message, possibly empty
     * @param toolCallId the call a {@code tool} message answers; null for other roles
     * @throws NullPointerException as the canonical constructor
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatCompletionMessage(
            String role, @Nullable String content, List<ToolCallParam> toolCalls, @Nullable String toolCallId) {
        this(role, content, toolCalls, toolCallId, null, null, List.of(), List.of());
    }

    /**
     * {@return this assistant message with the reasoning to send back with it, as the server sent
     * it} Pass what a {@link ChatCompletion.Message} holds: its {@code reasoningContent},
     * {@code reasoning} and {@code reasoningDetails}, unchanged.
     *
     * @param reasoningContent the {@code reasoning_content}, or null to send none
     * @param reasoning the {@code reasoning}, or null to send none
     * @param reasoningDetails the {@code reasoning_details} entries, possibly empty
     * @throws IllegalArgumentException if this is not an assistant message
     * @throws NullPointerException if reasoningDetails is null
     */
    public ChatCompletionMessage withReasoning(
            @Nullable String reasoningContent, @Nullable String reasoning, List<Object> reasoningDetails) {
        return new ChatCompletionMessage(
                role,
                content,
                toolCalls,
                toolCallId,
                reasoningContent,
                reasoning,
                reasoningDetails,
                imageUrls,
                files,
                audio);
    }

    /**
     * {@return a system message}
     *
     * @param text the instructions
     */
    public static ChatCompletionMessage system(String text) {
        return new ChatCompletionMessage("system", Objects.requireNonNull(text, "text"), List.of(), null);
    }

    /**
     * {@return a developer message (the newer name for system instructions, for reasoning models)}
     *
     * @param text the instructions
     */
    public static ChatCompletionMessage developer(String text) {
        return new ChatCompletionMessage("developer", Objects.requireNonNull(text, "text"), List.of(), null);
    }

    /**
     * {@return a user message}
     *
     * @param text the user's text
     */
    public static ChatCompletionMessage user(String text) {
        return new ChatCompletionMessage("user", Objects.requireNonNull(text, "text"), List.of(), null);
    }

    /**
     * {@return a user message showing images}, each sent as an {@code image_url} content part
     * before the text
     *
     * @param text the user's text, possibly empty
     * @param imageUrls the images, each an {@code https} URL or a {@code data:image/...;base64,} URL
     */
    public static ChatCompletionMessage user(String text, List<String> imageUrls) {
        return new ChatCompletionMessage(
                "user", Objects.requireNonNull(text, "text"), List.of(), null, null, null, List.of(), imageUrls);
    }

    /**
     * {@return a user message attaching files and showing images}, each file sent as a content part of type "file",
     * then each image as an {@code image_url} part, then the text
     *
     * @param text the user's text, possibly empty
     * @param imageUrls the images, each an {@code https} URL or a {@code data:image/...;base64,} URL
     * @param files the files
     */
    public static ChatCompletionMessage user(String text, List<String> imageUrls, List<FilePart> files) {
        return new ChatCompletionMessage(
                "user", Objects.requireNonNull(text, "text"), List.of(), null, null, null, List.of(), imageUrls, files);
    }

    /**
     * {@return a user message attaching files and audio and showing images}: each file sent as a
     * content part of type "file", then each audio clip as an {@code input_audio} part, then each image
     * as an {@code image_url} part, then the text
     *
     * @param text the user's text, possibly empty
     * @param imageUrls the images, each an {@code https} URL or a {@code data:image/...;base64,} URL
     * @param files the files
     * @param audio the audio clips
     */
    public static ChatCompletionMessage user(
            String text, List<String> imageUrls, List<FilePart> files, List<AudioPart> audio) {
        return new ChatCompletionMessage(
                "user",
                Objects.requireNonNull(text, "text"),
                List.of(),
                null,
                null,
                null,
                List.of(),
                imageUrls,
                files,
                audio);
    }

    /**
     * {@return an assistant message: an earlier answer}
     *
     * @param text the assistant's text
     */
    public static ChatCompletionMessage assistant(String text) {
        return new ChatCompletionMessage("assistant", Objects.requireNonNull(text, "text"), List.of(), null);
    }

    /**
     * {@return an assistant turn that called tools, to repeat in the next request of a tool loop}
     *
     * @param text the assistant's text, or null when it had none
     * @param toolCalls the calls it made, at least one
     * @throws IllegalArgumentException if toolCalls is empty
     */
    public static ChatCompletionMessage assistant(@Nullable String text, List<ToolCallParam> toolCalls) {
        if (toolCalls.isEmpty()) throw new IllegalArgumentException("toolCalls must not be empty");
        return new ChatCompletionMessage("assistant", text, toolCalls, null);
    }

    /**
     * {@return a tool message: the result of one call}
     *
     * @param toolCallId the id of the call answered
     * @param content what the tool returned, as text
     */
    public static ChatCompletionMessage tool(String toolCallId, String content) {
        return new ChatCompletionMessage(
                "tool",
                Objects.requireNonNull(content, "content"),
                List.of(),
                Objects.requireNonNull(toolCallId, "toolCallId"));
    }

    /**
     * A function call of an earlier assistant turn, as sent back in a request.
     *
     * @param id the call's id
     * @param name the function's name
     * @param arguments the arguments' JSON text, as the model wrote it
     */
    public record ToolCallParam(String id, String name, String arguments) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if id or name is blank
         */
        public ToolCallParam {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            if (id.isBlank()) throw new IllegalArgumentException("id must not be blank");
            if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        }
    }

    /**
     * A file in a user message, as Chat Completions takes one: a content part of type "file",
     * {@code {"type": "file", "file": {"filename", "file_data"}}}, or one the Files API holds,
     * {@code {"type": "file", "file": {"file_id"}}} ({@link #ofId}).
     *
     * @param filename the file's name; null for a file given by id
     * @param fileData its bytes as a {@code data:} URL ({@code data:application/pdf;base64,...}); null
     *     for a file given by id
     * @param fileId the id the Files API gave it; null for a file given by its bytes
     */
    public record FilePart(
            @Nullable String filename,
            @Nullable String fileData,
            @Nullable String fileId) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException unless either a filename and a {@code data:} URL, or an id
         *     alone, are given, none blank
         */
        public FilePart {
            if (fileId != null) {
                if (fileId.isBlank() || filename != null || fileData != null)
                    throw new IllegalArgumentException("a file given by id has a non-blank id and no name or data");
            } else {
                if (filename == null || filename.isBlank())
                    throw new IllegalArgumentException("filename must not be blank");
                if (fileData == null || !fileData.startsWith("data:"))
                    throw new IllegalArgumentException(
                            "fileData must be a data: URL (data:application/pdf;base64,...)");
            }
        }

        /**
         * A file given by its bytes.
         *
         * @param filename the file's name
         * @param fileData its bytes as a {@code data:} URL
         * @throws IllegalArgumentException if the filename is blank or the data is not a {@code data:} URL
         */
        public FilePart(String filename, String fileData) {
            this(Objects.requireNonNull(filename, "filename"), Objects.requireNonNull(fileData, "fileData"), null);
        }

        /**
         * {@return a file the Files API holds}
         *
         * @param fileId the id it gave the file ({@code file-abc123})
         * @throws IllegalArgumentException if the id is blank
         */
        public static FilePart ofId(String fileId) {
            return new FilePart(null, null, Objects.requireNonNull(fileId, "fileId"));
        }

        /** {@return the part's kind and size, never its bytes} */
        @Override
        public String toString() {
            return fileId != null
                    ? "FilePart[id]"
                    : "FilePart[" + Objects.requireNonNull(fileData).length() + " chars]";
        }
    }

    /**
     * An audio clip in a user message, as Chat Completions takes one: a content part {@code {"type":
     * "input_audio", "input_audio": {"data", "format"}}} (platform.openai.com docs/guides/audio).
     *
     * @param data the clip's bytes, base64-encoded
     * @param format {@code wav} or {@code mp3}, the formats the API reads
     */
    public record AudioPart(String data, String format) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the data is empty or the format is not wav or mp3
         */
        public AudioPart {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(format, "format");
            if (data.isEmpty()) throw new IllegalArgumentException("an audio clip's data must not be empty");
            if (!format.equals("wav") && !format.equals("mp3"))
                throw new IllegalArgumentException("an audio clip's format must be wav or mp3, not " + format);
        }

        /** {@return the part's format and size, never its bytes} */
        @Override
        public String toString() {
            return "AudioPart[" + format + ", " + data.length() + " chars]";
        }
    }
}
