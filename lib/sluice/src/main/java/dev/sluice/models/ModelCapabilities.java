package dev.sluice.models;

import dev.sluice.chat.Effort;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What one model family takes: a row of the {@link ModelCatalog}.
 *
 * @param model the model's id, or the start of its family's ids (a longer row wins)
 * @param maker who makes and documents it, and so which request form its thinking takes
 * @param thinking how it is asked to think
 * @param efforts the values its effort parameter takes, weakest first (Claude's
 *     {@code output_config.effort}, OpenAI's reasoning effort, Gemini's {@code thinkingLevel});
 *     empty if it has none
 * @param defaultEffort the effort it uses when none is sent, or null where unpublished
 * @param budgetMin the smallest thinking budget in tokens (a budget form), else 0
 * @param budgetMax the largest thinking budget, or 0 for "below {@code max_tokens}"
 * @param off how thinking is turned off, and up to which effort; null where it cannot be turned off
 *     (or the model does not think)
 * @param sampling whether it takes a temperature, {@code top_p} or {@code top_k} other than the default
 * @param forcedToolChoice whether it takes a forced tool choice
 * @param prefill whether a last assistant message is continued (an assistant prefill)
 * @param nativeStructuredOutput whether the provider's structured output is sent (else a forced tool call)
 * @param chatToolsWithEffort OpenAI: whether Chat Completions takes function tools with an effort other than none
 * @param effortPerMessage Claude: whether a {@code "role": "system"} message's own {@code output_config.effort}
 *     (a per-message effort change, the beta {@code mid-conversation-output-config-2026-07-01}) is taken
 * @param maxOutputTokens the output limit in tokens, or 0 where unpublished in the sources read
 * @param retires the day it stops answering, or null
 * @param replacement the model its provider names in its place, or null
 * @param source the documentation the row comes from, with a note where sources disagree
 * @param inputs what it reads: text always, and images, PDFs or audio as its row says
 */
public record ModelCapabilities(
        String model,
        Maker maker,
        ThinkingForm thinking,
        List<Effort> efforts,
        @Nullable Effort defaultEffort,
        int budgetMin,
        int budgetMax,
        @Nullable Off off,
        boolean sampling,
        boolean forcedToolChoice,
        boolean prefill,
        boolean nativeStructuredOutput,
        boolean chatToolsWithEffort,
        boolean effortPerMessage,
        int maxOutputTokens,
        @Nullable LocalDate retires,
        @Nullable String replacement,
        String source,
        Set<Input> inputs) {

    /** @throws NullPointerException if a part that may not be null is null */
    public ModelCapabilities {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(maker, "maker");
        Objects.requireNonNull(thinking, "thinking");
        efforts = List.copyOf(efforts);
        Objects.requireNonNull(source, "source");
        inputs = inputs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(inputs));
    }

    /**
     * A row that reads every kind of input ({@link Input}).
     *
     * @throws NullPointerException if a part that may not be null is null
     */
    public ModelCapabilities(
            String model,
            Maker maker,
            ThinkingForm thinking,
            List<Effort> efforts,
            @Nullable Effort defaultEffort,
            int budgetMin,
            int budgetMax,
            @Nullable Off off,
            boolean sampling,
            boolean forcedToolChoice,
            boolean prefill,
            boolean nativeStructuredOutput,
            boolean chatToolsWithEffort,
            boolean effortPerMessage,
            int maxOutputTokens,
            @Nullable LocalDate retires,
            @Nullable String replacement,
            String source) {
        this(
                model,
                maker,
                thinking,
                efforts,
                defaultEffort,
                budgetMin,
                budgetMax,
                off,
                sampling,
                forcedToolChoice,
                prefill,
                nativeStructuredOutput,
                chatToolsWithEffort,
                effortPerMessage,
                maxOutputTokens,
                retires,
                replacement,
                source,
                EnumSet.allOf(Input.class));
    }

    /** What a model reads: the table's {@code inputs} column. */
    public enum Input {
        /** Text, which every model reads. */
        TEXT("text"),
        /** Images (PNG, JPEG, WebP, GIF as each provider lists them). */
        IMAGE("images"),
        /** PDF documents. */
        PDF("PDFs"),
        /** Audio (WAV, MP3). */
        AUDIO("audio");

        private final String plural;

        Input(String plural) {
            this.plural = plural;
        }

        /**
         * {@return what a document of this media type is read as: {@link #PDF} for a PDF, {@link
         * #AUDIO} for an {@code audio/} type, {@link #IMAGE} for an {@code image/} type, else {@link
         * #TEXT} (plain text, CSV and the like, which a model reads as text where its API takes them)}
         *
         * @param mediaType a media type, such as {@code application/pdf}
         */
        public static Input of(String mediaType) {
            String type = mediaType.toLowerCase(Locale.ROOT);
            if (type.equals("application/pdf")) return PDF;
            if (type.startsWith("audio/")) return AUDIO;
            if (type.startsWith("image/")) return IMAGE;
            return TEXT;
        }

        /** {@return the kind's name in a sentence: {@code images}, {@code PDFs}, {@code audio}} */
        public String plural() {
            return plural;
        }

        static Set<Input> parse(String column) {
            Set<Input> inputs = EnumSet.noneOf(Input.class);
            for (String name : column.split(",")) {
                Input found = null;
                for (Input i : values()) if (i.name().toLowerCase(Locale.ROOT).equals(name)) found = i;
                if (found == null) throw new IllegalStateException("models.tsv: unknown input '" + name + "'");
                inputs.add(found);
            }
            return inputs;
        }
    }

    /**
     * Checks that the model reads {@code input}, as the inputs column of its row says (a PDF to a
     * model that reads none, audio to one that hears none: its API answers 400).
     *
     * @param requested the model id as the request names it
     * @param input what the request carries
     * @param what the file or part, named in the message ({@code --file report.pdf})
     * @throws IllegalArgumentException naming the model, the input and what it reads
     */
    public void checkInput(String requested, Input input, String what) {
        if (inputs.contains(input)) return;
        throw new IllegalArgumentException("model " + requested + " does not read " + input.plural() + " (" + what
                + "): it reads " + inputs.stream().map(Input::plural).collect(Collectors.joining(", "))
                + "; leave it out, or ask a model that reads " + input.plural());
    }

    /**
     * Who makes a model: the table's {@code maker} column. Not a provider ({@code
     * dev.sluice.providers.ProviderCatalog}): Claude is Anthropic's on Anthropic's API, Bedrock, Vertex
     * AI and Foundry alike, and each route's mapper asks the row of the maker it speaks for.
     */
    public enum Maker {
        /** Anthropic: Claude. */
        ANTHROPIC,
        /** OpenAI: GPT and the o-series. */
        OPENAI,
        /** Google: Gemini. */
        GOOGLE;

        static Maker parse(String column) {
            for (Maker m : values()) {
                if (m.name().toLowerCase(Locale.ROOT).equals(column)) return m;
            }
            throw new IllegalStateException("models.tsv: unknown maker '" + column + "'");
        }
    }

    /**
     * How a model is asked not to think: the table's {@code off} column.
     *
     * @param value what the request says, in its maker's words: Claude's {@code thinking.type}
     *     ({@code disabled}, or {@code between_tools}: Claude Sonnet 5.5's lowest setting, no
     *     up-front thinking, only short notes between tool calls, which replaces {@code disabled}
     *     there), OpenAI's effort {@code none}, Gemini 2.5's {@code thinkingBudget} {@code 0}
     * @param upTo the highest effort it goes with (Claude Haiku 5.5, Opus 5 and Sonnet 5.5: {@code
     *     high}; with {@code xhigh} or {@code max} the API answers 400), or null for any
     */
    public record Off(String value, @Nullable Effort upTo) {
        /** @throws NullPointerException if {@code value} is null */
        public Off {
            Objects.requireNonNull(value, "value");
        }

        /** {@return whether thinking may be turned off while the model works at {@code effort}} */
        public boolean allows(Effort effort) {
            return upTo == null || effort.compareTo(upTo) <= 0;
        }

        static @Nullable Off parse(String column) {
            if (column.equals("-")) return null;
            int at = column.indexOf("<=");
            return at < 0
                    ? new Off(column, null)
                    : new Off(column.substring(0, at), Effort.of(column.substring(at + 2)));
        }
    }

    /** {@return whether thinking can be turned off on this model (always, on a model that does not think)} */
    public boolean canTurnOffThinking() {
        return thinking == ThinkingForm.NONE || off != null;
    }

    /**
     * Checks that this model can take {@code effort} at all: {@code none} on a model that always
     * thinks, or any other value on a model that does not think, cannot be sent in any form.
     *
     * @param requested the effort asked for
     * @throws IllegalArgumentException naming the model and the parameter, and what it takes
     */
    public void checkEffort(Effort requested) {
        if (requested == Effort.NONE && !canTurnOffThinking()) {
            throw new IllegalArgumentException("model " + model + " always thinks: effort none is not one it takes"
                    + takes() + ": leave the effort out, or ask another");
        }
        if (requested != Effort.NONE && thinking == ThinkingForm.NONE) {
            throw new IllegalArgumentException("model " + model + " does not think: effort " + requested.wireName()
                    + " is not one it takes (only none)");
        }
    }

    /**
     * Checks that this model's thinking can be shown ({@code ChatRequest#showThinking()}): it thinks.
     *
     * @throws IllegalArgumentException naming the model, if it does not think
     */
    public void checkShowThinking() {
        if (thinking == ThinkingForm.NONE) {
            throw new IllegalArgumentException(
                    "model " + model + " does not think: it has no thinking to show (" + source() + ")");
        }
    }

    /**
     * Checks that the model takes a forced tool choice, as its row says.
     *
     * @param requested the model id as the request names it
     * @param parameter the choice as the request's API writes it ({@code tool_choice any}, {@code toolChoice tool})
     * @throws IllegalArgumentException naming the model and the parameter, if it refuses one
     */
    public void checkForcedToolChoice(String requested, String parameter) {
        if (!forcedToolChoice) {
            throw new IllegalArgumentException("model " + requested + " refuses a forced tool choice (" + parameter
                    + "): leave the tool choice out, or choose auto");
        }
    }

    /**
     * Checks that the model takes a per-message effort change, as its row says: a {@code "role":
     * "system"} message's own {@code output_config.effort}, which Anthropic's per-message effort beta
     * ({@code mid-conversation-output-config-2026-07-01}) lists for some models only
     * (platform.claude.com, build-with-claude/effort-per-message).
     *
     * @param requested the model id as the request names it
     * @param parameter the message's field, as the request writes it ({@code messages.3.output_config.effort})
     * @throws IllegalArgumentException naming the model and the parameter, if it refuses one
     */
    public void checkEffortPerMessage(String requested, String parameter) {
        if (!effortPerMessage) {
            throw new IllegalArgumentException("model " + requested + " does not take a per-message effort change ("
                    + parameter + ", the beta mid-conversation-output-config-2026-07-01): set the request's own"
                    + " output_config.effort instead, or use a model that takes it");
        }
    }

    /**
     * Checks that the model continues a last assistant message (a prefill), as its row says; a turn
     * sent back with its provider's state is a continuation, not a prefill, and is not asked here.
     *
     * @param requested the model id as the request names it
     * @throws IllegalArgumentException naming the model, if it refuses one
     */
    public void checkPrefill(String requested) {
        if (!prefill) {
            throw new IllegalArgumentException("model " + requested + " refuses an assistant prefill (the request's"
                    + " last message is the assistant's): end the conversation with a user message");
        }
    }

    /**
     * Checks that the model can write {@code maxTokens} tokens at all: no more than its output limit,
     * where the table gives one (its provider answers 400 to more, as Anthropic's {@code max_tokens: N
     * > M, which is the maximum allowed number of output tokens for ...}).
     *
     * @param maxTokens the output limit asked for
     * @throws IllegalArgumentException naming the model and the parameter, and the model's limit
     */
    public void checkMaxOutputTokens(int maxTokens) {
        checkMaxOutputTokens(maxTokens, "maxTokens");
    }

    /**
     * Checks an output limit as a request's own field names it ({@code max_tokens}, {@code
     * max_output_tokens}, {@code generationConfig.maxOutputTokens}): no more than the model's limit,
     * where the table gives one.
     *
     * @param maxTokens the output limit asked for
     * @param parameter the field that asks it, named in the message
     * @throws IllegalArgumentException naming the model, the parameter and the model's limit
     */
    public void checkMaxOutputTokens(int maxTokens, String parameter) {
        if (maxOutputTokens > 0 && maxTokens > maxOutputTokens) {
            throw new IllegalArgumentException("model " + model + " writes at most " + maxOutputTokens
                    + " output tokens: " + parameter + " " + maxTokens + " is more than it takes; lower " + parameter);
        }
    }

    /**
     * Checks a value of the model's effort parameter as a typed request sends it (Claude's {@code
     * output_config.effort}, OpenAI's {@code reasoning.effort} / {@code reasoning_effort}, Gemini's
     * {@code thinkingLevel}, compared without case): one of the values its row lists. A neutral request's
     * {@link Effort} is mapped to the nearest such value instead ({@link #nearestEffort}).
     *
     * @param parameter the field, named in the message
     * @param value the value sent
     * @throws IllegalArgumentException naming the model, the parameter and the values it takes
     */
    public void checkEffortValue(String parameter, String value) {
        if (efforts.isEmpty()) {
            throw new IllegalArgumentException(
                    "model " + model + " takes no " + parameter + ": leave " + parameter + " " + value + " out");
        }
        for (Effort e : efforts) if (e.wireName().equalsIgnoreCase(value)) return;
        throw new IllegalArgumentException(
                "model " + model + " does not take " + parameter + " " + value + takes() + ": choose one of those");
    }

    /**
     * Checks Claude's {@code thinking.type} as a typed request sends it against the row: {@code
     * enabled} (a budget) on a model that thinks only adaptively, {@code adaptive} on one before
     * Claude 4.6, thinking turned off where it cannot be, {@code disabled} where the model turns it
     * off with {@code between_tools} instead (Claude Sonnet 5.5) and {@code between_tools} anywhere
     * else, and either at an effort above the one the {@code off} column bounds it to (the model's
     * default when none is sent). The Messages API answers each with a 400.
     *
     * @param type the {@code thinking.type}: {@code enabled}, {@code adaptive}, {@code disabled} or
     *     {@code between_tools}
     * @param effort the request's effort ({@code output_config.effort}), or null for none
     * @throws IllegalArgumentException naming the model, the parameter and what it takes
     */
    public void checkThinkingType(String type, @Nullable String effort) {
        boolean adaptiveOnly = thinking == ThinkingForm.ADAPTIVE || thinking == ThinkingForm.ADAPTIVE_ALWAYS;
        boolean takesAdaptive = adaptiveOnly || thinking == ThinkingForm.ADAPTIVE_OR_BUDGET;
        switch (type) {
            case "enabled" -> {
                if (adaptiveOnly)
                    throw new IllegalArgumentException("model " + model + " thinks only adaptively: thinking.type"
                            + " enabled (a budget) is not one it takes; use thinking.type adaptive and an effort");
            }
            case "adaptive" -> {
                if (!takesAdaptive)
                    throw new IllegalArgumentException("model " + model + " does not take thinking.type adaptive"
                            + (thinking == ThinkingForm.NONE ? " (it does not think)" : ": give it a thinking budget"));
            }
            case "disabled", "between_tools" -> {
                if (thinking == ThinkingForm.NONE) return;
                if (off == null)
                    throw new IllegalArgumentException("model " + model + " always thinks: thinking.type " + type
                            + " is not one it takes; think adaptively");
                if (!off.value().equals(type))
                    throw new IllegalArgumentException("model " + model + " turns thinking off with thinking.type "
                            + off.value() + ", not " + type);
                Effort at = effort != null ? Effort.of(effort) : defaultEffort;
                if (at != null && !off.allows(at))
                    throw new IllegalArgumentException("model " + model + " takes thinking.type " + type
                            + " only at effort "
                            + Objects.requireNonNull(off.upTo()).wireName() + " or lower, not "
                            + at.wireName() + ": lower output_config.effort, or think adaptively");
            }
            default -> {}
        }
    }

    /**
     * Checks that the model takes its provider's structured output, as its row says (Claude Opus 4.1
     * and earlier, GPT-4 Turbo and earlier do not: the API answers 400; a neutral request's format
     * goes to them as a forced tool call instead).
     *
     * @param parameter the field that asks it ({@code output_config.format}, {@code text.format},
     *     {@code response_format}, {@code generationConfig.responseJsonSchema}), named in the message
     * @throws IllegalArgumentException naming the model and the parameter
     */
    public void checkStructuredOutput(String parameter) {
        if (!nativeStructuredOutput)
            throw new IllegalArgumentException("model " + model + " has no structured output: " + parameter
                    + " is not one it takes; ask for the JSON through a forced tool call");
    }

    /**
     * {@return the value of the model's effort parameter nearest to {@code requested}: the same one
     * where it takes it, else the nearest on the scale {@code none < minimal < low < medium < high <
     * xhigh < max} (between two equally near, the higher); empty if the model has no effort parameter}
     *
     * @param requested the effort asked for
     */
    public Optional<Effort> nearestEffort(Effort requested) {
        Effort best = null;
        for (Effort e : efforts) {
            if (best == null) {
                best = e;
                continue;
            }
            int d = Math.abs(e.compareTo(requested)); // the distance on the scale
            int bestD = Math.abs(best.compareTo(requested));
            if (d < bestD || (d == bestD && e.compareTo(best) > 0)) best = e;
        }
        return Optional.ofNullable(best);
    }

    /**
     * {@return how {@code requested} goes to this model, as the request mappers send it from this
     * row, in its maker's words: the value and the field ({@code low (output_config.effort,
     * thinking adaptive)}, {@code 16384 (thinking.budget_tokens)}, {@code LOW (thinkingLevel)}, {@code
     * disabled (thinking.type)}, {@code none (reasoning effort)}); where the model takes another value
     * than the one asked, the nearest ({@link #nearestEffort}) is the one named}
     *
     * @param requested the effort asked for
     * @throws IllegalArgumentException if the model cannot take it in any form ({@link #checkEffort})
     */
    public String sentAs(Effort requested) {
        checkEffort(requested);
        if (thinking == ThinkingForm.NONE) return "none (no thinking field: the model does not think)";
        String level = nearestEffort(requested).map(Effort::wireName).orElse(requested.wireName());
        return switch (maker) {
            case ANTHROPIC -> {
                if (requested == Effort.NONE) yield Objects.requireNonNull(off).value() + " (thinking.type)";
                if (thinking == ThinkingForm.BUDGET || thinking == ThinkingForm.BUDGET_ALWAYS)
                    yield budgetFor(requested) + " (thinking.budget_tokens)"
                            + (efforts.isEmpty() ? "" : ", " + level + " (output_config.effort)");
                yield level + " (output_config.effort, thinking adaptive)";
            }
            case OPENAI -> level + " (reasoning effort)";
            case GOOGLE -> {
                if (thinking == ThinkingForm.BUDGET || thinking == ThinkingForm.BUDGET_ALWAYS)
                    yield budgetFor(requested) + " (thinkingBudget)";
                yield level.toUpperCase(Locale.ROOT) + " (thinkingLevel)";
            }
        };
    }

    /**
     * {@return the thinking budget in tokens for {@code effort} on a budget model: 0 for none,
     * else 1024, 2048, 8192, 16384, 32768 or 65536 from minimal to max, kept within the model's range}
     *
     * @param effort the effort asked for
     */
    public int budgetFor(Effort effort) {
        if (effort == Effort.NONE) return 0;
        int budget = switch (effort) {
            case MINIMAL -> 1024;
            case LOW -> 2048;
            case MEDIUM -> 8192;
            case HIGH -> 16384;
            case XHIGH -> 32768;
            default -> 65536;
        };
        if (budgetMax > 0) budget = Math.min(budget, budgetMax);
        return Math.max(budget, budgetMin);
    }

    /** {@return whether {@code id} is this row's model or one of its family} */
    boolean matches(String id) {
        if (!id.startsWith(model)) return false;
        if (id.length() == model.length()) return true;
        char next = id.charAt(model.length());
        return next == '-' || next == '@' || next == ':';
    }

    private String takes() {
        if (!efforts.isEmpty())
            return " (it takes " + efforts.stream().map(Effort::wireName).collect(Collectors.joining(", ")) + ")";
        return thinking == ThinkingForm.BUDGET_ALWAYS ? " (its thinking budget is at least " + budgetMin + ")" : "";
    }
}
