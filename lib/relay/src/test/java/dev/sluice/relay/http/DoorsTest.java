package dev.sluice.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.chat.WireApi;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gateway's front doors as one list: what the route table and the error shape read of each. */
class DoorsTest {
    @Test
    void all_eachDoor_hasItsOwnPathApiAndIdPrefix() {
        Set<String> paths = new HashSet<>();
        Set<WireApi> apis = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (Door door : Doors.ALL) {
            assertTrue(paths.add(door.path()), door.path());
            assertTrue(apis.add(door.api()), door.path());
            assertTrue(prefixes.add(door.idPrefix()), door.path());
            assertTrue(door.path().startsWith("/v1/"), door.path());
            assertFalse(door.maxTokensMembers().isEmpty(), door.path());
        }
        assertEquals(Set.of("/v1/chat/completions", "/v1/messages", "/v1/responses"), paths);
        assertTrue(GatewayHttp.answerId(Doors.MESSAGES).matches("msg_[A-Za-z0-9]{29}"));
    }

    @Test
    void errorJson_messagesDoor_isAnthropicsShapeAndTheOthersOpenAis() {
        HttpRefusal r = new HttpRefusal(400, "invalid_request_error", "max_tokens: too large", "max_tokens", Map.of());
        assertTrue(
                Doors.MESSAGES.errorJson(r).startsWith("{\"type\":\"error\",\"error\":{"), Doors.MESSAGES.errorJson(r));
        for (Door door : List.of(Doors.CHAT_COMPLETIONS, Doors.RESPONSES))
            assertTrue(door.errorJson(r).contains("\"param\":\"max_tokens\""), door.errorJson(r));
    }

    @Test
    void passthroughChecks_chatCompletionsWithTwoChoices_refusedNamingN() {
        HttpRefusals.Refused e = assertThrows(
                HttpRefusals.Refused.class, () -> Doors.CHAT_COMPLETIONS.checkPassthrough(Map.of("n", 2L)));
        assertEquals("n", e.refusal().param());
        assertEquals(RelayException.Kind.INVALID_REQUEST.code(), e.refusal().type());
        Doors.MESSAGES.checkPassthrough(Map.of("n", 2L)); // no such member there
    }

    @Test
    void socketAndBetas_onlyTheirDoors_haveThem() {
        assertTrue(Doors.RESPONSES.socket().isPresent());
        assertTrue(Doors.CHAT_COMPLETIONS.socket().isEmpty());
        assertEquals(List.of("a", "b"), Doors.MESSAGES.betas(name -> name.equals("anthropic-beta") ? "a, b," : null));
        assertEquals(List.of(), Doors.RESPONSES.betas(name -> "a"));
        assertEquals(WireApi.RESPONSES, Doors.RESPONSES.ownOpenAiApi());
        assertEquals(WireApi.CHAT_COMPLETIONS, Doors.MESSAGES.ownOpenAiApi());
    }
}
