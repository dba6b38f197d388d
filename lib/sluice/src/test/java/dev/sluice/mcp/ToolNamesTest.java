package dev.sluice.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ToolNamesTest {
    @Test
    void forModels_providerSafeName_unchanged() {
        assertEquals("get-sum_2", ToolNames.forModels("get-sum_2"));
    }

    @Test
    void forModels_otherCharacters_becomeUnderscores() {
        assertEquals("files_read_v2", ToolNames.forModels("files.read/v2"));
        assertEquals("_2fa-check", ToolNames.forModels("2fa-check"));
        assertEquals("_-x", ToolNames.forModels("-x"));
    }

    @Test
    void forModels_longerThan64_refused() {
        assertEquals("a".repeat(64), ToolNames.forModels("a".repeat(64)));
        assertNull(ToolNames.forModels("a".repeat(65)));
        assertNull(ToolNames.forModels("1" + "a".repeat(63)));
    }
}
