package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
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

    @Test
    void withJsonIfAbsent_addedFirstWhenAbsent_aNestedNameIsNotTheMember_presentLeftAsItWas() {
        String absent = "{\"m\":{\"stream_options\":1},\"a\":1}";
        assertEquals(
                "{\"stream_options\":{\"include_usage\":true}," + absent.substring(1),
                TopLevelMember.withJsonIfAbsent(absent, "stream_options", "{\"include_usage\":true}"));
        String present = "{\"a\":1, \"stream_options\" : {\"include_obfuscation\":false}}";
        assertEquals(present, TopLevelMember.withJsonIfAbsent(present, "stream_options", "{\"include_usage\":true}"));
    }

    @Test
    void value_topLevelOnly_asItStands_nullWhenAbsentOrNotAnObject() {
        String chunk = "{\"choices\":[{\"usage\":1}], \"usage\" : {\"prompt_tokens\":3} ,\"s\":\"x\"}";
        assertEquals("{\"prompt_tokens\":3}", TopLevelMember.value(chunk, "usage"));
        assertEquals("[{\"usage\":1}]", TopLevelMember.value(chunk, "choices"));
        assertEquals("\"x\"", TopLevelMember.value(chunk, "s"));
        assertNull(TopLevelMember.value("{\"a\":{\"usage\":{}}}", "usage"));
        assertNull(TopLevelMember.value("[1]", "usage"));
    }

    @Test
    void withNumber_presentReplacedInPlace_absentAddedFirst() {
        assertEquals(
                "{\"a\":1, \"max_tokens\" : 8192,\"b\":{\"max_tokens\":5}}",
                TopLevelMember.withNumber(
                        "{\"a\":1, \"max_tokens\" : 1e6,\"b\":{\"max_tokens\":5}}", "max_tokens", 8192));
        assertEquals("{\"max_tokens\":8192,\"a\":1}", TopLevelMember.withNumber("{\"a\":1}", "max_tokens", 8192));
    }

    @Test
    void count_eachTopLevelMemberWrittenCounted_nestedAndQuotedNamesNot() {
        assertEquals(0, TopLevelMember.count("{}"));
        assertEquals(0, TopLevelMember.count("[1,2]"));
        assertEquals(
                3,
                TopLevelMember.count(
                        "{ \"model\":\"a,\\\"b\\\":\", \"m\":[{\"x\":1,\"y\":[2,3]}],\"model\" : {\"z\":\"}\"}}"));
        assertEquals(2, TopLevelMember.count("{\"model\":\"a\",\"mod\\u0065l\":\"b\"}"));
    }

    @Test
    void stringEnd_aQuoteAfterAnOddRunOfBackslashesIsInsideTheString_afterAnEvenRunItEndsIt() {
        assertEquals(4, TopLevelMember.stringEnd("\"ab\"x", 0));
        assertEquals(6, TopLevelMember.stringEnd("\"a\\\"b\"", 0)); // "a\"b": the quote after one backslash is text
        assertEquals(5, TopLevelMember.stringEnd("\"a\\\\\"b\"", 0)); // "a\\": two backslashes, then the end
        assertEquals(7, TopLevelMember.stringEnd("\"\\\\\\\"x\"", 0)); // three backslashes: the quote is text
        assertEquals(4, TopLevelMember.stringEnd("\"ab\\", 0)); // no end: the text's length
        assertEquals(
                "{\"a\":\"x\\\\\",\"model\":\"m\"}",
                TopLevelMember.withString("{\"a\":\"x\\\\\",\"model\":\"old\"}", "model", "m"));
    }

    /** The same ends as reading the string one character at a time, a backslash taking the next, from every quote. */
    @Test
    void stringEnd_fromEveryQuote_asACharacterAtATimeReadingFindsIt() {
        SplittableRandom random = new SplittableRandom(100);
        for (int n = 0; n < 3_000; n++) {
            String text;
            if (n % 2 == 0) {
                text = RandomJson.any().document(random);
            } else { // backslashes and quotes in every order
                StringBuilder b = new StringBuilder("\"");
                for (int k = random.nextInt(24); k > 0; k--) b.append("ab\\\"".charAt(random.nextInt(4)));
                text = b.toString();
            }
            for (int i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
                int expected = text.length();
                for (int k = i + 1; k < text.length(); k++) {
                    char c = text.charAt(k);
                    if (c == '\\') k++;
                    else if (c == '"') {
                        expected = k + 1;
                        break;
                    }
                }
                assertEquals(expected, TopLevelMember.stringEnd(text, i), text + " from " + i);
            }
        }
    }
}
