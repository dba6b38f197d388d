package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerateContentAccumulatorTest {

    private static GenerateContentResponse chunk(int index, String finish, Part... parts) {
        return new GenerateContentResponse(
                List.of(new Candidate(index, Content.model(parts), finish, null, List.of(), List.of())),
                null,
                null,
                "",
                "");
    }

    @Test
    void accept_textRuns_joinedAndSeparatedByOtherParts() {
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        acc.accept(chunk(0, null, new ThoughtPart("a", null)));
        acc.accept(chunk(0, null, new ThoughtPart("b", "s1")));
        acc.accept(chunk(0, null, new ThoughtPart("c", null)));
        acc.accept(chunk(0, null, Part.text("x"), Part.text("y")));
        acc.accept(chunk(0, null, new FunctionCallPart(null, "f", Map.of(), null)));
        acc.accept(chunk(0, "STOP", Part.text("z")));
        List<Part> parts = acc.snapshot().candidates().get(0).content().parts();
        assertEquals(
                List.of(
                        new ThoughtPart("ab", "s1"),
                        new ThoughtPart("c", null),
                        Part.text("xy"),
                        new FunctionCallPart(null, "f", Map.of(), null),
                        Part.text("z")),
                parts);
        assertEquals("xyz", acc.snapshot().text());
        assertEquals("abc", acc.snapshot().candidates().get(0).thoughts());
        assertEquals(1, acc.snapshot().candidates().get(0).functionCalls().size());
    }

    @Test
    void isComplete_everyCandidateNeedsAFinishReason() {
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        assertFalse(acc.isComplete());
        acc.accept(chunk(0, null, Part.text("a")));
        acc.accept(chunk(1, null, Part.text("b")));
        acc.accept(chunk(0, "STOP"));
        assertFalse(acc.isComplete());
        acc.accept(chunk(1, "MAX_TOKENS"));
        assertTrue(acc.isComplete());
        assertEquals(
                List.of(0, 1),
                acc.snapshot().candidates().stream().map(Candidate::index).toList());
        assertEquals("b", acc.snapshot().candidates().get(1).text());
    }

    @Test
    void accept_responseFields_latestUsageFirstIds() {
        GenerateContentAccumulator acc = new GenerateContentAccumulator();
        acc.accept(new GenerateContentResponse(List.of(), null, new UsageMetadata(1, 1, 2, 0, 0, 0), "m1", "r1"));
        acc.accept(new GenerateContentResponse(List.of(), null, new UsageMetadata(1, 5, 6, 0, 0, 0), "m2", "r2"));
        GenerateContentResponse r = acc.snapshot();
        assertEquals(5, r.usageMetadata().candidatesTokenCount());
        assertEquals("m1", r.modelVersion());
        assertEquals("r1", r.responseId());
    }
}
