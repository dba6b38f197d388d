package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing a client's start request: every member, and every refusal as INVALID_REQUEST with a message for the client. */
class StartRequestTest {

    @Test
    void parse_everyMember_readAndOthersIgnored() {
        assertEquals(
                new StartRequest("hi", "p", "m", "be brief", 77),
                StartRequest.parse(
                        "{\"type\":\"start\",\"prompt\":\"hi\",\"provider\":\"p\",\"model\":\"m\",\"system\":\"be brief\",\"maxTokens\":77}"));
        assertEquals(
                new StartRequest("hi", null, null, null, null),
                StartRequest.parse("{\"prompt\":\"hi\",\"model\":null}"));
    }

    @Test
    void parse_malformedMissingWrongTypeOrOutOfRange_invalidRequestNamingTheProblem() {
        List<List<String>> cases = List.of(
                List.of("{", "not valid JSON"),
                List.of("not json", "not valid JSON"),
                List.of("[]", "must be a JSON object"),
                List.of("[".repeat(10_000), "nests deeper than 32"),
                List.of("{}", "\"prompt\" is required"),
                List.of("{\"prompt\":\"  \"}", "\"prompt\" is required"),
                List.of("{\"prompt\":3}", "\"prompt\" must be a string"),
                List.of("{\"prompt\":\"hi\",\"model\":\"\"}", "\"model\" must not be blank"),
                List.of("{\"prompt\":\"hi\",\"maxTokens\":0}", "\"maxTokens\" must be between 1 and 1000000: 0"),
                List.of("{\"prompt\":\"hi\",\"maxTokens\":99999999999}", "\"maxTokens\" must be between 1 and 1000000"),
                List.of("{\"prompt\":\"hi\",\"maxTokens\":\"9\"}", "\"maxTokens\" must be a whole number"));
        assertInvalid(cases);
    }

    @Test
    void parse_hugeValueOfTheWrongType_refusalShowsItShortened() {
        // found by RelayRequestFuzzTest: the refusal echoed the member's value whole (a 64 KiB body's worth)
        String huge = "9".repeat(5_000);
        RelayException e = assertThrows(
                RelayException.class, () -> StartRequest.parse("{\"prompt\":\"hi\",\"maxTokens\":\"" + huge + "\"}"));
        assertTrue(e.getMessage().startsWith("\"maxTokens\" must be a whole number: 999"), e.getMessage());
        assertTrue(e.getMessage().length() < 100, e.getMessage());
        RelayException role = assertThrows(
                RelayException.class,
                () -> StartRequest.parse(
                        "{\"messages\":[{\"role\":\"" + "r".repeat(5_000) + "\",\"content\":\"hi\"}]}"));
        assertTrue(role.getMessage().length() < 100, role.getMessage());
    }

    /** Each case, a body and a part of the message: parsing it is INVALID_REQUEST with that message. */
    private static void assertInvalid(List<List<String>> cases) {
        for (List<String> c : cases) {
            RelayException e = assertThrows(RelayException.class, () -> StartRequest.parse(c.get(0)), c.get(0));
            assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind(), c.get(0));
            assertEquals("invalid_request", e.kind().code());
            assertTrue(e.getMessage().contains(c.get(1)), c.get(0) + ": " + e.getMessage());
        }
    }

    @Test
    void parse_messages_theConversationInOrderAndPromptIsTheLast() {
        StartRequest r = StartRequest.parse(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi, I'm Ada\"},"
                        + "{\"role\":\"assistant\",\"content\":\"Hello Ada\"},{\"role\":\"user\",\"content\":\"My name?\"}],\"system\":\"s\"}");
        assertEquals(
                List.of(
                        ChatMessage.user("Hi, I'm Ada"),
                        ChatMessage.assistant("Hello Ada"),
                        ChatMessage.user("My name?")),
                r.messages());
        assertEquals("My name?", r.prompt());
        assertEquals(1 + 11 + 9 + 8, r.chars(), "every message and the system prompt");
        assertEquals(r.messages(), r.resolved("p", "m").toChatRequest().messages());
        assertEquals(
                List.of(ChatMessage.user("hi")),
                StartRequest.parse("{\"prompt\":\"hi\"}").messages(),
                "prompt: one user message");
    }

    @Test
    void resolved_providerAndModelFilledIn_theRequestAndTheChatRequestNameThem() {
        StartRequest.Resolved r =
                StartRequest.parse("{\"prompt\":\"hi\",\"maxTokens\":7}").resolved("p", "m");
        assertEquals("p", r.request().provider(), "the request inside names the provider");
        assertEquals("m", r.request().model());
        assertEquals("m", r.toChatRequest().model());
        assertEquals(Integer.valueOf(7), r.toChatRequest().maxTokens());
        assertEquals(
                Integer.valueOf(StartRequest.DEFAULT_MAX_TOKENS),
                new StartRequest("hi", null, null, null, null)
                        .resolved("p", "m")
                        .toChatRequest()
                        .maxTokens());
        assertThrows(IllegalArgumentException.class, () -> r.request().resolved("p", " "));
    }

    @Test
    void parse_badMessages_invalidRequestNamingTheMessage() {
        String u = "{\"role\":\"user\",\"content\":\"q\"}";
        String a = "{\"role\":\"assistant\",\"content\":\"a\"}";
        List<List<String>> cases = List.of(
                List.of("{\"messages\":[]}", "at least the user's message"),
                List.of("{\"messages\":{}}", "\"messages\" must be an array"),
                List.of("{\"messages\":[3]}", "messages[0] must be an object"),
                List.of(
                        "{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
                        "messages[0].role must be \"user\" or \"assistant\", not \"system\" (send a system prompt as \"system\")"),
                List.of("{\"messages\":[{\"content\":\"x\"}]}", "messages[0].role must be \"user\" or \"assistant\""),
                List.of(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\" \"}]}",
                        "messages[0].content must be a string, not blank"),
                List.of("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content must be a string"),
                List.of("{\"messages\":[" + a + "," + u + "]}", "messages[0] must be from the user"),
                List.of("{\"messages\":[" + u + "," + u + "]}", "messages[1] must be from the assistant"),
                List.of("{\"messages\":[" + u + "," + a + "]}", "the last of \"messages\" must be the user's"),
                List.of("{\"prompt\":\"q\",\"messages\":[" + u + "]}", "send \"messages\" or \"prompt\", not both"));
        assertInvalid(cases);
    }

    @Test
    void constructor_badComponents_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new StartRequest(" ", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new StartRequest("hi", null, null, null, 0));
    }
}
