package dev.sluice.testkit;

import java.util.List;

/**
 * A plain tool input for a tool the fake model chose to call (its structured answers are
 * {@link PromptFill}'s): the required properties (all of them when none is marked required)
 * filled by type — a string is one word of the prompt, a number 42, a boolean true, an enum its
 * first value, an array one item — down to a fixed depth, within the schema's bounds
 * ({@link SchemaSample} walks it).
 */
final class SampleToolInput implements SchemaSample.Filler {
    private static final int MAX_DEPTH = 4;

    private final String word;

    private SampleToolInput(String word) {
        this.word = word;
    }

    /** {@return the sample input: always a JSON object, as the API requires for tool input} */
    static ObjectNode of(JsonNode inputSchema, String prompt) {
        JsonNode value = SchemaSample.of(inputSchema, new SampleToolInput(Answers.topicWord(prompt)));
        return value instanceof ObjectNode o ? o : Json.object();
    }

    /** Without a {@code required} list, every property is; with one, only those in it. */
    @Override
    public boolean includes(SchemaSample.Slot slot, boolean anyRequired) {
        return !anyRequired;
    }

    @Override
    public int items(SchemaSample.Slot slot) {
        return 1;
    }

    @Override
    public String text(SchemaSample.Slot slot) {
        return word;
    }

    @Override
    public Number number(SchemaSample.Slot slot, boolean integer) {
        return integer ? (Number) 42L : (Number) 42.0;
    }

    @Override
    public boolean bool(SchemaSample.Slot slot) {
        return true;
    }

    @Override
    public int choose(SchemaSample.Slot slot, List<JsonNode> options) {
        return 0;
    }

    @Override
    public int depthLimit() {
        return MAX_DEPTH;
    }
}
