package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiDecoderTest {

    private static GenerateContentResponse decode(String data) {
        return GenerateContentStream.decode(SseEvent.of(SseEvent.DEFAULT_TYPE, data));
    }

    @Test
    void decode_everyPartKind_becomesItsRecord() {
        GenerateContentResponse r = decode("""
                {"candidates":[{"content":{"role":"model","parts":[
                  {"text":"hi"},
                  {"text":"hmm","thought":true,"thoughtSignature":"sig1"},
                  {"functionCall":{"id":"fc_1","name":"f","args":{"a":1,"b":[true,null]}}},
                  {"functionResponse":{"name":"f","response":{"output":"x"}}},
                  {"inlineData":{"mimeType":"image/png","data":"AAAA"}},
                  {"thoughtSignature":"sig2"}
                ]},"index":0}]}""");
        List<Part> parts = r.candidates().get(0).content().parts();
        assertEquals(new TextPart("hi", null), parts.get(0));
        assertEquals(new ThoughtPart("hmm", "sig1"), parts.get(1));
        FunctionCallPart call = assertInstanceOf(FunctionCallPart.class, parts.get(2));
        assertEquals("fc_1", call.id());
        assertEquals(1L, call.args().get("a"));
        assertEquals(java.util.Arrays.asList(true, null), call.args().get("b"));
        assertEquals(new FunctionResponsePart(null, "f", Map.of("output", "x")), parts.get(3));
        UnknownPart unknown = assertInstanceOf(UnknownPart.class, parts.get(4));
        assertTrue(unknown.json().contains("inlineData"), unknown.json());
        assertEquals(new TextPart("", "sig2"), parts.get(5));
        assertEquals("model", r.candidates().get(0).content().role());
    }

    @Test
    void decode_functionCallWithoutArgs_hasEmptyArgsAndNoId() {
        FunctionCallPart call = (FunctionCallPart)
                decode("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"now\"}}]}}]}")
                        .candidates()
                        .get(0)
                        .content()
                        .parts()
                        .get(0);
        assertEquals(Map.of(), call.args());
        assertNull(call.id());
    }

    @Test
    void decode_responseFields_allRead() {
        GenerateContentResponse r = decode("""
                {"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"RECITATION",
                  "finishMessage":"recited","index":1,
                  "safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"LOW"}],
                  "citationMetadata":{"citationSources":[{"startIndex":0,"endIndex":1,"uri":"https://example.com"}]}}],
                 "promptFeedback":{"safetyRatings":[{"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"}]},
                 "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":9,"thoughtsTokenCount":5,
                   "cachedContentTokenCount":2,"toolUsePromptTokenCount":4},
                 "modelVersion":"gemini-x","responseId":"r1","somethingNew":{"a":1}}""");
        Candidate c = r.candidates().get(0);
        assertEquals(1, c.index());
        assertEquals("RECITATION", c.finishReason());
        assertEquals("recited", c.finishMessage());
        assertEquals(List.of(new SafetyRating("HARM_CATEGORY_HARASSMENT", "LOW", false)), c.safetyRatings());
        assertEquals("https://example.com", c.citationSources().get(0).get("uri"));
        assertFalse(r.promptFeedback().blocked());
        assertEquals(new UsageMetadata(3, 1, 9, 5, 2, 4), r.usageMetadata());
        assertEquals("gemini-x", r.modelVersion());
        assertEquals("r1", r.responseId());
        assertTrue(r.firstCandidate().isEmpty(), "candidate 0 is absent");
        assertEquals("", r.text());
    }

    @Test
    void decode_errorObject_throwsApiExceptionWithStatusAsType() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> decode(
                        "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
        assertEquals("RESOURCE_EXHAUSTED", e.errorType());
        assertEquals("Resource has been exhausted", e.errorMessage());
        assertTrue(e.inStream());
        assertEquals(200, e.statusCode());
    }

    @Test
    void decode_malformedJson_throwsProtocolExceptionNamingEventAndData() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("{\"candidates\":[{\"content\":"));
        assertTrue(e.getMessage().startsWith("malformed JSON in Gemini 'message' event"), e.getMessage());
        assertTrue(e.getMessage().contains("data: {\"candidates\":[{\"content\":"), e.getMessage());
    }

    @Test
    void decode_longMalformedData_isTruncatedInMessage() {
        String data = "{\"x\":\"" + "a".repeat(5000);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(data));
        assertTrue(e.getMessage().length() < 600, e.getMessage());
        assertTrue(e.getMessage().endsWith("…"), e.getMessage());
    }

    @Test
    void decode_wrongShapes_throwProtocolException() {
        for (String data : List.of(
                "[1]",
                "{\"candidates\":{}}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":5}]}}]}",
                "{\"candidates\":[{\"index\":-1}]}",
                "{\"usageMetadata\":{\"promptTokenCount\":\"x\"}}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{}}}]}}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":[1]}}]}}]}")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(data), data);
            assertTrue(e.getMessage().startsWith("Gemini 'message' event of an unexpected shape"), e.getMessage());
        }
    }
}
