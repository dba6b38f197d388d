package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TopLevelMemberTest {
    @Test
    void withString_topLevelModel_onlyItsValueChangesEveryOtherByteKept() {
        String body =
                "{ \"messages\":[{\"model\":\"inner\",\"t\":\"a \\\"model\\\": x\"}],\n  \"model\" :  \"anthropic/claude\" ,"
                        + "\"n\":1.50e+2,\"s\":\"caf\\u00e9\"}";
        assertEquals(
                body.replace("\"anthropic/claude\"", "\"claude-sonnet-4-5\""),
                TopLevelMember.withString(body, "model", "claude-sonnet-4-5"));
    }

    @Test
    void withString_noSuchMember_addedFirst() {
        assertEquals("{\"model\":\"m\",\"a\":1}", TopLevelMember.withString("{\"a\":1}", "model", "m"));
        assertEquals("{\"model\":\"m\"}", TopLevelMember.withString("{}", "model", "m"));
    }

    @Test
    void withString_notAString_replacedWhole() {
        assertEquals(
                "{\"model\":\"m\",\"b\":2}",
                TopLevelMember.withString("{\"model\":[1,{\"x\":2}],\"b\":2}", "model", "m"));
    }

    @Test
    void withString_notAnObject_refused() {
        assertThrows(IllegalArgumentException.class, () -> TopLevelMember.withString("[1]", "model", "m"));
    }
}
