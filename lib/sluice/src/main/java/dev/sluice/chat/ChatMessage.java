package dev.sluice.chat;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One turn of the conversation in a {@link ChatRequest}: text, and for a tool loop, the assistant's
 * tool calls or the user's tool results. Providers put tool results where their API wants them
 * (Anthropic: {@code tool_result} blocks in a user message; others: one message per result).
 *
 * <p>An ASSISTANT message made from a response ({@link #assistant(ChatResponse)}) carries the
 * response's {@link ProviderState} verbatim: keep the message as it is in the history you send
 * next, and the same target gets its state back; a {@link FallbackChain} strips it from what it
 * sends to any other target. Where a history is kept for a browser, keep the state on the server
 * side: it is the provider's, not the user's.
 *
 * @param role who speaks
 * @param text the text; may be empty when the message carries tool calls or tool results
 * @param toolCalls the tool calls the assistant made (only in an ASSISTANT message)
 * @param toolResults the results of those calls (only in a USER message), each with the images its
 *     tool returned ({@link ToolResult#images()})
 * @param providerState what the target that wrote this ASSISTANT message needs back with it
 *     (thinking blocks and signatures; see {@link ProviderState}); null if none, always null in a
 *     USER message
 * @param images the images the user shows (only in a USER message), which each provider's client
 *     sends before the message's text ({@link Image}); possibly empty
 * @param documents the documents the user attaches (only in a USER message), which each provider's
 *     client sends before the message's images and text ({@link Document}); possibly empty
 * @param cacheMark whether the prompt up to the end of this message is marked for the provider's
 *     prompt cache: Anthropic (and its clouds) get {@code cache_control {"type": "ephemeral"}} on
 *     the message's last block, Bedrock Converse a {@code cachePoint} block after it; OpenAI and
 *     Gemini, which cache without marks, nothing
 * @param files the files the user names by the id a provider's Files API gave them (only in a USER
 *     message), which that provider's client sends with the documents ({@link ProviderFile});
 *     possibly empty
 */
public record ChatMessage(
        Role role,
        String text,
        List<ToolCall> toolCalls,
        List<ToolResult> toolResults,
        @Nullable ProviderState providerState,
        List<Image> images,
        List<Document> documents,
        boolean cacheMark,
        List<ProviderFile> files) {

    /** Who speaks. */
    public enum Role {
        /** The user, or the program answering tool calls. */
        USER,
        /** The model. */
        ASSISTANT
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the message is empty, or carries tool calls or provider
     *     state as USER, or tool results, images or documents as ASSISTANT
     */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
        toolResults = List.copyOf(Objects.requireNonNull(toolResults, "toolResults"));
        images = List.copyOf(Objects.requireNonNull(images, "images"));
        documents = List.copyOf(Objects.requireNonNull(documents, "documents"));
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        if (role == Role.USER && !toolCalls.isEmpty()) {
            throw new IllegalArgumentException("a USER message cannot carry tool calls");
        }
        if (role == Role.USER && providerState != null) {
            throw new IllegalArgumentException("a USER message cannot carry provider state");
        }
        if (role == Role.ASSISTANT && !toolResults.isEmpty()) {
            throw new IllegalArgumentException("an ASSISTANT message cannot carry tool results");
        }
        if (role == Role.ASSISTANT && !images.isEmpty()) {
            throw new IllegalArgumentException("an ASSISTANT message cannot carry images");
        }
        if (role == Role.ASSISTANT && !documents.isEmpty()) {
            throw new IllegalArgumentException("an ASSISTANT message cannot carry documents");
        }
        if (role == Role.ASSISTANT && !files.isEmpty()) {
            throw new IllegalArgumentException("an ASSISTANT message cannot carry files");
        }
        if (text.isEmpty()
                && toolCalls.isEmpty()
                && toolResults.isEmpty()
                && providerState == null
                && images.isEmpty()
                && documents.isEmpty()
                && files.isEmpty()) {
            throw new IllegalArgumentException(
                    "a " + role + " message needs text, images, documents, files, tool calls or tool results");
        }
    }

    /**
     * A message without provider files.
     *
     * @param role who speaks
     * @param text the text, possibly empty
     * @param toolCalls the assistant's tool calls
     * @param toolResults the user's tool results
     * @param providerState the assistant's provider state, or null
     * @param images the user's images
     * @param documents the user's documents
     * @param cacheMark whether the prompt up to the end of this message is marked for the prompt cache
     * @throws NullPointerException if an argument but providerState is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(
            Role role,
            String text,
            List<ToolCall> toolCalls,
            List<ToolResult> toolResults,
            @Nullable ProviderState providerState,
            List<Image> images,
            List<Document> documents,
            boolean cacheMark) {
        this(role, text, toolCalls, toolResults, providerState, images, documents, cacheMark, List.of());
    }

    /**
     * A message without a cache mark.
     *
     * @param role who speaks
     * @param text the text, possibly empty
     * @param toolCalls the assistant's tool calls
     * @param toolResults the user's tool results
     * @param providerState the assistant's provider state, or null
     * @param images the user's images
     * @param documents the user's documents
     * @throws NullPointerException if an argument but providerState is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(
            Role role,
            String text,
            List<ToolCall> toolCalls,
            List<ToolResult> toolResults,
            @Nullable ProviderState providerState,
            List<Image> images,
            List<Document> documents) {
        this(role, text, toolCalls, toolResults, providerState, images, documents, false);
    }

    /**
     * A message without documents.
     *
     * @param role who speaks
     * @param text the text, possibly empty
     * @param toolCalls the assistant's tool calls
     * @param toolResults the user's tool results
     * @param providerState the assistant's provider state, or null
     * @param images the user's images
     * @throws NullPointerException if an argument but providerState is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(
            Role role,
            String text,
            List<ToolCall> toolCalls,
            List<ToolResult> toolResults,
            @Nullable ProviderState providerState,
            List<Image> images) {
        this(role, text, toolCalls, toolResults, providerState, images, List.of());
    }

    /**
     * A message without images.
     *
     * @param role who speaks
     * @param text the text, possibly empty
     * @param toolCalls the assistant's tool calls
     * @param toolResults the user's tool results
     * @param providerState the assistant's provider state, or null
     * @throws NullPointerException if an argument but providerState is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(
            Role role,
            String text,
            List<ToolCall> toolCalls,
            List<ToolResult> toolResults,
            @Nullable ProviderState providerState) {
        this(role, text, toolCalls, toolResults, providerState, List.of(), List.of());
    }

    /**
     * A message without provider state.
     *
     * @param role who speaks
     * @param text the text, possibly empty
     * @param toolCalls the assistant's tool calls
     * @param toolResults the user's tool results
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(Role role, String text, List<ToolCall> toolCalls, List<ToolResult> toolResults) {
        this(role, text, toolCalls, toolResults, null, List.of(), List.of());
    }

    /**
     * {@return a user message showing images, with text or without}
     *
     * @param text the user's text, possibly empty
     * @param images the images, at least one unless there is text
     */
    public static ChatMessage user(String text, List<Image> images) {
        return new ChatMessage(Role.USER, text, List.of(), List.of(), null, images);
    }

    /**
     * {@return a user message attaching documents (and showing images), with text or without}
     *
     * @param text the user's text, possibly empty
     * @param images the images, possibly empty
     * @param documents the documents, at least one unless there is text or an image
     */
    public static ChatMessage user(String text, List<Image> images, List<Document> documents) {
        return new ChatMessage(Role.USER, text, List.of(), List.of(), null, images, documents);
    }

    /**
     * {@return this message marked for the provider's prompt cache, or unmarked ({@link #cacheMark()})}
     *
     * @param marked whether the prompt up to the end of this message is marked
     */
    public ChatMessage withCacheMark(boolean marked) {
        return new ChatMessage(role, text, toolCalls, toolResults, providerState, images, documents, marked, files);
    }

    /**
     * {@return this user message naming files a provider holds ({@link #files()}), in place of any it named}
     *
     * @param files the files, by the ids the provider's Files API gave them
     * @throws IllegalArgumentException if this is an ASSISTANT message and {@code files} is not empty
     */
    public ChatMessage withFiles(List<ProviderFile> files) {
        return new ChatMessage(role, text, toolCalls, toolResults, providerState, images, documents, cacheMark, files);
    }

    /**
     * {@return a user message}
     *
     * @param text the user's text, not empty
     */
    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), List.of());
    }

    /**
     * {@return an assistant message (e.g. a prefill or an earlier answer)}
     *
     * @param text the assistant's text, not empty
     */
    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, text, List.of(), List.of());
    }

    /**
     * Repeats a response of the model in the next request of a tool loop.
     *
     * @param response a response of the model
     * @return the assistant message that repeats it in the next request: its text, tool calls and
     *     provider state verbatim, with the chain target it came from (thinking blocks and
     *     signatures, which the next turn on the same target needs)
     * @throws IllegalArgumentException if the response has neither text nor tool calls nor provider state
     */
    public static ChatMessage assistant(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        return new ChatMessage(
                Role.ASSISTANT, response.text(), response.toolCalls(), List.of(), response.providerState());
    }

    /**
     * {@return a user message carrying them}
     *
     * @param results the results of the assistant's tool calls, at least one
     */
    public static ChatMessage toolResults(List<ToolResult> results) {
        return new ChatMessage(Role.USER, "", List.of(), results);
    }
}
