package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.chat.FinishReason.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FinishReasonTest {

    @ParameterizedTest
    @CsvSource({
        "end_turn, STOP",
        "stop_sequence, STOP",
        "max_tokens, LENGTH",
        "tool_use, TOOL_CALLS",
        "pause_turn, PAUSE_TURN",
        "refusal, REFUSAL",
        "model_context_window_exceeded, LENGTH",
        "sparkle_stop, OTHER",
        "END_TURN, OTHER"
    })
    void fromAnthropic_stopReason_mapsToKindAndKeepsRaw(String raw, Kind kind) {
        assertEquals(new FinishReason(kind, raw), FinishReason.fromAnthropic(raw));
    }

    @Test
    void of_providerTable_mapsKnownStringsAndOthersToOther() {
        Map<String, Kind> table = Map.of("stop", Kind.STOP, "content_filter", Kind.CONTENT_FILTER);
        assertEquals(new FinishReason(Kind.CONTENT_FILTER, "content_filter"), FinishReason.of("content_filter", table));
        assertEquals(new FinishReason(Kind.OTHER, "function_call"), FinishReason.of("function_call", table));
    }

    @Test
    void constructor_missingOrBlankParts_throw() {
        assertThrows(NullPointerException.class, () -> new FinishReason(null, "x"));
        assertThrows(NullPointerException.class, () -> FinishReason.fromAnthropic(null));
        assertThrows(IllegalArgumentException.class, () -> FinishReason.fromAnthropic(" "));
    }
}
