package dev.sluice.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Gemini {@code GenerateContentRequest}: the body of {@code models/{model}:streamGenerateContent}.
 * The model is not part of the body; it goes into the URL ({@link GeminiClient#streamGenerateContent}).
 *
 * <pre>{@code
 * GenerateContentRequest request = GenerateContentRequest.builder()
 *         .systemInstruction("Answer briefly.")
 *         .addContent(Content.user(Part.text("Why is the sky blue?")))
 *         .generationConfig(GenerationConfig.builder().maxOutputTokens(512).build())
 *         .build();
 * }</pre>
 *
 * @param contents the conversation, oldest first; not empty
 * @param systemInstruction the system instruction's text; empty for none
 * @param functionDeclarations the functions the model may call, sent as one
 *     {@code tools[{functionDeclarations}]} entry; possibly empty
 * @param generationConfig the generation settings; {@link GenerationConfig#isEmpty() empty} ones are left out
 * @param toolConfig how the model uses the functions ({@code toolConfig}), or null for Gemini's default
 */
public record GenerateContentRequest(
        List<Content> contents,
        String systemInstruction,
        List<FunctionDeclaration> functionDeclarations,
        GenerationConfig generationConfig,
        @Nullable ToolConfig toolConfig) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if contents is empty or two functions share a name
     */
    public GenerateContentRequest {
        contents = List.copyOf(Objects.requireNonNull(contents, "contents"));
        if (contents.isEmpty()) throw new IllegalArgumentException("contents must not be empty");
        Objects.requireNonNull(systemInstruction, "systemInstruction");
        functionDeclarations = List.copyOf(Objects.requireNonNull(functionDeclarations, "functionDeclarations"));
        if (functionDeclarations.stream()
                        .map(FunctionDeclaration::name)
                        .distinct()
                        .count()
                != functionDeclarations.size()) {
            throw new IllegalArgumentException("function names must be unique: "
                    + functionDeclarations.stream()
                            .map(FunctionDeclaration::name)
                            .toList());
        }
        Objects.requireNonNull(generationConfig, "generationConfig");
    }

    /**
     * A request without a tool config.
     *
     * @param contents the conversation, oldest first
     * @param systemInstruction the system instruction's text; empty for none
     * @param functionDeclarations the functions the model may call
     * @param generationConfig the generation settings
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if contents is empty or two functions share a name
     */
    public GenerateContentRequest(
            List<Content> contents,
            String systemInstruction,
            List<FunctionDeclaration> functionDeclarations,
            GenerationConfig generationConfig) {
        this(contents, systemInstruction, functionDeclarations, generationConfig, null);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the request as Gemini's JSON body} */
    public String toJson() {
        return GeminiJson.request(this);
    }

    /** Builds a {@link GenerateContentRequest}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final List<Content> contents = new ArrayList<>();
        private String systemInstruction = "";
        private final List<FunctionDeclaration> functions = new ArrayList<>();
        private GenerationConfig generationConfig = GenerationConfig.builder().build();
        private @Nullable ToolConfig toolConfig;

        private Builder() {}

        /**
         * Adds the next turn of the conversation.
         *
         * @param content the turn
         * @return this builder
         * @throws NullPointerException if content is null
         */
        public Builder addContent(Content content) {
            contents.add(Objects.requireNonNull(content, "content"));
            return this;
        }

        /**
         * Sets the system instruction.
         *
         * @param text its text, empty for none
         * @return this builder
         * @throws NullPointerException if text is null
         */
        public Builder systemInstruction(String text) {
            this.systemInstruction = Objects.requireNonNull(text, "systemInstruction");
            return this;
        }

        /**
         * Adds a function the model may call.
         *
         * @param function the declaration, its name not used by another
         * @return this builder
         * @throws IllegalArgumentException if a function of that name was already added
         */
        public Builder addFunction(FunctionDeclaration function) {
            Objects.requireNonNull(function, "function");
            for (FunctionDeclaration f : functions) {
                if (f.name().equals(function.name()))
                    throw new IllegalArgumentException("a function named " + function.name() + " was already added");
            }
            functions.add(function);
            return this;
        }

        /**
         * Sets the generation settings.
         *
         * @param generationConfig the settings
         * @return this builder
         * @throws NullPointerException if generationConfig is null
         */
        public Builder generationConfig(GenerationConfig generationConfig) {
            this.generationConfig = Objects.requireNonNull(generationConfig, "generationConfig");
            return this;
        }

        /**
         * Sets how the model uses the functions.
         *
         * @param toolConfig the tool config
         * @return this builder
         * @throws NullPointerException if toolConfig is null
         */
        public Builder toolConfig(ToolConfig toolConfig) {
            this.toolConfig = Objects.requireNonNull(toolConfig, "toolConfig");
            return this;
        }

        /**
         * {@return the request}
         *
         * @throws IllegalStateException if no content was added
         */
        public GenerateContentRequest build() {
            if (contents.isEmpty())
                throw new IllegalStateException("at least one content is required: call addContent(..)");
            return new GenerateContentRequest(contents, systemInstruction, functions, generationConfig, toolConfig);
        }
    }
}
